"""The step view driven through a real 80×24 terminal: keys without Enter, forward, back, jump, quit.

pexpect runs peeradvisor in a pseudo-terminal of 24 rows and 80 columns; pyte plays the output on an
emulated screen of the same size, so the tests see exactly what a room would see on the projector.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

ROOT = Path(__file__).resolve().parents[1]
NHS = str(ROOT / "examples" / "nhs-inpatient-new.yaml")
ROWS, COLS = 24, 80


class Terminal:
    """peeradvisor in an 80×24 pseudo-terminal, its screen emulated."""

    def __init__(self, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("PEERADVISOR_WIDTH", "COLUMNS", "LINES", "NO_COLOR")}
        env["TERM"] = "xterm-256color"
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(sys.executable, ["-m", "peeradvisor", *args], cwd=str(ROOT), env=env,
                                   dimensions=(ROWS, COLS))

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def rows(self) -> list[str]:
        return [row.rstrip() for row in self.screen.display]

    def wait_for(self, wanted: str, timeout: float = 15) -> str:
        """Read output until WANTED is on the screen (and the screen has settled)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.1))
            except pexpect.TIMEOUT:
                if wanted in self.text:
                    return self.text
            except pexpect.EOF:
                break
        assert wanted in self.text, f"{wanted!r} not on the screen:\n{self.text}"
        return self.text

    def press(self, keys: str, then: str) -> str:
        self.child.send(keys)
        return self.wait_for(then)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF, timeout=10)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def assert_fits(term: Terminal, title: str) -> None:
    """The whole screen is in view: the title on the first row, the keys on the last, nothing wider."""
    rows = term.rows()
    assert rows[0].startswith(title[:40]), rows
    assert rows[-1].startswith("Enter next · b back"), rows
    assert max(len(r) for r in rows) <= COLS


@pytest.fixture
def terminal():  # type: ignore[no-untyped-def]
    made: list[Terminal] = []

    def start(*args: str) -> Terminal:
        made.append(Terminal(*args))
        return made[-1]

    yield start
    for term in made:
        if term.child.isalive():
            term.child.terminate(force=True)


class TestPresent:
    """`--present` on the projector: one screen per step."""

    def test_forward_back_jump_quit(self, terminal) -> None:  # type: ignore[no-untyped-def]
        """Enter and space go on, b goes back, 12 Enter jumps, q quits with status 0; every screen fits."""
        title = "The peer worker who became an extra pair of hands"
        term = terminal("scenarios", "run", "extra-pair-of-hands", "--present")
        term.wait_for("── Introduction")
        assert title in term.rows()[3]
        assert term.press("\r", "STEP 1 OF 38").count("STEP") == 1
        assert_fits(term, title)
        term.press(" ", "STEP 2 OF 38")
        assert_fits(term, title)
        assert "Step 2 of 38" in term.rows()[-2]
        term.press("b", "STEP 1 OF 38")
        term.press("12", "Go to step 12")
        assert "STEP 1 OF 38" in term.text  # nothing moves until Enter
        term.press("\r", "STEP 12 OF 38")
        assert_fits(term, title)
        term.press("q", "Stopped at step 12 of 38.")
        assert term.finish() == 0

    def test_facts_and_keys_screens(self, terminal) -> None:  # type: ignore[no-untyped-def]
        """s shows the facts and ? the keys, each fitting the screen; any key returns to the step."""
        term = terminal("advise", NHS, "--present")
        term.wait_for("── Introduction")
        term.press("5\r", "STEP 5 OF")
        term.press("s", "What the engine knows at step 5")
        assert len(term.rows()) == ROWS and "Concluded so far:" in term.text
        term.press("x", "STEP 5 OF")
        term.press("?", "back one step")
        term.press("x", "STEP 5 OF")
        term.press("e", "Done:")
        term.press("\r", "This is the end: q quits, b goes back.")
        term.child.send("q")
        assert term.finish() == 0

    def test_what_if_banner(self, terminal) -> None:  # type: ignore[no-untyped-def]
        """A what-if is named under the title on every screen, and the end compares before and after."""
        term = terminal("advise", NHS, "--present", "--set", "context.staffing_pressure=false")
        term.wait_for("── Introduction")
        assert "What if: Often short-staffed: no (was yes)" in term.rows()[1]
        term.press("\r", "STEP 1 OF")
        assert "What if: Often short-staffed: no (was yes)" in term.rows()[1]
        term.press("e", "Done:")
        term.press("\r", "Before and after")
        assert "── The end (2 of" in term.text
        term.child.send("q")
        assert term.finish() == 0


class TestScroll:
    """`--step` without --present: the steps scroll, keys work without Enter."""

    def test_single_keys(self, terminal) -> None:  # type: ignore[no-untyped-def]
        """Enter shows step 2, b shows step 1 again, q stops; the prompt never stays on the screen."""
        term = terminal("advise", NHS, "--step")
        term.wait_for("Step 1 of")
        term.press("\r", "Step 2 of")
        term.press("b", "-- step 1 of")
        last = [r for r in term.rows() if r.startswith("Step ")][-1]
        assert last.startswith("Step 1 of")
        term.press("q", "Stopped at step 1 of")
        assert "-- step" not in term.text
        assert term.finish() == 0

    def test_interrupt(self, terminal) -> None:  # type: ignore[no-untyped-def]
        """Ctrl-C stops with status 130 (and the terminal is given back in its normal mode)."""
        term = terminal("scenarios", "run", "ward-round-language", "--present")
        term.wait_for("── Introduction")
        term.child.sendintr()
        assert term.finish() == 130
