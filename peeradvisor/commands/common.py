"""Small helpers the commands share: choosing renderers, writing output safely."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import typer

from ..errors import UsageError
from ..yamlio import atomic_write


def emit(text: str | bytes, output: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    """Print to stdout, or write atomically to OUTPUT (never over one of the input files).

    Binary content needs an OUTPUT; the caller says so before doing the work."""
    if output is None:
        if isinstance(text, bytes):
            raise UsageError("this makes a binary file; give --output FILE")
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    guard_output(output, inputs)
    atomic_write(output, text)
    typer.echo(f"Wrote {output}", err=True)


def build_and_emit(file: Path, kb_root: Path | None, build: Callable[[Any, Any], Any], fmt: str,
                   renderers: Mapping[Any, Callable[[Any], str]], output: Path | None) -> None:
    """Load the answers and the knowledge base, build a view, render it in FMT and emit it."""
    from ..answers import load_answers
    from ..kb import load_kb

    result = build(load_answers(file), load_kb(kb_root))
    emit(renderers[fmt](result), output, (file,))


def guard_output(output: Path, inputs: tuple[Path, ...]) -> None:
    resolved = output.resolve()
    for source in inputs:
        if source.exists() and source.resolve() == resolved:
            raise UsageError(f"--output {output} is one of the input files; choose another path")
    if output.is_dir():
        raise UsageError(f"--output {output} is a folder; give a file name")
