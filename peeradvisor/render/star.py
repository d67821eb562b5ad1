"""The role star drawn two ways: an SVG picture for HTML, and a table of bars for the terminal.

Both are pure functions of a `Consensus`. Colour is never the only cue: each group also has its own
dash pattern and vertex marker, repeated in the legend with the group's name. An axis a group did not
answer is a gap in its line (a dash, "–", in the text), never a point at the centre. Where everything
goes is computed in render/star_layout.py, which keeps every label clear of every marker. Every piece
of text that comes from a file (organisation, axis titles, group names) is escaped and stripped of
characters XML cannot hold.
"""

from __future__ import annotations

from html import escape

from peeradvisor import safe_text
from peeradvisor.analysis.consensus import Consensus, StarLine
from peeradvisor.render.star_layout import LINE, MARKER, RADIUS, RINGS, Layout, Text, layout, legend_line_y

# Okabe-Ito colours (distinguishable with common colour-vision deficiencies), then dashes and markers.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
DASHES = ("", "9 4", "2 4", "12 4 3 4", "6 6", "1 3")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "plus")
FULL, EMPTY = "█", "░"
NOTES = ("Centre 0: not happening; rim 1: fully", "happening (rings at 0.25, 0.5, 0.75).",
         "A break in a group's line: that", "group answered none of the axis's",
         "items, so it has no point there.")


def esc(text: str) -> str:
    """Text safe inside an XML element or attribute."""
    return escape(safe_text.line(text), quote=True)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    s = MARKER
    shapes = {
        "circle": f"M{x - s},{y} a{s},{s} 0 1,0 {2 * s},0 a{s},{s} 0 1,0 {-2 * s},0 Z",
        "square": f"M{x - s},{y - s} h{2 * s} v{2 * s} h{-2 * s} Z",
        "triangle": f"M{x},{y - s - 1} L{x + s + 1},{y + s} L{x - s - 1},{y + s} Z",
        "diamond": f"M{x},{y - s - 1} L{x + s + 1},{y} L{x},{y + s + 1} L{x - s - 1},{y} Z",
        "cross": f"M{x - s},{y - s} L{x + s},{y + s} M{x + s},{y - s} L{x - s},{y + s}",
        "plus": f"M{x - s - 1},{y} H{x + s + 1} M{x},{y - s - 1} V{y + s + 1}",
    }
    filled = kind in ("circle", "square", "triangle", "diamond")
    fill = colour if filled else "none"
    return (f'<path class="marker" d="{shapes[kind]}" fill="{fill}" stroke="{colour}" '
            f'stroke-width="{1 if filled else 2.2}"/>')


def _text(text: Text, cls: str, extra: str = "") -> str:
    spans = "".join(f'<tspan x="{text.x}" y="{round(text.y + n * LINE * text.size, 1)}">{esc(line)}</tspan>'
                    for n, line in enumerate(text.lines))
    anchor = f' text-anchor="{text.anchor}"' if text.anchor != "start" else ""
    return f'<text class="{cls}"{anchor} font-size="{text.size:g}"{extra}>{spans}</text>'


def _grid(lay: Layout) -> list[str]:
    out = [f'<circle class="ring" cx="{lay.cx}" cy="{lay.cy}" r="{round(RADIUS * k, 1)}" fill="none" '
           f'stroke="#ddd" stroke-width="1"/>' for k in RINGS]
    out += [f'<line class="axis" x1="{lay.cx}" y1="{lay.cy}" x2="{x}" y2="{y}" stroke="#888" stroke-width="1"/>'
            for x, y in lay.axis_ends]
    return out


def _group(lay: Layout, n: int, line: StarLine) -> list[str]:
    colour, dash, marker = COLOURS[n % 6], DASHES[n % 6], MARKERS[n % 6]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    shown = ", ".join("no answer" if s is None else f"{s:g}" for s in line.scores)
    runs = lay.runs[n]
    closed = lay.closed[n]
    d = " ".join("M" + " L".join(f"{x},{y}" for x, y in run) + (" Z" if closed else "") for run in runs)
    fill = f'fill="{colour}" fill-opacity="0.10"' if closed else 'fill="none"'
    gaps = sum(1 for s in line.scores if s is None)
    out = [f'<path class="group" data-group="{esc(line.group)}" data-gaps="{gaps}" d="{d}" {fill} '
           f'stroke="{colour}" stroke-width="2.2"{dash_attr} stroke-linejoin="round">'
           f"<title>{esc(line.title)}: {esc(shown)}</title></path>"]
    out += [_marker(marker, m.x, m.y, colour) for m in lay.marks if m.group == n]
    return out


def _legend(lay: Layout, consensus: Consensus) -> list[str]:
    out = []
    for text in lay.texts:
        if text.kind == "legend" and text.key == "heading":
            out.append(_text(text, "legend-title", ' font-weight="bold"'))
    entries = [t for t in lay.texts if t.kind == "legend" and t.key != "heading"]
    for n, (text, line) in enumerate(zip(entries, consensus.star.lines, strict=True)):
        colour, dash = COLOURS[n % 6], DASHES[n % 6]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        y, x = legend_line_y(text), text.x - 50
        out += [f'<g class="legend-entry" data-group="{esc(line.group)}">',
                f'<line x1="{x}" y1="{y}" x2="{x + 40}" y2="{y}" stroke="{colour}" stroke-width="2.2"{dash_attr}/>',
                _marker(MARKERS[n % 6], x + 20, y, colour), _text(text, "legend-label"), "</g>"]
    out += [_text(t, "legend-note", ' fill="#444"') for t in lay.texts if t.kind == "note"]
    return out


def star_layout(consensus: Consensus) -> Layout:
    """Where everything goes on the role star picture (see render/star_layout.py)."""
    star = consensus.star
    total = len(star.axes)
    legend = [(line.group, f"{line.title} ({consensus.respondents_by_group.get(line.group, 0)}): "
                           f"{sum(s is not None for s in line.scores)} of {total} axes")
              for line in star.lines]
    return layout([a.title for a in star.axes], [a.id for a in star.axes], [ln.scores for ln in star.lines],
                  legend, list(NOTES), f"Role star: {consensus.organisation}")


def role_star_svg(consensus: Consensus) -> str:
    """The role star as a standalone SVG string: one line per stakeholder group (broken where the group
    did not answer an axis), one labelled axis per core component of the role, and a legend naming each
    group with its dash pattern and marker.

    Safe to inline in HTML (all text escaped); sized by its viewBox, so CSS can scale it.
    """
    lay = star_layout(consensus)
    title = f"Role star: {consensus.organisation}"
    desc = ("How each stakeholder group sees the core components of the peer worker role, "
            "from 0 (not happening) to 1 (fully happening); a break in a line is an axis the group did not answer.")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width} {lay.height}" width="{lay.width}" '
             f'height="{lay.height}" role="img" aria-labelledby="star-title star-desc" '
             f'font-family="Helvetica, Arial, sans-serif">',
             f'<title id="star-title">{esc(title)}</title>', f'<desc id="star-desc">{esc(desc)}</desc>',
             f'<rect width="{lay.width}" height="{lay.height}" fill="#fff"/>', *_grid(lay)]
    for text in lay.texts:
        if text.kind == "title":
            parts.append(_text(text, "title", ' font-weight="bold"'))
        elif text.kind == "axis":
            parts.append(_text(text, "axis-label", f' data-axis="{esc(text.key)}"'))
        elif text.kind == "ring":
            parts.append(_text(text, "ring-label", ' fill="#555"'))
    for n, line in enumerate(consensus.star.lines):
        parts += _group(lay, n, line)
    parts += _legend(lay, consensus)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _bar(score: float | None, width: int) -> str:
    if score is None:
        return "–".rjust(4) + " " * (width + 1)
    full = round(score * width)
    return f"{score:4.2f} " + FULL * full + EMPTY * (width - full)


def star_text(consensus: Consensus, width: int = 80) -> str:
    """The star as plain text: axes × groups with values and character bars, fitted to WIDTH columns.

    Side by side when every group gets a bar of at least 4 characters under its whole name (or, failing
    that, under a two-letter code with a key); otherwise one block per axis. No name is ever cut.
    """
    import textwrap

    from peeradvisor.render.consensus import GROUP_CODES

    axes, lines = consensus.star.axes, consensus.star.lines
    if not lines:
        return "Role star: no responses to draw.\n"
    out = textwrap.wrap("Role star (0 = not happening, 1 = fully happening; – = the group answered none of "
                        "the axis's items)", width)
    label = max(len(a.title) for a in axes)
    cell = (width - label - 1) // len(lines) - 2
    bar = min(10, cell - 5)
    for names in ([ln.title for ln in lines], [GROUP_CODES[ln.group] for ln in lines]):
        if bar < 4 or max(map(len, names)) > cell:
            continue
        if names[0] != lines[0].title:
            key = " · ".join(f"{GROUP_CODES[ln.group]} {ln.title.lower()}" for ln in lines)
            out += textwrap.wrap(f"Key: {key}", width)
        col = bar + 7
        out.append(" " * (label + 1) + "".join(n.ljust(col) for n in names).rstrip())
        for i, axis in enumerate(axes):
            cells = "".join((_bar(ln.scores[i], bar) + "  ") for ln in lines)
            out.append((axis.title.ljust(label) + " " + cells).rstrip())
        return "\n".join(out) + "\n"
    name = max(len(ln.title) for ln in lines)
    bar = max(4, min(20, width - name - 10))
    for i, axis in enumerate(axes):
        if all(ln.scores[i] is None for ln in lines):
            out += textwrap.wrap(f"{axis.title}: no group answered", width, subsequent_indent="  ")
            continue
        out.append(axis.title)
        out += [f"  {ln.title.ljust(name)}  {_bar(ln.scores[i], bar)}".rstrip() for ln in lines]
    return "\n".join(out) + "\n"
