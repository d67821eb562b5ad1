"""Map every failure to its exit status in one place: 2 bad input, 1 internal, 130 interrupted."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from .errors import EXIT_INTERNAL, EXIT_INTERRUPTED, PeeradvisorError

P = ParamSpec("P")
R = TypeVar("R")

DEBUG = {"on": False}


def fail(message: str, code: int) -> typer.Exit:
    """Print MESSAGE on standard error, each of its lines (one a problem) as its own `Error:` line."""
    show_error(message)
    return typer.Exit(code)


def show_error(message: str) -> None:
    for line in message.splitlines() or [""]:
        typer.echo(f"Error: {line}", err=True)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a command, turning our exceptions into one `Error: …` line and an exit status."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except PeeradvisorError as exc:
            raise fail(str(exc), exc.exit_code) from None
        except (KeyboardInterrupt, typer.Abort):
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # an internal failure: short message; traceback only with --debug
            if type(exc).__module__.startswith("typer"):
                raise  # typer's own usage errors (exit 2) pass through
            if DEBUG["on"]:
                traceback.print_exc(file=sys.stderr)
            raise fail(f"internal error ({type(exc).__name__}); run again with --debug for details",
                       EXIT_INTERNAL) from None

    return wrapper
