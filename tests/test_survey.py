"""The survey round trip (contract section 4): survey template -> filled CSV/XLSX -> import -> same advice;
bad cells all reported; merge of one service's files."""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from peeradvisor import vocab
from peeradvisor.answers import Answers, answers_from_data, load_answers
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nhs-inpatient-new.yaml"
runner = CliRunner()

HAPPENING_SPELLINGS = {  # how people type each answer: plain, shouted, as an underscore word, curly apostrophe
    "yes": ["yes", "Yes", "YES", "yes "],
    "partly": ["partly", "Partly", "PARTLY", "partly"],
    "no": ["no", "No", "NO", "no"],
    "dont_know": ["don't know", "Don't know", "DONT_KNOW", "Don\u2019t know"],
    "not_relevant": ["not relevant", "Not relevant", "not_relevant", "Not Relevant"],
}
IMPORTANCE_SPELLINGS = {
    4: ["4", "Extremely important", "4", "extremely important"],
    3: ["3", "Quite important", "3", "quite important"],
    2: ["2", "Not very important", "2", "not very important"],
    1: ["1", "Not at all important", "1", "NOT AT ALL IMPORTANT"],
    "dont_know": ["don't know", "Dont know", "dont_know", "Don\u2019t Know"],
    "not_relevant": ["not relevant", "Not_relevant", "not_relevant", "not relevant"],
}


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def several_respondents() -> dict[str, Any]:
    """The bundled NHS example plus three generated respondents who use every answer and leave gaps."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(15)
    groups = ["service_user", "peer_worker", "commissioner"]
    labels = ["Zoë, service user", None, "Commissioner (CCG)"]
    for group, label in zip(groups, labels, strict=True):
        inventory: dict[str, Any] = {}
        for item in rng.sample(vocab.ITEM_IDS, 30):
            happening = rng.choice([*vocab.HAPPENING, None])
            importance = rng.choice([1, 2, 3, 4, "dont_know", "not_relevant", None])
            answer = {k: v for k, v in (("happening", happening), ("importance", importance)) if v is not None}
            if answer:
                inventory[item] = answer
        respondent = {"group": group, **({"label": label} if label else {})}
        data["responses"].append({"respondent": respondent, "inventory": inventory,
                                  "top3": rng.sample(vocab.ITEM_IDS, rng.randint(0, 3))})
    return data


@pytest.fixture(scope="module")
def original() -> Answers:
    return answers_from_data(several_respondents(), "several")


@pytest.fixture(scope="module")
def template_header() -> list[str]:
    result = invoke("survey", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return next(csv.reader(io.StringIO(result.stdout)))


def context_file(answers: Answers, folder: Path, name: str = "context.yaml") -> Path:
    """CONTEXT.yaml: the answers file without its responses."""
    data = answers.model_dump(mode="json", exclude_none=True, exclude={"responses", "session"})
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rows_for(answers: Answers, header: list[str], style: int = 0) -> list[list[Any]]:
    """One row per response, each cell as a person would type it (STYLE picks the spellings)."""
    rows = []
    for response in answers.responses:
        row: list[Any] = []
        for head in header:
            code = head.split(":")[0].strip()
            if code.lower() == "group":
                row.append(response.respondent.group.replace("_", " ").title() if style else
                           response.respondent.group)
            elif code.lower() == "label":
                row.append(response.respondent.label or "")
            elif code.lower() == "top3":
                row.append(("; " if style % 2 else ", ").join(response.top3))
            elif " " in code and code.split()[0] in response.inventory:
                item, part = code.split()
                answer = response.inventory[item]
                value = answer.happening if part == "A" else answer.importance
                spellings = HAPPENING_SPELLINGS if part == "A" else IMPORTANCE_SPELLINGS
                row.append("" if value is None else spellings[value][style])
            else:
                row.append("")
        rows.append(row)
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[Any]], *, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(header)
    for row in rows:  # importance as numbers, as Excel keeps typed digits
        sheet.append([int(c) if isinstance(c, str) and c.isdigit() else (c or None) for c in row])
    book.save(path)
    return path


def finding_ranks(answers: Answers, kb: KnowledgeBase) -> list[tuple[str, int]]:
    return [(f.id, f.rank) for f in advise(answers, kb).findings]


def shuffled_with_text(header: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """What a survey tool does: the full question after each code, and the columns in another order."""
    order = list(range(len(header)))
    random.Random(3).shuffle(order)
    long = [h + " — Is this happening here? (please choose one)" if " A:" in h else
            (h.upper() if h in ("group", "top3") else h) for h in header]
    return [long[i] for i in order], [[row[i] for i in order] for row in rows]


class TestRoundTrip:
    """An answers file -> survey columns -> a filled export -> import: the same responses, the same advice."""

    @pytest.mark.parametrize("variant", ["plain", "bom-semicolon", "windows-1252", "question-text-shuffled",
                                         "xlsx"])
    def test_same_advice(self, variant: str, original: Answers, template_header: list[str], kb: KnowledgeBase,
                         tmp_path: Path) -> None:
        """Whatever the export looks like, the imported file advises exactly as the original."""
        header, rows = template_header, rows_for(original, template_header, style=0)
        if variant == "plain":
            source = write_csv(tmp_path / "responses.csv", header, rows)
        elif variant == "bom-semicolon":
            rows = rows_for(original, header, style=1)
            source = write_csv(tmp_path / "responses.csv", header, rows, delimiter=";", encoding="utf-8-sig")
        elif variant == "windows-1252":
            rows = rows_for(original, header, style=3)
            source = write_csv(tmp_path / "responses.csv", header, rows, delimiter=";", encoding="cp1252")
            assert "\u2019".encode("cp1252") in source.read_bytes()  # the curly apostrophe, as Excel saves it
        elif variant == "question-text-shuffled":
            header, rows = shuffled_with_text(header, rows_for(original, header, style=2))
            source = write_csv(tmp_path / "responses.csv", header, rows)
        else:
            source = write_xlsx(tmp_path / "responses.xlsx", header, rows)
        output = tmp_path / "imported.yaml"
        result = invoke("import", str(source), "--context", str(context_file(original, tmp_path)), "-o",
                        str(output))
        assert result.exit_code == 0, result.stderr
        imported = load_answers(output)
        assert imported.responses == original.responses
        assert (imported.organisation, imported.stage, imported.context) == (
            original.organisation, original.stage, original.context)
        assert finding_ranks(imported, kb) == finding_ranks(original, kb)
        assert "Read 6 respondent(s)" in result.stderr

    def test_header_is_the_contracts(self, template_header: list[str], kb: KnowledgeBase) -> None:
        """group, label, `<id> A: <short>` and `<id> B: <short>` for the 40 items in order, then top3."""
        items = [f"{i} {p}: {kb.items[i].short}" for i in vocab.ITEM_IDS for p in "AB"]
        assert template_header == ["group", "label", *items, "top3"]


class TestBadCells:
    """Every bad cell is reported at once with its row and column; nothing is written."""

    def test_two_bad_cells(self, original: Answers, template_header: list[str], tmp_path: Path) -> None:
        """`maybe` and importance 9: both named, exit 2, no output file."""
        rows = rows_for(original, template_header)
        a = template_header.index("2.1 A: Shared understanding of role")
        b = template_header.index("5.2 B: One-to-one line management")
        rows[0][a], rows[2][b] = "maybe", "9"
        source = write_csv(tmp_path / "responses.csv", template_header, rows)
        output = tmp_path / "out.yaml"
        result = invoke("import", str(source), "--context", str(context_file(original, tmp_path)), "-o",
                        str(output))
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f'Error: {source}: row 2, column "2.1 A: Shared understanding of role": "maybe" is not an answer; '
            "use yes, partly, no, don't know or not relevant (cell S2)",
            f'Error: {source}: row 4, column "5.2 B: One-to-one line management": "9" is not an importance; use '
            "1-4 (4 extremely important; 3 quite important; 2 not very important; 1 not at all important), "
            "don't know or not relevant (cell BF4)",
        ]
        assert not output.exists() and result.stdout == ""

    def test_every_kind_of_bad_cell(self, template_header: list[str], tmp_path: Path) -> None:
        """Group, label, top3 and a repeated or unknown header are all reported in one go."""
        header = [*template_header, "7.1 A: no such item", "2.1 a (again)"]
        row = [""] * len(header)
        row[0], row[1], row[-3] = "nurse", "x" * 201, "2.1, 2.1"
        blank_group = [""] * len(header)
        blank_group[4] = "yes"
        source = write_csv(tmp_path / "bad.csv", header, [row, blank_group])
        context = tmp_path / "context.yaml"
        context.write_text("format: peeradvisor/answers@1\norganisation: X\ncontext: {employer: nhs, setting: "
                           "community}\n")
        result = invoke("import", str(source), "--context", str(context))
        assert result.exit_code == 2
        lines = result.stderr.splitlines()
        assert [re.match(r'Error: .*?: ((?:row \d+, )?column "[^"]*")', line)[1] for line in lines] == [
            'column "7.1 A: no such item"', 'column "2.1 a (again)"', 'row 2, column "group"',
            'row 2, column "label"', 'row 2, column "top3"', 'row 3, column "group"']
        assert "is the same question as column \"2.1 A: Shared understanding of role\"" in lines[1]


class TestSurveyFiles:
    """The questionnaire as a spreadsheet and as a form builder's text."""

    def test_xlsx_has_drop_downs_and_questions(self, tmp_path: Path, kb: KnowledgeBase) -> None:
        """The response sheet has the header and a drop-down on every answer cell; sheet 2 has the wording."""
        from openpyxl import load_workbook

        path = tmp_path / "survey.xlsx"
        result = invoke("survey", "-o", str(path))  # the format follows the file name
        assert result.exit_code == 0, result.stderr
        book = load_workbook(path)
        responses, questions = book.worksheets
        assert [c.value for c in responses[1]][:4] == ["group", "label", "1.1 A: Formal recruitment",
                                                       "1.1 B: Formal recruitment"]
        lists = {str(dv.sqref): dv.formula1 for dv in responses.data_validations.dataValidation
                 if dv.type == "list"}
        assert lists["C2:C201"] == '"yes,partly,no,don\'t know,not relevant"'
        assert lists["D2:D201"] == ('"extremely important,quite important,not very important,'
                                    'not at all important,don\'t know,not relevant"')
        assert lists["A2:A201"].startswith('"peer worker,service user,coworker')
        assert len(lists) == 81  # group and the 80 item questions
        wording = {row[0]: row[1] for row in questions.iter_rows(min_row=2, values_only=True) if row[0]}
        assert kb.items["2.5"].text in wording["2.5 A: Managed boundaries"]

    def test_md_lists_questions_in_order(self, kb: KnowledgeBase) -> None:
        """The Markdown gives every question title, starting with its code, in the columns' order."""
        result = invoke("survey", "--format", "md")
        assert result.exit_code == 0, result.stderr
        titles = [line for line in result.stdout.splitlines() if line.split(" — ")[0] and " — " in line
                  and not line.startswith("#")]
        assert [t.split(" — ")[0] for t in titles] == invoke("survey").stdout.strip().split(",")
        assert f"1.1 A: Formal recruitment — {kb.items['1.1'].text}. Is this happening here?" in titles

    def test_template_words_are_accepted(self) -> None:
        """Every answer the template offers is one import accepts."""
        from peeradvisor.respondents import cells

        assert [cells.happening(w) for w in cells.HAPPENING_WORDS] == list(vocab.HAPPENING)
        assert [cells.importance(w) for w in cells.IMPORTANCE_WORDS] == [4, 3, 2, 1, "dont_know", "not_relevant"]
        assert [cells.group(w) for w in cells.GROUP_WORDS] == list(vocab.GROUPS)

    def test_xlsx_needs_output(self) -> None:
        """A workbook is binary: without -o it is refused, not printed."""
        result = invoke("survey", "--format", "xlsx")
        assert result.exit_code == 2 and "--output" in result.stderr and result.stdout == ""


class TestMerge:
    """Answers files of one service joined into one."""

    def split(self, original: Answers, folder: Path) -> list[Path]:
        paths = []
        service = original.model_dump(mode="json", exclude_none=True, exclude={"responses"})
        for n, response in enumerate(original.responses):
            path = folder / f"r{n}.yaml"
            data = {**service, "responses": [response.model_dump(mode="json", exclude_none=True)]}
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            paths.append(path)
        return paths

    def test_per_respondent_files_join_to_the_whole(self, original: Answers, tmp_path: Path) -> None:
        """merge of one file per respondent equals the file with all of them."""
        output = tmp_path / "all.yaml"
        result = invoke("merge", *map(str, self.split(original, tmp_path)), "-o", str(output))
        assert result.exit_code == 0, result.stderr
        assert load_answers(output) == original

    def test_a_different_service_is_refused(self, original: Answers, tmp_path: Path) -> None:
        """A file of another setting is refused, naming the field and both values."""
        a, b = self.split(original, tmp_path)[:2]
        b.write_text(b.read_text(encoding="utf-8").replace("setting: inpatient", "setting: community"),
                     encoding="utf-8")
        result = invoke("merge", str(a), str(b), "-o", str(tmp_path / "all.yaml"))
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {b}: context.setting: community here, inpatient in {a};")
        assert not (tmp_path / "all.yaml").exists()

    def test_duplicate_labels(self, original: Answers, tmp_path: Path) -> None:
        """The same label in two files is refused, unless --allow-duplicates."""
        a, b = self.split(original, tmp_path)[:2]
        b.write_text(b.read_text(encoding="utf-8").replace("Ward manager", "peer support WORKER"),
                     encoding="utf-8")
        output = tmp_path / "all.yaml"
        refused = invoke("merge", str(a), str(b), "-o", str(output))
        assert refused.exit_code == 2 and not output.exists()
        assert f"Error: {b}: responses[0].respondent.label: \"peer support WORKER\" is also the label of {a} " \
               "responses[0]" in refused.stderr
        allowed = invoke("merge", str(a), str(b), "-o", str(output), "--allow-duplicates")
        assert allowed.exit_code == 0, allowed.stderr
        assert len(load_answers(output).responses) == 2
