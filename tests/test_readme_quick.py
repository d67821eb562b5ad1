"""The README's `assess --quick` table is measured, not written: each figure is what the benchmark's
`quick_questions` gives today (it answers through the same session and quick ordering `assess` uses)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from peeradvisor.yamlio import load_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from questions import TYPICAL_WARD, quick_questions  # noqa: E402

ORDINAL = {"the peer support worker's answers": 0, "the peer worker's": 0, "the ward manager's": 1,
           "the staff nurse's": 2, "the strategic manager's": 1}


def readme_rows() -> list[tuple[str, int, str, int]]:
    """(example file or 'typical', respondent index, quick figure or '—', full figure) per table row."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.partition("| answers | `--quick` | full |")[2].partition("\n\n")[0]
    rows, current = [], ""
    for line in table.splitlines()[2:]:
        who, quick, full = (c.strip() for c in line.strip("|").split("|"))
        named = re.search(r"`examples/([^`]+)`", who)
        if named:
            current = named[1]
        source = "typical" if who.startswith("a typical") else current
        respondent = next((i for words, i in ORDINAL.items() if words in who), 0)
        rows.append((source, respondent, quick, int(full)))
    return rows


@pytest.mark.parametrize("source,respondent,quick,full", readme_rows())
def test_readme_quick_figures_are_measured(source: str, respondent: int, quick: str, full: int) -> None:
    data = TYPICAL_WARD if source == "typical" else load_file(ROOT / "examples" / source)
    asked, total = quick_questions(data, respondent)
    assert (str(asked) if asked is not None else "—", total) == (quick, full), (
        f"README says {quick} of {full} for {source} (respondent {respondent + 1}); "
        "update the table from `uv run python benchmarks/questions.py`")


def test_every_row_is_read() -> None:
    assert len(readme_rows()) == 7
