"""The engine's reasoning on a terminal, one step at a time, readable in 80 columns.

Lines are wrapped here (with hanging indents) to the console's width, so the layout does not depend on
how the terminal wraps. The command decides how to pause between steps (`pause`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from peeradvisor.analysis.steps import Step, link_text
from peeradvisor.console import CAVEAT, HEADING, KIND_STYLE, MUTED, STRENGTH

if TYPE_CHECKING:
    from rich.console import Console  # noqa: TID251 - a terminal view

DERIVE = STRENGTH  # the named style a derive step is shown in
KIND_WORD = {"derive": "DERIVE", "warning": "WARNING", "recommendation": "RECOMMEND",
             "strength": "STRENGTH", "caveat": "CAVEAT"}


def _say(console: Console, text: str, indent: int = 0, hang: int = 0, style: str | None = None) -> None:
    width = max(40, (console.width or 80) - 1)
    lines = textwrap.wrap(text, width, initial_indent=" " * indent, subsequent_indent=" " * (indent + hang),
                          break_on_hyphens=False, break_long_words=True) or [""]
    for line in lines:
        console.print(line, style=style, markup=False, highlight=False, soft_wrap=True)


def show_intro(console: Console, title: str, story: str, steps: Sequence[Step]) -> None:
    derives = sum(1 for s in steps if s.kind == "derive")
    _say(console, title, style=HEADING)
    if story:
        _say(console, story.strip())
    console.print()
    findings = len({s.rule_id for s in steps if s.kind != "derive"})
    _say(console, f"{len(steps)} step(s), each one rule firing: {derives} draw conclusions (derive "
                  f"rules) first, then {len(steps) - derives} give the report's {findings} finding(s).",
         style=MUTED)


def show_step(console: Console, step: Step, total: int) -> None:
    """One firing: the rule, the answers that matched, earlier conclusions it used, what it concluded."""
    style = DERIVE if step.kind == "derive" else KIND_STYLE.get(step.kind, CAVEAT)
    again = " (again)" if step.repeat else ""
    _say(console, f"Step {step.number}/{total} · {KIND_WORD.get(step.kind, step.kind.upper())} · "
                  f"{step.rule_id}{again}", style=style)
    _say(console, step.title, indent=2, hang=2, style=HEADING)
    if step.matched or step.links or step.holds:
        _say(console, "Because:", indent=2)
    for fact in step.matched:
        _say(console, f"- {fact}", indent=4, hang=2)
    for link in step.links:
        _say(console, f"- {link_text(link)}", indent=4, hang=2)
    for text in step.holds:
        _say(console, f"- {text}", indent=4, hang=2, style=MUTED)
    if step.concluded and step.already:
        _say(console, f"Concludes: {step.concluded} — already concluded at step {step.already}; this is "
                      "another way to reach it, so nothing new is added.", indent=2, hang=4, style=MUTED)
    elif step.concluded:
        _say(console, f"Concludes: {step.concluded}", indent=2, hang=4, style=HEADING)
        if step.used_by:
            used = ", ".join(str(n) for n in step.used_by)
            _say(console, f"used at step {used}", indent=4, hang=2, style=MUTED)
        else:
            _say(console, "not used by a later step (it is reported as a derived fact)", indent=4, hang=2,
                 style=MUTED)
    else:
        _say(console, f"Gives a {step.kind}: it appears in the report.", indent=2, hang=2, style=MUTED)


def show_end(console: Console, steps: Sequence[Step], shown: int) -> None:
    console.print()
    if shown < len(steps):
        _say(console, f"Stopped after step {shown} of {len(steps)}.", style=MUTED)
        return
    findings = [s for s in steps if s.kind != "derive" and not s.repeat]
    _say(console, f"Done: {len(steps)} step(s), {len(findings)} finding(s) in the report.", style=HEADING)


def play(console: Console, steps: Sequence[Step], pause: Callable[[Step], bool]) -> int:
    """Show every step, asking PAUSE after each but the last (False stops); returns how many were shown."""
    shown = 0
    for step in steps:
        console.print()
        show_step(console, step, len(steps))
        shown += 1
        if shown < len(steps) and not pause(step):
            break
    show_end(console, steps, shown)
    return shown
