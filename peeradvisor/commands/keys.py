"""Keys for the step view: one keystroke at a time at a terminal, or one line at a time from a pipe.

At a terminal the reader puts it in cbreak mode (keys arrive without Enter and are not echoed; Ctrl-C
still interrupts) and always restores it. Elsewhere (a pipe, a script, CliRunner) each line is one
command: empty for Enter, `b`, `12` (go to step 12), `s`, `?`, `q`, or the words next, back, facts,
help, end, quit. Keys come back as names: `enter`, `space`, `left`, `right`, `backspace`, `esc`, or
the character typed.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import IO, Any

WORDS = {"next": "enter", "n": "enter", "back": "b", "facts": "s", "help": "?", "keys": "?", "end": "e",
         "quit": "q", "stop": "q"}
ARROWS = {"[C": "right", "[D": "left", "OC": "right", "OD": "left", "[A": "up", "[B": "down"}


class KeyReader:
    """Read keys from STREAM (default: standard input); use as a context manager."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdin
        self.keys = _is_terminal(self.stream)
        self._saved: list[Any] | None = None

    def __enter__(self) -> KeyReader:
        if self.keys:
            import termios
            import tty

            fd = self.stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None

    def read(self) -> list[str] | None:
        """The next keys: one keystroke at a terminal, a line's worth from a pipe; None at end of input."""
        return self._key() if self.keys else self._line()

    def _key(self) -> list[str] | None:
        fd = self.stream.fileno()
        data = os.read(fd, 1)
        if not data:
            return None
        char = data.decode("utf-8", "replace")
        if char == "\x1b":
            rest = _pending(fd, 2)
            return [ARROWS.get(rest, "esc")]
        if char == "\x04":  # Ctrl-D
            return None
        return [_name(char)]

    def _line(self) -> list[str] | None:
        line = self.stream.readline()
        if not line:
            return None
        text = line.strip().lower()
        if not text:
            return ["enter"]
        if text.isdigit():
            return [*text, "enter"]
        return [WORDS.get(text, text)]


def _name(char: str) -> str:
    return {"\r": "enter", "\n": "enter", " ": "space", "\x7f": "backspace", "\b": "backspace"}.get(char, char)


def _pending(fd: int, most: int) -> str:
    """Up to MOST bytes that follow at once (an arrow key's escape sequence), or nothing."""
    import select

    out = b""
    while len(out) < most and select.select([fd], [], [], 0.05)[0]:
        out += os.read(fd, 1)
    return out.decode("ascii", "replace")


def _is_terminal(stream: IO[str]) -> bool:
    try:
        import termios  # noqa: F401 - not on Windows: read lines there

        return stream.isatty()
    except (ImportError, AttributeError, ValueError):
        return False
