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


def import_to_file(source: Path, original: Answers, folder: Path) -> tuple[Any, Path]:
    """`import SOURCE` with ORIGINAL's service as the context, into a new file."""
    output = folder / "imported.yaml"
    result = invoke("import", str(source), "--context", str(context_file(original, folder)), "-o", str(output))
    return result, output


def small_context(folder: Path) -> Path:
    """The least a CONTEXT.yaml may say: format, organisation, employer and setting."""
    path = folder / "context.yaml"
    path.write_text("format: peeradvisor/answers@1\norganisation: X\ncontext: {employer: nhs, setting: community}\n")
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
        result, output = import_to_file(source, original, tmp_path)
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
        result, output = import_to_file(source, original, tmp_path)
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
        context = small_context(tmp_path)
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
        from peeradvisor.respondents.cells import column_for

        header = invoke("survey").stdout.strip().split(",")
        assert [column_for(t) for t in titles] == [column_for(h) for h in header]  # import finds each title
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

    def two_files(self, original: Answers, folder: Path, old: str, new: str) -> tuple[Path, Path]:
        """The first two respondents' files, OLD replaced by NEW in the second."""
        a, b = self.split(original, folder)[:2]
        b.write_text(b.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        return a, b

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
        a, b = self.two_files(original, tmp_path, "setting: inpatient", "setting: community")
        result = invoke("merge", str(a), str(b), "-o", str(tmp_path / "all.yaml"))
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {b}: context.setting: community here, inpatient in {a};")
        assert not (tmp_path / "all.yaml").exists()

    def test_duplicate_labels(self, original: Answers, tmp_path: Path) -> None:
        """The same label in two files is refused, unless --allow-duplicates."""
        a, b = self.two_files(original, tmp_path, "Ward manager", "peer support WORKER")
        output = tmp_path / "all.yaml"
        refused = invoke("merge", str(a), str(b), "-o", str(output))
        assert refused.exit_code == 2 and not output.exists()
        assert f"Error: {b}: responses[0].respondent.label: \"peer support WORKER\" is also the label of {a} " \
               "responses[0]" in refused.stderr
        allowed = invoke("merge", str(a), str(b), "-o", str(output), "--allow-duplicates")
        assert allowed.exit_code == 0, allowed.stderr
        assert len(load_answers(output).responses) == 2

    def test_every_invalid_file_reported(self, tmp_path: Path) -> None:
        """Problems in several input files are all reported, each line naming its own file."""
        a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
        a.write_text("format: peeradvisor/answers@1\norganisation: X\ncontext: {employer: nhs, setting: ward}\n")
        b.write_text("format: peeradvisor/answers@1\norganisation: X\nstage: old\ncontext: {employer: nhs}\n")
        result = invoke("merge", str(a), str(b))
        assert result.exit_code == 2
        assert [line.split(": ")[1:3] for line in result.stderr.splitlines()] == [
            [str(a), "context.setting"], [str(b), "stage"], [str(b), "context.setting"]]

    def test_dates_and_unfinished_files(self, original: Answers, tmp_path: Path) -> None:
        """The joined file takes the latest date, and says so; an unfinished assessment is refused."""
        a, b = self.two_files(original, tmp_path, "assessed_on: '2026-11-25'", "assessed_on: '2026-12-02'")
        result = invoke("merge", str(a), str(b))
        assert result.exit_code == 0, result.stderr
        assert yaml.safe_load(result.stdout)["assessed_on"].isoformat() == "2026-12-02"
        assert "Note: the files were assessed on 2 different dates" in result.stderr
        b.write_text(b.read_text(encoding="utf-8") + "session: {at: inventory.2.1.happening}\n", encoding="utf-8")
        result = invoke("merge", str(a), str(b))
        assert result.exit_code == 2 and f"Error: {b}: has an unfinished assessment" in result.stderr


class TestCells:
    """Headers and cells as survey tools and people write them."""

    @pytest.mark.parametrize(("header", "name"), [
        ("group", "group"), ("GROUP — Which of these groups are you in?", "group"), ("1. Group", "group"),
        ("Q2 Label — a role", "label"), ("Top 3 — Which three items", "top3"), ("top3", "top3"),
        ("1.1 A: Formal recruitment", "1.1 A"), ("12. 2.1 A: Shared understanding — There is …", "2.1 A"),
        ("Q7 5.9 b", "5.9 B"), ("2.1a", "2.1 A"), ("6.5-B", "6.5 B"),
        ("ID", None), ("Start time", None), ("Email", None), ("Name", None), ("Groups", None),
        ("2.1 about", None),
    ])
    def test_headers(self, header: str, name: str | None) -> None:
        """A header is found by its leading code (after a tool's question number), others are not read."""
        from peeradvisor.respondents.cells import column_for

        column = column_for(header)
        assert (column.name if column else None) == name

    @pytest.mark.parametrize(("text", "ids"), [
        ("2.1, 5.8, 5.2", ["2.1", "5.8", "5.2"]), ("2.1;5.8", ["2.1", "5.8"]), ("2.1 5.8 5.2", ["2.1", "5.8", "5.2"]),
        ("2.5 Boundaries between peer workers and service users are clearly managed (e.g. confidentiality, "
         "contact, availability);5.8 Peer workers have a specific function;", ["2.5", "5.8"]),
        ("1.2 Peer workers have lived experience", ["1.2"]), ("", []),
    ])
    def test_top3(self, text: str, ids: list[str]) -> None:
        """Typed numbers, or ticked options as a form exports them (semicolons, the statement after each)."""
        from peeradvisor.respondents.cells import top3

        assert top3(text) == ids

    @pytest.mark.parametrize(("text", "words"), [
        ("maybe", '"maybe" is not an item number'), ("2.1, 2.10", '"2.10" is not an item number'),
        ("7.1", '"7.1" is not an item number'), ("2.1 2.1", "twice"), ("1.1, 1.2, 1.3, 1.4", "at most three"),
    ])
    def test_top3_refusals(self, text: str, words: str) -> None:
        """Anything but up to three distinct item numbers is refused, saying why."""
        from peeradvisor.respondents.cells import CellError, top3

        with pytest.raises(CellError, match=re.escape(words)):
            top3(text)

    def test_importance_numbers_from_a_spreadsheet(self) -> None:
        """Excel keeps typed digits as numbers: 4.0 and "4.0" are importance 4; 5 and 0 are refused."""
        from peeradvisor.respondents.cells import CellError, importance, text_of

        assert importance(text_of(4.0)) == 4 and importance("4.0") == 4 and importance(" 2 ") == 2
        for bad in ("5", "0", "4.5", "very"):
            with pytest.raises(CellError):
                importance(bad)


class TestReadingFiles:
    """CSV and XLSX files as exports really are, within the answers files' limits."""

    HEADER = "group,label,2.1 A,2.1 B,top3\n"

    def read(self, path: Path) -> list[tuple[int, list[Any]]]:
        from peeradvisor.respondents.tables import read_table

        return read_table(path).rows

    def test_excel_separator_line_and_utf16(self, tmp_path: Path) -> None:
        """Excel's `sep=;` first line, and its UTF-16 "Unicode text" (tab separated), are read."""
        sep = tmp_path / "sep.csv"
        sep.write_text("sep=;\n" + self.HEADER.replace(",", ";") + "coworker;Zoë;yes;4;2.1\n", encoding="cp1252")
        utf16 = tmp_path / "unicode.txt"
        utf16.write_bytes((self.HEADER.replace(",", "\t") + "coworker\tZoë\tyes\t4\t2.1\n").encode("utf-16"))
        assert self.read(sep) == self.read(utf16) == [(2, ["coworker", "Zoë", "yes", "4", "2.1"])]

    def test_blank_rows_skipped_and_numbered_as_in_a_spreadsheet(self, tmp_path: Path) -> None:
        """Blank rows are not respondents, and the rows keep the numbers a spreadsheet shows."""
        path = tmp_path / "gaps.csv"
        path.write_text(self.HEADER + ",,,,\ncoworker,,no,,\n\npeer worker,,yes,,\n", encoding="utf-8")
        assert [n for n, _ in self.read(path)] == [3, 5]
        path.write_text("\n" + self.HEADER + "coworker,,no,,\n", encoding="utf-8")  # a blank line above the header
        assert [n for n, _ in self.read(path)] == [3]

    @pytest.mark.parametrize(("name", "content", "words"), [
        ("r.csv", b"", "is empty"),
        ("r.csv", b"PK\x03\x04 not really", "is an Excel workbook"),
        ("r.xlsx", b"not a zip at all", "not a valid .xlsx"),
        ("r.ods", b"group\n", "must be a .csv or .xlsx"),
        ("r.csv", b'group,label\n"unclosed,x\n', "not valid CSV"),
        ("r.csv", b"group\x00label\n", "binary"),
    ])
    def test_refusals(self, tmp_path: Path, name: str, content: bytes, words: str) -> None:
        """Empty, binary, misnamed and broken files are refused with the file named."""
        from peeradvisor.errors import InputError

        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(InputError, match=re.escape(words)) as info:
            self.read(path)
        assert str(info.value).startswith(str(path))

    def test_workbooks_that_are_not_exports(self, tmp_path: Path) -> None:
        """An empty workbook, and a zip that is no workbook, are refused with what to do."""
        import zipfile

        from peeradvisor.errors import InputError

        with pytest.raises(InputError, match="has no header row"):
            self.read(write_xlsx(tmp_path / "empty.xlsx", [], []))
        junk = tmp_path / "junk.xlsx"
        with zipfile.ZipFile(junk, "w") as archive:
            archive.writestr("a.txt", "hello")
        with pytest.raises(InputError, match="save it again as an Excel Workbook"):
            self.read(junk)

    def test_size_limits(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Too large a file, too many rows, too many columns, a workbook that unpacks too far: refused."""
        from peeradvisor.errors import InputError
        from peeradvisor.respondents import tables

        big = tmp_path / "big.csv"
        big.write_text(self.HEADER + "x" * (tables.MAX_BYTES + 1), encoding="utf-8")
        with pytest.raises(InputError, match="the limit is"):
            self.read(big)
        monkeypatch.setattr(tables, "MAX_ROWS", 3)
        rows = tmp_path / "rows.csv"
        rows.write_text(self.HEADER + "coworker,,yes,,\n" * 3, encoding="utf-8")
        with pytest.raises(InputError, match="more than 3 rows"):
            self.read(rows)
        monkeypatch.setattr(tables, "MAX_COLUMNS", 4)
        with pytest.raises(InputError, match="more than 4 columns"):
            self.read(write_csv(tmp_path / "wide.csv", ["group"] * 5, []))
        monkeypatch.setattr(tables, "MAX_UNZIPPED", 1000)
        with pytest.raises(InputError, match="unpacks to"):
            self.read(write_xlsx(tmp_path / "bomb.xlsx", ["group"], []))


class TestImportCommand:
    """What `import` tells the user, and what it will not overwrite."""

    def forms_export(self, tmp_path: Path, template_header: list[str]) -> Path:
        """A Microsoft Forms export: its own columns first, question titles as headers, ticked top 3."""
        meta = ["ID", "Start time", "Completion time", "Email", "Name"]
        header = meta + [h if h in ("group", "label", "top3") else f"{h} — the question" for h in template_header]
        row = ["1", "11/25/26 10:02:11", "11/25/26 10:21:40", "anonymous", "", "Peer worker", "", "Yes",
               "Extremely important"] + [""] * (len(template_header) - 4)
        row[-1] = "2.1 There is a shared understanding of the role;5.8 Peer workers have a specific function;"
        return write_csv(tmp_path / "Form responses.csv", header, [row])

    def test_extra_columns_noted(self, tmp_path: Path, template_header: list[str]) -> None:
        """Columns that are not the inventory's are not read, and the user is told which."""
        source = self.forms_export(tmp_path, template_header)
        context = small_context(tmp_path)
        result = invoke("import", str(source), "--context", str(context))
        assert result.exit_code == 0, result.stderr
        data = yaml.safe_load(result.stdout)
        assert data["responses"] == [{"respondent": {"group": "peer_worker"},
                                      "inventory": {"1.1": {"happening": "yes", "importance": 4}},
                                      "top3": ["2.1", "5.8"]}]
        assert ('Note: 5 column(s) are not questions of the inventory and were not read (nothing of them is in '
                'the answers file): "ID", "Start time", "Completion time", "Email", "Name"') in result.stderr
        assert "anonymous" not in result.stdout

    def test_outputs_never_replace_inputs_or_existing_files(self, tmp_path: Path,
                                                            template_header: list[str]) -> None:
        """-o may not be the export or the context file, nor an existing file without --force."""
        source = self.forms_export(tmp_path, template_header)
        context = small_context(tmp_path)
        before = context.read_bytes()
        for target in (source, context):
            result = invoke("import", str(source), "--context", str(context), "-o", str(target), "--force")
            assert result.exit_code == 2 and "is one of the input files" in result.stderr
        existing = tmp_path / "answers.yaml"
        existing.write_text("keep me\n")
        result = invoke("import", str(source), "--context", str(context), "-o", str(existing))
        assert result.exit_code == 2 and "--force" in result.stderr and existing.read_text() == "keep me\n"
        assert invoke("import", str(source), "--context", str(context), "-o", str(existing), "--force"
                      ).exit_code == 0
        assert load_answers(existing).responses and context.read_bytes() == before

    def test_context_with_responses(self, tmp_path: Path, template_header: list[str]) -> None:
        """A full answers file as context gives its service, not its responses, and says how to add them."""
        source = self.forms_export(tmp_path, template_header)
        result = invoke("import", str(source), "--context", str(EXAMPLE))
        assert result.exit_code == 0, result.stderr
        assert len(yaml.safe_load(result.stdout)["responses"]) == 1
        assert f"Note: {EXAMPLE} has 3 response(s) of its own" in result.stderr and "peeradvisor merge" in result.stderr
