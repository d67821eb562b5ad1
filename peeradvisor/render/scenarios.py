"""A scenario told for a trainer's screen."""

from __future__ import annotations

import textwrap
from typing import Any

from peeradvisor.cases import Case


def story_text(case: Case, width: int = 80) -> str:
    """The scenario as plain text for a trainer's screen."""
    def wrap(text: str, indent: str = "", hang: str = "") -> list[str]:
        return textwrap.wrap(text, width - 1, initial_indent=indent, subsequent_indent=hang or indent,
                             break_on_hyphens=False) or [""]

    ctx = case.answers.get("context") or {}
    facts = ", ".join(f"{k.replace('_', ' ')}: {_plain(v)}" for k, v in ctx.items()
                      if not isinstance(v, dict))
    lines = [*wrap(case.title or case.name), "", *wrap(case.story.strip()), "", "Context:",
             *wrap(facts, "  ")]
    for part in ("supervision", "culture"):
        if isinstance(ctx.get(part), dict):
            values = ", ".join(f"{k.replace('_', ' ')}: {_plain(v)}" for k, v in ctx[part].items())
            lines += wrap(f"{part}: {values}", "  ", "    ")
    lines += ["", "Respondents:"]
    for resp in case.answers.get("responses") or []:
        who = resp.get("respondent") or {}
        label = f" ({who['label']})" if who.get("label") else ""
        lines += wrap(f"- {who.get('group')}{label}: {len(resp.get('inventory') or {})} item(s) answered",
                      "  ", "    ")
    if case.discussion:
        lines += ["", "For discussion:"]
        for n, question in enumerate(case.discussion, start=1):
            lines += wrap(f"{n}. {question}", "  ", "     ")
    lines += ["", "Based on:"] + [x for e in case.based_on for x in wrap(f"- {e.locator}", "  ", "    ")]
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)
