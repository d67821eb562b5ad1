"""Every table-producing command fits the terminal, at 80 and at 60 columns, without cutting an id."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from peeradvisor.cli import app
from peeradvisor.commands.batch import Outcome, SiteRow
from peeradvisor.kb import KnowledgeBase
from peeradvisor.render.advice import show_summary
from peeradvisor.render.textgrid import Column, grid, stacked, table
from peeradvisor.vocab import GROUPS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NHS = str(EXAMPLES / "nhs-inpatient-new.yaml")
runner = CliRunner()


@pytest.fixture()
def six_groups(tmp_path: Path) -> Path:
    """All six stakeholder groups, each answering a few items."""
    responses = [{"respondent": {"group": g}, "inventory": {"2.1": "yes", "2.7": "partly", "3.4": "no"}}
                 for g in GROUPS]
    path = tmp_path / "six.json"
    path.write_text(json.dumps({"format": "peeradvisor/answers@1", "organisation": "Six groups",
                                "context": {"employer": "nhs", "setting": "community"},
                                "responses": responses}), encoding="utf-8")
    return path


def _run(width: int, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("PEERADVISOR_WIDTH", str(width))
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _fits(out: str, width: int) -> None:
    long = [line for line in out.splitlines() if len(line) > width]
    assert not long, f"{len(long)} line(s) wider than {width}: {long[:3]}"


@pytest.mark.parametrize("width", [80, 60])
class TestCommandsFit:
    """Each command that prints a table, at a given terminal width."""

    def test_consensus(self, width: int, monkeypatch: pytest.MonkeyPatch, six_groups: Path) -> None:
        """The divergence list, the answers table and the role star, for three groups and for six."""
        for path in (NHS, str(six_groups)):
            out = _run(width, monkeypatch, "consensus", path)
            _fits(out, width)
            assert "Answers by group" in out and "Role star" in out
        words = out.split()
        assert {"Different", "service-user", "relationships"} <= set(words)  # wrapped, never cut
        assert "…" not in out

    @pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
    def test_options(self, width: int, monkeypatch: pytest.MonkeyPatch, example: str) -> None:
        """The nine arrangements' table and every block, with every finding id whole."""
        out = _run(width, monkeypatch, "options", str(EXAMPLES / example))
        _fits(out, width)
        assert out.count("Partnership (voluntary)") >= 3

    def test_rules(self, width: int, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase) -> None:
        """`rules` lists every rule id whole, each on a line of its own (the ids errors tell you to look up)."""
        out = _run(width, monkeypatch, "rules")
        _fits(out, width)
        starts = {line.split()[0] for line in out.splitlines() if line.strip()}
        assert {r.id for r in kb.rules} <= starts

    def test_rules_coverage(self, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
        """Items, themes and Chapter 5 sections, wrapped rather than cut."""
        out = _run(width, monkeypatch, "rules", "coverage")
        _fits(out, width)
        flat = " ".join(out.split())
        assert "Evolving organisational structures to support the peer worker role" in flat
        assert "Different service-user relationships" in flat

    def test_batch_summary(self, width: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """`advise FOLDER`: one short block per file, naming the file and its memo."""
        folder = tmp_path / "in"
        folder.mkdir()
        for example in EXAMPLES.glob("*.yaml"):
            (folder / example.name).write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
        out = _run(width, monkeypatch, "advise", str(folder), "-o", str(tmp_path / "out"), "-f", "md")
        _fits(out, width)
        flat = " ".join(out.split())
        assert "voluntary-peer-led-community.yaml → voluntary-peer-led-community.md" in flat
        assert "Top finding:" in out

    def test_scenarios_list(self, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
        """The scenario library: names whole, descriptions wrapped under them."""
        out = _run(width, monkeypatch, "scenarios", "list")
        _fits(out, width)
        assert "extra-pair-of-hands" in out.split()


class TestBatchSummaryLayouts:
    """The batch summary: columns on a wide terminal, blocks when narrow or piped."""

    @staticmethod
    def _outcomes() -> list[Outcome]:
        row = SiteRow(organisation="Riverside NHS Trust — Ward 4", stage="new", employer="nhs",
                      setting="inpatient", warnings=21, top="The peer worker role is not fully valued")
        return [Outcome(0, Path("in/riverside.yaml"), Path("out/riverside.html"), row=row),
                Outcome(1, Path("in/broken.yaml"), Path("out/broken.html"), error="bad", exit_code=2)]

    def _show(self, width: int, terminal: bool) -> str:
        buffer = io.StringIO()
        show_summary(self._outcomes(), Console(file=buffer, width=width, force_terminal=terminal,
                                               no_color=True, color_system=None))
        return buffer.getvalue()

    def test_wide_terminal_gets_columns(self) -> None:
        """On a wide terminal: a header with file and memo columns, one line per site."""
        out = self._show(160, terminal=True)
        header = out.splitlines()[1].split()
        assert header[:3] == ["file", "memo", "organisation"] and "warnings" in header
        row = next(line for line in out.splitlines() if line.startswith("riverside.yaml"))
        assert "riverside.html" in row and "21" in row and "Ward 4" in row
        assert "not written" in out and "failed: see the error above" in out

    def test_piped_output_is_stacked(self) -> None:
        """Piped (not a terminal), even when wide: one block per file, at most three lines each here."""
        out = self._show(160, terminal=False)
        assert "riverside.yaml → riverside.html" in out
        assert "Riverside NHS Trust — Ward 4 (new, nhs, inpatient): 21 warning(s)" in out
        assert len(out.splitlines()) == 1 + 3 + 2

    def test_narrow_terminal_is_stacked(self) -> None:
        """A terminal too narrow for the columns gets the blocks, within its width."""
        out = self._show(50, terminal=True)
        assert "riverside.yaml → riverside.html" in out
        assert all(len(line) <= 50 for line in out.splitlines())


class TestTextGrid:
    """The plain-text table behind these views."""

    COLUMNS = (Column("id", wrap=False), Column("title"), Column("n", right=True))
    ROWS = (("nhs-line-manager-unfamiliar-with-role", "Peer workers may be line managed by someone unprepared", "3"),
            ("short", "A title", "12"))

    def test_wraps_titles_never_ids(self) -> None:
        """Too wide for one line: the title wraps at spaces; the id stays whole; numbers align right."""
        lines = grid(self.COLUMNS, self.ROWS, 70)
        assert lines is not None and all(len(line) <= 70 for line in lines)
        assert lines[1].startswith("nhs-line-manager-unfamiliar-with-role  ") and lines[1].endswith(" 3")
        assert len(lines) > 3  # the long title took two lines

    def test_stacks_when_columns_cannot_fit(self) -> None:
        """Narrower than the id plus the longest word: one block per row, `name: value` pairs."""
        assert grid(self.COLUMNS, self.ROWS, 45) is None
        lines = table(self.COLUMNS, self.ROWS, 45)
        assert lines == stacked(self.COLUMNS, self.ROWS, 45)
        assert lines[0] == "nhs-line-manager-unfamiliar-with-role" and all(len(x) <= 45 for x in lines)
        assert "n: 3" in " ".join(lines)


def test_memo_chart_labels_are_whole(tmp_path: Path, kb: KnowledgeBase) -> None:
    """The HTML memo's 'Where the service stands' chart wraps a long domain title onto two lines
    (at most 34 characters each, which fit left of the bars) instead of cutting it with '…'."""
    import re
    from html import unescape

    out = tmp_path / "memo.html"
    result = runner.invoke(app, ["advise", NHS, "-f", "html", "-o", str(out), "--date", "2026-12-01"])
    assert result.exit_code == 0, result.stderr
    labels = re.findall(r'<text class="domain-label"[^>]*>(.*?)</text>', out.read_text(encoding="utf-8"))
    assert len(labels) == len(kb.domains)
    for label, domain in zip(labels, kb.domains, strict=True):
        parts = [unescape(p) for p in re.findall(r"<tspan[^>]*>(.*?)</tspan>", label)]
        assert " ".join(parts) == f"{domain.id}. {domain.heading}" and all(len(p) <= 34 for p in parts)
    assert len(re.findall(r"<tspan", labels[0])) == 2  # "1. Recruitment, job description and career pathway"
