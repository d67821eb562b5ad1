"""`peeradvisor validate FILE…`: check answers files without advising; every problem of a file, one a line."""

from __future__ import annotations

from pathlib import Path

import typer

from ..answers import load_answers
from ..cli_errors import show_error
from ..errors import EXIT_INPUT, InputError


def validate(files: list[Path]) -> int:
    failed = 0
    for path in files:
        try:
            answers = load_answers(path)
        except InputError as exc:
            show_error(str(exc))
            failed += 1
            continue
        n = len(answers.responses)
        typer.echo(f"{path}: valid ({answers.stage}, {answers.context.employer}, {answers.context.setting}, "
                   f"{n} response{'s' if n != 1 else ''})")
    return EXIT_INPUT if failed else 0
