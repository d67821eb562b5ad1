"""The options comparison in every format: the same answers under each employer × setting arrangement.

Pure renderers (`render_*(options) -> str`); Markdown and HTML come from the templates
render/templates/options_report.*.j2.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from peeradvisor import safe_text
from peeradvisor.render.consensus import terminal_width
from peeradvisor.render.templates import environment

if TYPE_CHECKING:
    from peeradvisor.analysis.options import Option, Options

SYMBOL = {"warning": "!", "recommendation": ">", "strength": "+", "caveat": "?"}
SHOW_PARTICULAR = 6


def name(option: Option) -> str:
    """An arrangement in words, e.g. `Partnership (voluntary) · BME-specific`."""
    from peeradvisor.analysis.options import EMPLOYER_TITLES, SETTING_TITLES

    employer = EMPLOYER_TITLES[option.employer] + (f" ({option.partner.replace('_', ' ')})"
                                                   if option.partner else "")
    return f"{employer} · {SETTING_TITLES[option.setting]}"


def render_json(result: Options) -> str:
    """The contract's options JSON (`peeradvisor/options@1`), with details as extra keys."""
    return safe_text.json_dumps(result.model_dump(mode="json", exclude_none=True), indent=2) + "\n"


def render_markdown(result: Options) -> str:
    return environment().get_template("options_report.md.j2").render(
        o=result, name=name, symbol=SYMBOL, show=SHOW_PARTICULAR)


def render_html(result: Options) -> str:
    from peeradvisor.analysis.options import EMPLOYER_TITLES, SETTING_TITLES

    grid = {(op.employer, op.setting): op for op in result.options}
    return environment().get_template("options_report.html.j2").render(
        o=result, name=name, grid=grid, employers=EMPLOYER_TITLES, settings=SETTING_TITLES,
        show=SHOW_PARTICULAR)


def render_text(result: Options, width: int = 80) -> str:
    """The terminal view: a summary table of the nine, then what each would demand and why."""
    label = max(len(name(op)) for op in result.options) + 2
    lines = [f"peeradvisor options — {safe_text.terminal(result.organisation, one_line=True)}",
             f"Stage: {result.stage} · the file describes: {result.employer}, {result.setting}", "",
             "  " + "Arrangement".ljust(label) + "Warnings  Recommend.  Study cases"]
    for op in result.options:
        mark = "* " if op.current else "  "
        counts = f"{op.warnings:>8}  {op.recommendations:>10}  {op.studied_cases:>11}"
        lines.append(f"{mark}{name(op).ljust(label)}{counts}")
    lines += ["* the file's own arrangement. Study cases: rows of the study's Table 1 like it.", ""]
    for op in result.options:
        lines += _block(op, width)
    lines += [w for note in result.notes for w in textwrap.wrap(f"Note: {note}", width)]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False) or [first.rstrip()]


def _block(op: Option, width: int) -> list[str]:
    head = f"{name(op)}{'  (your file)' if op.current else ''}"
    lines = [head, "-" * min(len(head), width),
             f"{op.warnings} warning(s), {op.recommendations} recommendation(s), {op.strengths} strength(s), "
             f"{op.caveats} caveat(s)"]
    if op.top_findings:
        lines.append("Top findings:")
        for n, brief in enumerate(op.top_findings, start=1):
            lines += _wrap(f"{n}. {SYMBOL[brief.kind]} {brief.title} ({brief.id})", width, "  ", "       ")
    if op.demands:
        lines.append("Would demand:")
        lines += [w for b in op.demands for w in _wrap(f"> {b.title}", width, "  ", "    ")]
    if op.particular:
        shown = op.particular[:SHOW_PARTICULAR]
        more = len(op.particular) - len(shown)
        lines.append("Particular to this arrangement:" + (f" ({more} more)" if more > 0 else ""))
        lines += [w for b in shown for w in _wrap(f"{SYMBOL[b.kind]} {b.title}", width, "  ", "    ")]
    lines.append("Study:")
    for ev in op.evidence:
        text = ev.locator + (f": “{ev.excerpt}”" if ev.excerpt else "")
        lines += _wrap(text, width, "  ", "    ")
    if not op.studied_cases:
        lines += _wrap("No case in the study had this arrangement.", width, "  ", "    ")
    return [*lines, ""]


RENDERERS: dict[str, Callable[[Options], str]] = {
    "json": render_json, "md": render_markdown, "html": render_html,
    "text": lambda result: render_text(result, width=terminal_width()),
}
