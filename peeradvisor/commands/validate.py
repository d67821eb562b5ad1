"""`peeradvisor validate FILE…`: check answers files without advising."""

from __future__ import annotations

from pathlib import Path

import typer

from ..answers import load_answers
from ..errors import EXIT_INPUT, InputError


def validate(files: list[Path]) -> int:
    failed = 0
    for path in files:
        try:
            answers = load_answers(path)
        except InputError as exc:
            typer.echo(f"Error: {exc}", err=True)
            failed += 1
            continue
        n = len(answers.responses)
        typer.echo(f"{path}: valid ({answers.stage}, {answers.context.employer}, {answers.context.setting}, "
                   f"{n} response{'s' if n != 1 else ''})")
    return EXIT_INPUT if failed else 0
