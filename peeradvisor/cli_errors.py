"""Map every failure to its exit status in one place: 2 bad input, 1 internal, 130 interrupted.

Standard output is checked like any file: a full disk is reported (exit 1), and a reader that stops
reading (`peeradvisor advise … | head -1`) ends the run quietly with exit 0, as `git log | head` does.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

import typer

from . import safe_text
from .errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, InputError, PeeradvisorError
from .yamlio import write_all

P = ParamSpec("P")
R = TypeVar("R")

DEBUG = {"on": False}
STDOUT = "standard output"


def fail(message: str | Iterable[str], code: int) -> typer.Exit:
    """Print MESSAGE on standard error, each of its lines (one a problem) as its own `Error:` line."""
    show_error(message)
    return typer.Exit(code)


def show_error(message: str | Iterable[str]) -> None:
    """One `Error:` line per line of MESSAGE; file names and values in it are shown safely (no escape
    sequence reaches the terminal, and a line break inside a name cannot start a line of its own)."""
    lines = message.split("\n") if isinstance(message, str) else list(message)
    for line in lines or [""]:
        say(f"Error: {line}")


def say(message: str) -> None:
    """A one-line message on standard error (progress, `Wrote FILE`), shown safely."""
    with contextlib.suppress(OSError):  # standard error gone or full: nowhere left to say it
        typer.echo(safe_text.terminal(message, one_line=True), err=True)


def _problems(exc: PeeradvisorError) -> list[str] | str:
    return exc.lines() if isinstance(exc, InputError) else str(exc)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a command, turning our exceptions into one `Error: …` line and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except PeeradvisorError as exc:
            raise fail(_problems(exc), exc.exit_code) from None
        except BrokenPipeError:  # the reader stopped reading: not a failure, and nothing to say
            _silence_stdout()
            raise typer.Exit(EXIT_OK) from None
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise _internal(exc) from None
            _silence_stdout()
            full = "no space left on the device" if exc.errno == errno.ENOSPC else exc.strerror
            raise fail(f"{exc.filename or STDOUT}: {full}; the output is incomplete", EXIT_INTERNAL) from None
        except (KeyboardInterrupt, typer.Abort):
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # an internal failure: short message; traceback only with --debug
            if type(exc).__module__.startswith("typer"):
                raise  # typer's own usage errors (exit 2) pass through
            raise _internal(exc) from None

    return wrapper


def _internal(exc: Exception) -> typer.Exit:
    if DEBUG["on"]:
        traceback.print_exception(exc, file=sys.stderr)
    return fail(f"internal error ({type(exc).__name__}); run again with --debug for details", EXIT_INTERNAL)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


class _WholeWrites(io.RawIOBase):
    """Standard output's file descriptor, written whole or not at all: Python's buffered writer takes a
    short write on a filling disk as done and silently drops the rest."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            write_all(self._fd, bytes(data))
        except OSError as exc:
            exc.filename = STDOUT
            raise
        return len(data)


def check_stdout() -> None:
    """Make every write to standard output (Rich, typer.echo, sys.stdout) whole or an error."""
    out = sys.stdout
    try:
        fd = out.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return  # not a real file (a test runner's capture): nothing to check
    out.flush()
    raw = _WholeWrites(fd)
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=out.encoding, errors=out.errors,
                                  line_buffering=bool(out.line_buffering))
