"""Levers as text (80 columns), Markdown or JSON (`advise FILE --levers`, `scenarios run NAME --levers`)."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ..analysis.levers import Lever, Levers
from .effects import change_words

INTRO = "Each is one change to the answers already given. To see the advice with it, add its line to: {command}"


def levers_data(result: Levers) -> dict[str, Any]:
    """As JSON: each lever's `set` specs (PATH=VALUE), its words, and the findings that go and appear."""
    def rows(changes: tuple[Any, ...]) -> list[dict[str, str]]:
        return [{"id": c.id, "kind": c.kind, "title": c.title} for c in changes]

    return {"format": "peeradvisor/levers@1", "organisation": result.organisation,
            "levers": [{"set": [e.spec() for e in lever.edits], "line": lever.line, "change": _first_upper(lever.words),
                        "warnings": -lever.net("warning"), "recommendations": -lever.net("recommendation"),
                        "priorities": lever.priorities, "go": rows(lever.go), "appear": rows(lever.appear)}
                       for lever in result.levers]}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def effect(lever: Lever) -> str:
    return change_words([(c.kind, c.title) for c in lever.appear], [(c.kind, c.title) for c in lever.go],
                        lever.priorities)


def _blocks(result: Levers) -> list[tuple[str, str, str]]:
    return [(_first_upper(lever.words) + ".", _first_upper(effect(lever)) + ".", lever.line)
            for lever in result.levers]


def render(result: Levers, fmt: str = "text", width: int = 80, command: str = "peeradvisor advise FILE") -> str:
    """The levers as text (wrapped to WIDTH), Markdown or JSON; COMMAND is what a lever's line is added to."""
    if fmt == "json":
        return json.dumps(levers_data(result), indent=2, ensure_ascii=False) + "\n"
    title = f"What would most improve the advice: {result.organisation}"
    if not result.levers:
        none = "No single change to the answers given would mean fewer warnings or recommendations."
        if fmt == "md":
            return f"## {title}\n\n{none}\n"
        return "\n".join([*textwrap.wrap(title, width), "", *textwrap.wrap(none, width)]) + "\n"
    if fmt == "md":
        lines = [f"## {title}", "", INTRO.format(command=f"`{command}`"), ""]
        for n, (words, changes, line) in enumerate(_blocks(result), 1):
            lines += [f"{n}. **{words}** {changes}", "", f"   `{line}`", ""]
        return "\n".join(lines)
    lines = [*textwrap.wrap(title, width), "", *textwrap.wrap(INTRO.format(command=command), width,
                                                             break_on_hyphens=False)]
    for n, (words, changes, line) in enumerate(_blocks(result), 1):
        lines.append("")
        lines += textwrap.wrap(words, width, initial_indent=f"{n:>2}. ", subsequent_indent="    ")
        lines += textwrap.wrap(changes, width, initial_indent="    ", subsequent_indent="    ")
        lines.append(f"    {line}")  # kept whole, to paste
    return "\n".join(lines) + "\n"
