"""`peeradvisor validate FILE…`: check answers files without advising; every problem of a file, one a line."""

from __future__ import annotations

from pathlib import Path

from .. import safe_text
from ..answers import load_answers
from ..cli_errors import show_error
from ..errors import EXIT_INPUT, InputError
from .common import echo


def validate(files: list[Path]) -> int:
    failed = 0
    for path in files:
        try:
            answers = load_answers(path)
        except InputError as exc:
            show_error(exc.lines())
            failed += 1
            continue
        n = len(answers.responses)
        shown = safe_text.terminal(path, one_line=True)
        echo(f"{shown}: valid ({answers.stage}, {answers.context.employer}, {answers.context.setting}, "
                   f"{n} response{'s' if n != 1 else ''})")
    return EXIT_INPUT if failed else 0
