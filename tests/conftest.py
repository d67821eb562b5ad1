"""Shared fixtures: the real knowledge base (loaded once) and paths."""

from __future__ import annotations

import os
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from peeradvisor.answers import Answers, load_answers
from peeradvisor.cases import load_folder
from peeradvisor.kb import KnowledgeBase, load_kb

# Keep the knowledge-base cache of the test run out of the user's own cache folder.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="peeradvisor-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STUDY = ROOT.parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"


def every_subject() -> list[tuple[str, Answers]]:
    """Every answers file the knowledge base is checked on: examples, scenarios and cases, each named."""
    subjects = [(f"example:{p.stem}", load_answers(p)) for p in sorted(EXAMPLES.glob("*.yaml"))]
    subjects += [(f"scenario:{c.name}", c.parsed()) for c in load_folder(ROOT / "knowledge" / "scenarios")]
    subjects += [(f"case:{c.name}", c.parsed()) for c in load_folder(ROOT / "tests" / "cases")]
    return subjects


class StartTags(HTMLParser):
    """Every start tag of an HTML document with its attributes (for escaping checks)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb(ROOT)


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PEERADVISOR_WIDTH", "80")
    monkeypatch.setenv("COLUMNS", "80")


# ---------------------------------------------------------------- golden files (memo formats)
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the files in tests/golden/ from the current output instead of comparing.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# ---------------------------------------------------------------- browser tests are not optional in CI
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Where CI installed Chromium (PEERADVISOR_REQUIRE_BROWSER=1), a browser test that skips has failed."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("PEERADVISOR_REQUIRE_BROWSER") and report.skipped and "chromium" in str(report.longrepr).lower():
        report.outcome = "failed"
