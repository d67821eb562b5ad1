"""The consensus view in every format: where stakeholder groups diverge, ranked, and the role star.

Pure renderers (`render_*(consensus) -> str`); Markdown and HTML come from the templates
render/templates/consensus_report.*.j2.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

from markupsafe import Markup

from peeradvisor import safe_text
from peeradvisor.render.templates import ANSWER_SHORT, environment

if TYPE_CHECKING:
    from peeradvisor.analysis.consensus import Consensus, ItemView, StarAxisOut

GROUP_CODES = {"peer_worker": "PW", "service_user": "SU", "coworker": "CW", "line_manager": "LM",
               "strategic_manager": "SM", "commissioner": "CO"}


def terminal_width() -> int:
    from peeradvisor.console import make_console

    return max(40, make_console().width)


def render_json(result: Consensus) -> str:
    """The contract's consensus JSON (`peeradvisor/consensus@1`), with the star and notes as extra keys."""
    return safe_text.json_dumps(result.model_dump(mode="json"), indent=2) + "\n"


def render_markdown(result: Consensus) -> str:
    from peeradvisor.analysis.consensus import GROUP_TITLES

    return environment().get_template("consensus_report.md.j2").render(
        c=result, titles=GROUP_TITLES, cells=_cells(result), star_items=star_items)


def render_html(result: Consensus) -> str:
    from peeradvisor.analysis.consensus import GROUP_TITLES
    from peeradvisor.render.star import role_star_svg

    return environment().get_template("consensus_report.html.j2").render(
        c=result, titles=GROUP_TITLES, cells=_cells(result), svg=Markup(role_star_svg(result)),
        star_items=star_items)


def star_items(axis: StarAxisOut) -> str:
    """An axis's items in words, e.g. `2.2, 2.6, 5.8` or `2.4, 5.6 — scored the other way, no = 1`."""
    plain = [i for i in axis.items if i not in axis.inverse]
    text = ", ".join(plain)
    if axis.inverse:
        text += ("; " if plain else "") + ", ".join(axis.inverse) + " — scored the other way, no = 1"
    return text


def _cells(result: Consensus) -> dict[str, list[str]]:
    """Per item, one short cell per group: pooled answer and mean importance, e.g. `no 4`."""
    out = {}
    for item in result.items:
        views = {v.group: v for v in item.groups}
        row = []
        for group in result.groups:
            view = views.get(group)
            if view is None:
                row.append("")
                continue
            answer = "–" if view.happening is None else ANSWER_SHORT.get(view.happening, view.happening)
            row.append(answer + (f" {round(view.importance, 1):g}" if view.importance is not None else ""))
        out[item.id] = row
    return out


def render_text(result: Consensus, width: int = 80) -> str:
    """The terminal view: who answered, divergent items ranked, answers by group, the role star."""
    from peeradvisor.analysis.consensus import GROUP_TITLES
    from peeradvisor.render.star import star_text

    counts = ", ".join(f"{GROUP_TITLES[g]} {n}" for g, n in result.respondents_by_group.items())
    who = f"{result.respondents} respondent(s) in {len(result.groups)} group(s)"
    lines = [*textwrap.wrap(f"peeradvisor consensus — {_oneline(result.organisation)}", width),
             *textwrap.wrap(who + (f": {counts}" if counts else ""), width), ""]
    for note in result.notes:
        lines += [*textwrap.wrap(f"Note: {note}", width), ""]
    lines += _divergent_text(result, width)
    if result.items and result.groups:
        lines += _table_text(result, width)
    lines.append(star_text(result, width).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _oneline(text: str) -> str:
    return safe_text.terminal(text, one_line=True)


def _divergent_text(result: Consensus, width: int) -> list[str]:
    by_id = {i.id: i for i in result.items}
    if not result.divergent:
        return [*textwrap.wrap("No item divergent: no group says yes where another says no, and no two "
                               "groups' importance ratings are 2 or more points apart.", width), ""]
    lines = textwrap.wrap("Where the groups diverge (most important first)", width)
    for rank, item_id in enumerate(result.divergent, start=1):
        item: ItemView = by_id[item_id]
        lines += textwrap.wrap(f"{rank:>2}. {item.id} {item.short} · priority {item.priority:.2f}", width,
                               subsequent_indent="    ")
        for reason in item.divergence:
            lines += textwrap.wrap(reason, width, initial_indent="    - ", subsequent_indent="      ")
        lines += textwrap.wrap(f"Study: {item.locator}", width, initial_indent="    ",
                               subsequent_indent="      ")
    return [*lines, ""]


def _table_text(result: Consensus, width: int) -> list[str]:
    """Items × groups: columns headed by the groups' names when they fit, else by short codes with a
    key, else one item per block. Nothing is cut: item names wrap."""
    from peeradvisor.analysis.consensus import GROUP_TITLES
    from peeradvisor.render.textgrid import Column, grid, stacked

    cells = _cells(result)
    rows = [["*" if i.divergent else "", f"{i.id} {i.short}", *cells[i.id]] for i in result.items]
    intro = textwrap.wrap("Answers by group (* divergent): pooled answer and mean importance (1-4)", width)
    head = [Column(""), Column("Item", hang=4)]
    titled = [*head, *(Column(GROUP_TITLES[g], wrap=False) for g in result.groups)]
    codes = [GROUP_CODES[g] for g in result.groups]
    coded = [*head, *(Column(c, wrap=False) for c in codes)]
    key = " · ".join(f"{c} {GROUP_TITLES[g].lower()}" for c, g in zip(codes, result.groups, strict=True))
    # Whole item names first (group names, then codes), then wrapped names, then one block per item.
    for columns, wrap in ((titled, False), (coded, False), (coded, True)):
        laid = grid(columns, rows, width, wrap=wrap)
        if laid is not None:
            keyed = textwrap.wrap(f"Key: {key}", width) if columns is coded else []
            return [*intro, *keyed, *laid, ""]
    blocks = stacked(coded[1:], [[("* " if r[0] else "") + r[1], *r[2:]] for r in rows], width)
    return [*intro, *textwrap.wrap(f"Key: {key}", width), *blocks, ""]


RENDERERS: dict[str, Callable[[Consensus], str]] = {
    "json": render_json, "md": render_markdown, "html": render_html,
    "text": lambda result: render_text(result, width=terminal_width()),
}
