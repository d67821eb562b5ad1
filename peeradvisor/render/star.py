"""The role star drawn two ways: an SVG picture for HTML, and a table of bars for the terminal.

Both are pure functions of a `Consensus`. Colour is never the only cue: each group also has its own
dash pattern and vertex marker, repeated in the legend with the group's name. Every piece of text that
comes from a file (organisation, axis titles, group names) is escaped and stripped of characters XML
cannot hold.
"""

from __future__ import annotations

import math
from html import escape

from peeradvisor import safe_text
from peeradvisor.analysis.consensus import Consensus

WIDTH, HEIGHT = 760, 520
CX, CY, RADIUS = 270, 280, 170
LEGEND_X = 540
# Okabe-Ito colours (distinguishable with common colour-vision deficiencies), then dashes and markers.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
DASHES = ("", "9 4", "2 4", "12 4 3 4", "6 6", "1 3")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "plus")
FULL, EMPTY = "█", "░"


def esc(text: str) -> str:
    """Text safe inside an XML element or attribute."""
    return escape(safe_text.line(text), quote=True)


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return round(CX + RADIUS * value * math.cos(angle), 1), round(CY + RADIUS * value * math.sin(angle), 1)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    s = 4.5
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


def _wrap(title: str, limit: int = 15) -> list[str]:
    words, lines = title.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > limit:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines


def _axis(index: int, count: int, title: str, axis_id: str) -> list[str]:
    x2, y2 = _point(index, count, 1.0)
    lx, ly = _point(index, count, 1.13)
    dx = lx - CX
    anchor = "start" if dx > 12 else "end" if dx < -12 else "middle"
    lines = _wrap(title)
    top = ly - (len(lines) - 1) * 15 if ly < CY - RADIUS * 0.5 else ly + 6 if ly > CY + RADIUS * 0.5 else \
        ly - (len(lines) - 1) * 7.5
    spans = "".join(f'<tspan x="{lx}" y="{round(top + n * 15 + 4, 1)}">{esc(line)}</tspan>'
                    for n, line in enumerate(lines))
    return [f'<line class="axis" x1="{CX}" y1="{CY}" x2="{x2}" y2="{y2}" stroke="#888" stroke-width="1"/>',
            f'<text class="axis-label" data-axis="{esc(axis_id)}" text-anchor="{anchor}" '
            f'font-size="13">{spans}</text>']


def _grid() -> list[str]:
    out = [f'<circle class="ring" cx="{CX}" cy="{CY}" r="{round(RADIUS * k, 1)}" fill="none" '
           f'stroke="#ddd" stroke-width="1"/>' for k in (0.25, 0.5, 0.75, 1.0)]
    out += [f'<text class="ring-label" x="{CX + 4}" y="{round(CY - RADIUS * k - 3, 1)}" font-size="10" '
            f'fill="#555">{label}</text>' for k, label in ((0.5, "0.5"), (1.0, "1"))]
    return out


def _marker_spots(lines: list[list[float | None]]) -> dict[tuple[int, int], tuple[float, float]]:
    """Where each group's marker goes on each axis; groups with the same score are spread sideways."""
    spots: dict[tuple[int, int], tuple[float, float]] = {}
    count = len(lines[0]) if lines else 0
    for i in range(count):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        same: dict[float, list[int]] = {}
        for n, scores in enumerate(lines):
            if scores[i] is not None:
                same.setdefault(round(scores[i] or 0.0, 2), []).append(n)
        for value, groups in same.items():
            x, y = _point(i, count, max(value, 0.06))  # a 0 sits just off the centre, on its own axis
            for k, n in enumerate(groups):
                shift = (k - (len(groups) - 1) / 2) * 11
                spots[n, i] = (round(x - shift * math.sin(angle), 1), round(y + shift * math.cos(angle), 1))
    return spots


def _group(n: int, line_title: str, group: str, scores: list[float | None],
           spots: dict[tuple[int, int], tuple[float, float]]) -> list[str]:
    colour, dash, marker = COLOURS[n % 6], DASHES[n % 6], MARKERS[n % 6]
    points = [_point(i, len(scores), s or 0.0) for i, s in enumerate(scores)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    shown = ", ".join("no answer" if s is None else f"{s:g}" for s in scores)
    out = [f'<polygon class="group" data-group="{esc(group)}" points="'
           + " ".join(f"{x},{y}" for x, y in points)
           + f'" fill="{colour}" fill-opacity="0.10" stroke="{colour}" stroke-width="2.2"{dash_attr}>'
           f"<title>{esc(line_title)}: {esc(shown)}</title></polygon>"]
    out += [_marker(marker, *spots[n, i], colour) for i, s in enumerate(scores) if s is not None]
    return out


def _legend(consensus: Consensus) -> list[str]:
    out = [f'<text x="{LEGEND_X}" y="60" font-size="13" font-weight="bold">Stakeholder groups</text>']
    for n, line in enumerate(consensus.star.lines):
        y = 88 + n * 26
        colour, dash = COLOURS[n % 6], DASHES[n % 6]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        count = consensus.respondents_by_group.get(line.group, 0)
        out += [f'<g class="legend-entry" data-group="{esc(line.group)}">',
                f'<line x1="{LEGEND_X}" y1="{y}" x2="{LEGEND_X + 40}" y2="{y}" stroke="{colour}" '
                f'stroke-width="2.2"{dash_attr}/>',
                _marker(MARKERS[n % 6], LEGEND_X + 20, y, colour),
                f'<text x="{LEGEND_X + 50}" y="{y + 4}" font-size="13">{esc(line.title)} ({count})</text>',
                "</g>"]
    y = 100 + len(consensus.star.lines) * 26
    notes = ["Centre 0: not happening;", "rim 1: fully happening.", "An axis a group did not",
             "answer is drawn at the centre", "without a marker."]
    out += [f'<text x="{LEGEND_X}" y="{y + n * 16}" font-size="11" fill="#444">{esc(t)}</text>'
            for n, t in enumerate(notes)]
    return out


def role_star_svg(consensus: Consensus) -> str:
    """The role star as a standalone SVG string: one polygon per stakeholder group, one labelled axis
    per core component of the role, and a legend naming each group with its dash pattern and marker.

    Safe to inline in HTML (all text escaped); sized by its viewBox, so CSS can scale it.
    """
    axes = consensus.star.axes
    title = f"Role star: {consensus.organisation}"
    desc = ("How each stakeholder group sees the core components of the peer worker role, "
            "from 0 (not happening) to 1 (fully happening).")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" aria-labelledby="star-title star-desc" '
             f'font-family="Helvetica, Arial, sans-serif">',
             f'<title id="star-title">{esc(title)}</title>', f'<desc id="star-desc">{esc(desc)}</desc>',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
             f'<text x="20" y="30" font-size="16" font-weight="bold">{esc(title)}</text>', *_grid()]
    for index, axis in enumerate(axes):
        parts += _axis(index, len(axes), axis.title, axis.id)
    spots = _marker_spots([line.scores for line in consensus.star.lines])
    for n, line in enumerate(consensus.star.lines):
        parts += _group(n, line.title, line.group, line.scores, spots)
    parts += _legend(consensus)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _bar(score: float | None, width: int) -> str:
    if score is None:
        return "–".rjust(4) + " " * (width + 1)
    full = round(score * width)
    return f"{score:4.2f} " + FULL * full + EMPTY * (width - full)


def star_text(consensus: Consensus, width: int = 80) -> str:
    """The star as plain text: axes × groups with values and character bars, fitted to WIDTH columns.

    Side by side when every group gets a bar of at least 4 characters; otherwise one block per axis.
    """
    axes, lines = consensus.star.axes, consensus.star.lines
    if not lines:
        return "Role star: no responses to draw.\n"
    label = min(max(len(a.title) for a in axes), 28)
    bar = min(10, (width - label - 1) // len(lines) - 7)
    out = ["Role star (0 = not happening, 1 = fully happening; – = no answer)" if width >= 66
           else "Role star: 0 none … 1 full; – no answer"]
    if bar >= 4:
        col = bar + 7
        out.append(" " * (label + 1) + "".join(ln.title[: col - 2].ljust(col) for ln in lines).rstrip())
        for i, axis in enumerate(axes):
            cells = "".join((_bar(ln.scores[i], bar) + "  ") for ln in lines)
            out.append((axis.title[:label].ljust(label) + " " + cells).rstrip())
        return "\n".join(out) + "\n"
    name = max(len(ln.title) for ln in lines)
    bar = max(4, min(20, width - name - 10))
    for i, axis in enumerate(axes):
        out.append(axis.title)
        out += [f"  {ln.title.ljust(name)}  {_bar(ln.scores[i], bar)}".rstrip() for ln in lines]
    return "\n".join(out) + "\n"
