"""Small helpers the commands share: choosing renderers, writing output safely."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .. import safe_text
from ..cli_errors import say
from ..errors import UsageError
from ..yamlio import atomic_write, output_target


def emit(text: str | bytes, output: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    """Print to stdout, or write atomically to OUTPUT (never over one of the input files).

    Binary content needs an OUTPUT; the caller says so before doing the work."""
    if output is None:
        if isinstance(text, bytes):
            raise UsageError("this makes a binary file; give --output FILE")
        echo(text, nl=False)
        return
    guard_output(output, inputs)
    write_file(output, text)


def write_file(output: Path, data: str | bytes) -> None:
    """Write OUTPUT atomically and say so. (Each renderer makes its own format safe: a file keeps its data.)"""
    atomic_write(output, data)
    say(f"Wrote {output}")


def echo(text: str, *, nl: bool = True) -> None:
    """Text on standard output, with no control character a terminal would obey (`safe_text.terminal`)."""
    sys.stdout.write(safe_text.terminal(text) + ("\n" if nl else ""))
    sys.stdout.flush()


def build_and_emit(file: Path, kb_root: Path | None, build: Callable[[Any, Any], Any], fmt: str,
                   renderers: Mapping[Any, Callable[[Any], str]], output: Path | None) -> None:
    """Load the answers and the knowledge base, build a view, render it in FMT and emit it."""
    from ..answers import load_answers
    from ..kb import load_kb

    result = build(load_answers(file), load_kb(kb_root))
    emit(renderers[fmt](result), output, (file,))


def guard_output(output: Path, inputs: tuple[Path, ...]) -> None:
    """Refuse, before any work, an OUTPUT that is an input, a folder, a pipe or a device."""
    resolved = output.resolve()
    for source in inputs:
        if source.exists() and source.resolve() == resolved:
            raise UsageError(f"--output {output} is one of the input files; choose another path")
    try:
        output_target(output)
    except UsageError as exc:
        raise UsageError(f"--output {exc}") from None
