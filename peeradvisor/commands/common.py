"""Small helpers the commands share: choosing renderers, writing output safely."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from ..errors import UsageError
from ..yamlio import atomic_write


class TextFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"


def emit(text: str, output: Path | None, inputs: tuple[Path, ...] = ()) -> None:
    """Print to stdout, or write atomically to OUTPUT (never over one of the input files)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    guard_output(output, inputs)
    atomic_write(output, text)
    typer.echo(f"Wrote {output}", err=True)


def guard_output(output: Path, inputs: tuple[Path, ...]) -> None:
    resolved = output.resolve()
    for source in inputs:
        if source.exists() and source.resolve() == resolved:
            raise UsageError(f"--output {output} is one of the input files; choose another path")
    if output.is_dir():
        raise UsageError(f"--output {output} is a folder; give a file name")
