"""A trainee's handout prints on one A4 page (Chromium prints it to PDF; skipped without Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_html_browser import chromium

from peeradvisor.cases import load_folder, scenarios_folder
from peeradvisor.kb import load_kb
from peeradvisor.render.scenarios import handout

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = load_folder(scenarios_folder(ROOT))


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def longest(count: int) -> list[str]:
    """The scenarios whose handouts have the most words (the likeliest to spill onto a second page)."""
    kb = load_kb(ROOT)
    return sorted((c.name for c in SCENARIOS), key=lambda n: -len(handout(
        next(c for c in SCENARIOS if c.name == n), kb, "md").split()))[:count]


@pytest.mark.parametrize("name", longest(1))
def test_handout_is_one_page(name: str, tmp_path: Path) -> None:
    """The handout for trainees is one A4 page; the trainer's copy puts the note on a second."""
    kb = load_kb(ROOT)
    case = next(c for c in SCENARIOS if c.name == name)
    for notes, expected in ((False, 1), (True, 2)):
        page = tmp_path / f"handout-{notes}.html"
        page.write_text(handout(case, kb, "html", notes), encoding="utf-8")
        pdf = tmp_path / f"handout-{notes}.pdf"
        chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
        if not pdf.exists():
            pytest.skip("chromium printed nothing")
        assert pages(pdf.read_bytes()) == expected, (name, notes)
