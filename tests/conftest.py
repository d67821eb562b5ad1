"""Shared fixtures: the real knowledge base (loaded once) and paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from peeradvisor.kb import KnowledgeBase, load_kb

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STUDY = ROOT.parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb(ROOT)


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PEERADVISOR_WIDTH", "80")
    monkeypatch.setenv("COLUMNS", "80")
