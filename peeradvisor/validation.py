"""Turn pydantic validation errors into one clear InputError: file, and each field path with what is wrong."""

from __future__ import annotations

from typing import NoReturn

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Problem


def field_path(loc: tuple[int | str, ...]) -> str:
    """('responses', 0, 'inventory', '2.5', 'importance') -> responses[0].inventory.2.5.importance"""
    if "[key]" in loc:  # a bad mapping key is a problem of the mapping: (..., 'inventory', '9.9', '[key]')
        loc = loc[: loc.index("[key]") - 1]
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-before", "function-after") or str(part).startswith(("function-", "literal[")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _message(err: ErrorDetails) -> str:
    kind = err.get("type", "")
    given = err.get("input")
    shown = repr(given)[:60]
    if kind == "literal_error":
        expected = str((err.get("ctx") or {}).get("expected", ""))
        expected = expected.replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected} (got {shown})"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field peeradvisor knows; check the spelling (see the contract)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping of fields (got {shown})"
    if kind == "list_type":
        return f"must be a list (got {shown})"
    if kind == "too_long":
        return f"has too many entries (at most {(err.get('ctx') or {}).get('max_length')})"
    if kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        return f"{err['msg'].lower()} (got {shown})"
    msg = str(err.get("msg", "is invalid"))
    return msg.removeprefix("Value error, ")


def problems(exc: ValidationError) -> list[Problem]:
    """Every problem pydantic found, in the order of the file, each once."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        problem = Problem(_message(err), field_path(tuple(err.get("loc", ()))))
        if problem not in out:
            out.append(problem)
    return out


def raise_input_error(exc: ValidationError, source: str) -> NoReturn:
    raise InputError(source, problems=problems(exc))
