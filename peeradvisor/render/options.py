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
    from peeradvisor.analysis.options import Brief, Option, Options

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
        o=result, name=name, symbol=SYMBOL, counts_mean=COUNTS_MEAN, headings=HEADINGS, change=change_line)


def render_html(result: Options) -> str:
    from peeradvisor.analysis.options import EMPLOYER_TITLES, SETTING_TITLES

    grid = {(op.employer, op.setting): op for op in result.options}
    return environment().get_template("options_report.html.j2").render(
        o=result, name=name, grid=grid, employers=EMPLOYER_TITLES, settings=SETTING_TITLES,
        counts_mean=COUNTS_MEAN, headings=HEADINGS, change=change_line)


# What the numbers and headings mean, said once at the top (text) and beside them (Markdown, HTML).
COUNTS_MEAN = ("Each arrangement is your same answers, advised as if the service were run that way. Its "
               "counts are how many warnings and recommendations come up there. Fewer is not better: a "
               "count reflects what the study found about that kind of service and which of your answers "
               "its rules test, not how well peer workers would do there. Study cases: how many of the "
               "study's ten cases (Table 1) had the arrangement; 0 means its advice is carried over from "
               "other cases.")
HEADINGS = {  # each heading of an arrangement's block, and what it means
    "change": ("If you chose this", "what would change from the advice for your file as it is"),
    "top": ("Top findings", "the most important warnings and recommendations there"),
    "demands": ("Would ask of you first", "its top recommendations, those raised in few arrangements first"),
    "particular": ("Also particular to it", "other findings raised in at most 3 of the 9 arrangements, so "
                                            "tied to that employer or that setting"),
    "study": ("Study", "where the report discusses that employer and setting, and its cases like it"),
}


def change_line(op: Option) -> str:
    """What changes if you chose OP, in plain words, against the file's own advice."""
    if op.current:
        return "nothing changes: this is the arrangement your file describes."
    if not op.no_longer and not op.new:
        return "nothing changes: the same warnings and recommendations come up as for your file."
    parts = []
    if op.no_longer:
        parts.append(f"{_count(len(op.no_longer), 'of your findings')} would no longer come up "
                     f"{_first(op.no_longer)}")
    if op.new:
        what = "new one" if op.no_longer else "new finding"
        parts.append(f"{_count(len(op.new), what, what + 's')} would{'' if op.no_longer else ' come up'} "
                     f"{_first(op.new)}")
    return " and ".join(parts) + "."


def _first(briefs: list[Brief]) -> str:
    return f"(“{briefs[0].title}”)" if len(briefs) == 1 else f"(the most important: “{briefs[0].title}”)"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 or many is None else many}"


def render_text(result: Options, width: int = 80) -> str:
    """The terminal view: what the counts mean, a summary table of the nine, then each in turn."""
    from peeradvisor.render.textgrid import Column, table

    lines = [*_wrap(f"peeradvisor options — {safe_text.terminal(result.organisation, one_line=True)}", width, "", "  "),
             *_wrap(f"Stage: {result.stage} · the file describes: {result.employer}, {result.setting}",
                    width, "", "  "), "", *_wrap(COUNTS_MEAN, width, "", ""), ""]
    columns = [Column("  Arrangement", label="arrangement", hang=4), Column("Warnings", right=True),
               Column("Recommendations", right=True), Column("Study cases", right=True)]
    rows = [[("* " if op.current else "  ") + name(op), str(op.warnings), str(op.recommendations),
             str(op.studied_cases)] for op in result.options]
    lines += table(columns, rows, width)
    lines += [*_wrap("* the arrangement your file describes.", width, "", ""), "",
              "How to read each arrangement below:"]
    lines += [w for head, meaning in HEADINGS.values() for w in _wrap(f"{head}: {meaning}", width, "  ", "    ")]
    lines += _wrap("In the lists, ! marks a warning and > a recommendation.", width, "  ", "    ")
    lines.append("")
    for op in result.options:
        lines += _block(op, width)
    lines += [w for note in result.notes for w in _wrap(f"Note: {note}", width, "", "  ")]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False) or [first.rstrip()]


def _block(op: Option, width: int) -> list[str]:
    head = f"{name(op)}{'  (your file)' if op.current else ''}"
    lines = [*_wrap(head, width, "", ""), "-" * min(len(head), width),
             *_wrap(f"{op.warnings} warning(s), {op.recommendations} recommendation(s) (and {op.strengths} "
                    f"strength(s), {op.caveats} caveat(s))", width, "", "  "),
             *_wrap(f"{HEADINGS['change'][0]}: {change_line(op)}", width, "", "  ")]
    if op.top_findings:
        lines.append(HEADINGS["top"][0] + ":")
        for n, brief in enumerate(op.top_findings, start=1):
            lines += _wrap(f"{n}. {SYMBOL[brief.kind]} {brief.title} ({brief.id})", width, "  ", "       ")
    if op.demands:
        lines.append(HEADINGS["demands"][0] + ":")
        lines += [w for b in op.demands for w in _wrap(f"> {b.title}", width, "  ", "    ")]
    if op.particular:
        shown = op.particular[:SHOW_PARTICULAR]
        lines.append(HEADINGS["particular"][0] + ":")
        lines += [w for b in shown for w in _wrap(f"{SYMBOL[b.kind]} {b.title}", width, "  ", "    ")]
        more = len(op.particular) - len(shown)
        if more > 0:
            lines += _wrap(f"… and {more} more (--format md, html or json lists them all)", width, "  ", "    ")
    if op.set_aside:
        lines += _wrap(f"Set aside, as advice about the NHS's own structures: {', '.join(op.set_aside)}",
                       width, "", "  ")
    lines.append(HEADINGS["study"][0] + ":")
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
