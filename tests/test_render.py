"""Memo renderers: golden Markdown, HTML and JSON per example, Word structure, and hostile free text."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pytest
from conftest import StartTags
from typer.testing import CliRunner

from peeradvisor.answers import Answers, answers_from_data, answers_to_data, load_answers
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase
from peeradvisor.render import docx as docx_render
from peeradvisor.render import html as html_render
from peeradvisor.render import markdown as md_render
from peeradvisor.render.memo import STUDY_DOI, STUDY_URL, Memo, build_memo

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATE = "2026-12-01"
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}",
           "[click](javascript:alert(1))"]
HOSTILE_TEXT = " ".join(HOSTILE)
runner = CliRunner()


def check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run `uv run pytest --update-golden`"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if intended, run `uv run pytest --update-golden`")


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_golden(example: Path, fmt: str, update_golden: bool) -> None:
    """`advise --format md|html|json --date` matches tests/golden/<example>.<format>."""
    result = runner.invoke(app, ["advise", str(example), "--format", fmt, "--date", DATE])
    assert result.exit_code == 0, result.stderr
    check_golden(f"{example.stem}.{fmt}", result.stdout, update_golden)


def hostile_answers() -> Answers:
    data = answers_to_data(load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml"))
    data["organisation"] = HOSTILE_TEXT
    data["context"]["setting_detail"] = HOSTILE_TEXT
    data["responses"][0]["respondent"]["label"] = HOSTILE_TEXT
    return answers_from_data(data, "<hostile>")


@pytest.fixture(scope="module")
def hostile_memo(kb: KnowledgeBase) -> Memo:
    answers = hostile_answers()
    return build_memo(answers, advise(answers, kb), kb, date=dt.date(2026, 12, 1))


def parse_tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = StartTags()
    parser.feed(text)
    return parser.tags


def test_html_escapes_hostile_text(hostile_memo: Memo) -> None:
    """Organisation, respondent label and setting detail are escaped: no element comes from them."""
    out = html_render.render(hostile_memo)
    tags = {tag for tag, _ in parse_tags(out)}
    assert not tags & {"script", "img", "iframe", "object", "embed"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in out
    assert "{{ 7*7 }}" in out
    assert all("onerror" not in attrs for _, attrs in parse_tags(out))


def test_html_is_self_contained(kb: KnowledgeBase) -> None:
    """One file: inline CSS and SVG, no scripts, no external assets; links only within or to the DOI."""
    answers = load_answers(EXAMPLES[0])
    out = html_render.render(build_memo(answers, advise(answers, kb), kb, date=dt.date(2026, 12, 1)))
    tags = parse_tags(out)
    names = {tag for tag, _ in tags}
    assert "svg" in names and "style" in names
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    assert all("src" not in attrs for _, attrs in tags)
    assert all(attrs["href"] == STUDY_URL or (attrs["href"] or "").startswith("#")
               for _, attrs in tags if "href" in attrs)
    assert "url(" not in out and "@import" not in out


def test_markdown_makes_hostile_text_harmless(hostile_memo: Memo) -> None:
    """In Markdown the hostile text is backslash-escaped: no raw HTML, no link, template text kept."""
    out = md_render.render(hostile_memo)
    stamp_tags = re.sub(r"</?sub>", "", out)  # the memo's own small-type stamp is the only markup it adds
    assert not re.search(r"(?<!\\)[<>]", stamp_tags), "every < and > must be backslash-escaped"
    assert r"\<script\>alert(1)\</script\>" in out
    assert r"\[click\](javascript:alert(1))" in out
    assert r"{{ 7\*7 }}" in out and "49" not in out


def test_markdown_report_without_memo(kb: KnowledgeBase) -> None:
    """Given a bare Report, the Markdown renderer still prints its findings (used by scenarios run)."""
    report = advise(load_answers(EXAMPLES[0]), kb)
    out = md_render.render(report)
    assert out.startswith(f"# Advice for {report.organisation}") and report.findings[0].title in out


def docx_text(document: docx.document.Document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_docx_keeps_hostile_text_as_plain_text(hostile_memo: Memo) -> None:
    """In Word the hostile text is inserted verbatim as plain text (a run), never as markup."""
    document = docx.Document(io.BytesIO(docx_render.render(hostile_memo)))
    text = docx_text(document)
    assert HOSTILE_TEXT in text
    assert document.paragraphs[0].text == f"Advice memo: {HOSTILE_TEXT}"
    assert document.core_properties.title == f"Advice memo: {HOSTILE_TEXT}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_docx_structure(example: Path, kb: KnowledgeBase) -> None:
    """The Word memo has a title, the contract's sections in order, a heading per finding, and tables."""
    answers = load_answers(example)
    memo = build_memo(answers, advise(answers, kb), kb, date=dt.date(2026, 12, 1))
    document = docx.Document(io.BytesIO(docx_render.render(memo)))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", memo.title)
    level1 = [text for style, text in headings if style == "Heading 1"]
    assert level1 == ["Start here", "The context as understood", "Main points", "Action plan",
                      "What to ask next", "What the study can and cannot say", "Every finding in full",
                      "Where the service stands", "Importance ratings compared with the study", "Answers given"]
    assert ("Title", "Appendix") in headings
    level2 = [text for style, text in headings if style == "Heading 2"]
    assert all(f"{f.rank}. {f.title}" in level2 for f in memo.findings)
    first_rows = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Aspect", "As understood"] in first_rows
    standing = ["Domain", "Items", "Yes", "Partly", "No", "Don't know / not relevant", "Not answered"]
    assert standing in first_rows
    plan = ["Item", "What to do", "Now", "Who", "When"] if memo.plan_status_known else ["Item", "What to do", "Who",
                                                                                         "When"]
    assert (plan in first_rows) == bool(memo.plan)
    assert sum(row == ["Item", "Happening", "Importance", "Top 3"] for row in first_rows) == sum(
        1 for r in memo.answers if r.rows)
    text = docx_text(document)
    assert f"doi:{STUDY_DOI}" in text and memo.findings[0].evidence[0].locator in text


def test_docx_bytes_are_reproducible(hostile_memo: Memo) -> None:
    """The same memo gives the same .docx bytes (no timestamps)."""
    assert docx_render.render(hostile_memo) == docx_render.render(hostile_memo)


def test_cli_writes_docx_and_text_files(tmp_path: Path) -> None:
    """`--format docx -o` writes a Word file; `--format text -o` writes the terminal view without colour."""
    memo = tmp_path / "memo.docx"
    result = runner.invoke(app, ["advise", str(EXAMPLES[0]), "-f", "docx", "-o", str(memo), "--date", DATE])
    assert result.exit_code == 0, result.stderr
    assert docx.Document(str(memo)).paragraphs[0].style.name == "Title"
    text = tmp_path / "memo.txt"
    result = runner.invoke(app, ["advise", str(EXAMPLES[0]), "-f", "text", "-o", str(text)])
    assert result.exit_code == 0, result.stderr
    assert "Why:" in text.read_text(encoding="utf-8") and "\x1b[" not in text.read_text(encoding="utf-8")


def test_bad_date_is_refused() -> None:
    """An impossible --date exits 2 with one Error line."""
    result = runner.invoke(app, ["advise", str(EXAMPLES[0]), "-f", "md", "--date", "2026-13-01"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --date '2026-13-01' is not a date")
