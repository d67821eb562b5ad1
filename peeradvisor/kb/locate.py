"""Where a problem in a knowledge-base file is: the YAML path of a validation error, and its line.

Lines are found only when a problem is reported (`yamlio.line_of` composes the file's node tree again), so
loading a valid knowledge base costs nothing extra.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import Problem
from ..validation import field_path
from ..yamlio import line_of, read_text
from .conditions import KINDS
from .models import REQUIRED_HINTS

MAX_SHOWN = 20
_CONDITION_LISTS = ("when", "any", "all")


def yaml_loc(loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """A pydantic error location as the path in the file: the tag pydantic adds after each condition
    (`when, 0, context, is` for `when[0].is`) and validator markers are dropped."""
    out: list[int | str] = []
    condition_next = False  # the next part is where a condition starts, so it may be a tag
    for part in loc:
        if condition_next and part in KINDS:
            condition_next = False
            continue
        if isinstance(part, str) and part.startswith(("function-", "literal[")):
            continue
        condition_next = (isinstance(part, int) and bool(out) and out[-1] in _CONDITION_LISTS) or part == "not"
        out.append(part)
    return tuple(out)


def message(err: ErrorDetails) -> str:
    kind, loc = err.get("type", ""), err.get("loc", ())
    if kind == "missing":
        hint = REQUIRED_HINTS.get(str(loc[-1])) if loc else None
        return f"is required: {hint}" if hint else "is required"
    if kind == "extra_forbidden":
        return "is not a field here; check the spelling (docs/rule-format.md lists those of rules)"
    if kind == "literal_error":
        expected = str((err.get("ctx") or {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected} (got {err.get('input')!r:.60})"
    return str(err.get("msg", "is invalid")).removeprefix("Value error, ")


def validation_problems(exc: ValidationError, source: str, path: Path | None, prefix: str = "") -> list[Problem]:
    """Every problem pydantic found, each `file:line: field.path: what is wrong` (the line when PATH is
    given and can be read)."""
    text = _text(path)
    out: list[Problem] = []
    errors = exc.errors(include_url=False)
    for err in errors[:MAX_SHOWN]:
        loc = yaml_loc(err.get("loc", ()))
        line = line_of(text, loc) if text else None
        problem = Problem(message(err), f"{prefix}{field_path(loc)}".strip("."),
                          f"{source}:{line}" if line else source)
        if problem not in out:
            out.append(problem)
    if len(errors) > MAX_SHOWN:
        out.append(Problem(f"… and {len(errors) - MAX_SHOWN} more problem(s)"))
    return out


def rule_line(path: Path, index: int, sub: str = "") -> int | None:
    """The line of rule INDEX of a rule file, or of a field inside it (`when[1].all[0]`)."""
    text = _text(path)
    loc: list[int | str] = ["rules", index]
    for key, number in re.findall(r"([^.\[\]]+)|\[(\d+)\]", sub):
        loc.append(int(number) if number else key)
    return line_of(text, loc) if text else None


def _text(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return read_text(path)
    except Exception:  # noqa: BLE001 - a line number is a courtesy; the problem is reported without it
        return None
