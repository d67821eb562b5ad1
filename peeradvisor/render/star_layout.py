"""Where everything on the role star picture goes: axes, markers, line runs, labels and the legend.

Pure geometry, shared by the SVG renderer (render/star.py) and the tests that check it: every piece of
text has a box (from a deliberately generous estimate of its width, so the boxes contain what a browser
draws with Helvetica, Arial, Liberation Sans or the wider DejaVu Sans), every marker has a box, and the
layout is built so that no text box meets a marker or another text box:

* axis labels start just outside the disc that holds every marker and are pushed further out along their
  axis until their box clears it;
* each ring label ("0.5", "1") goes on the first bisector between two axes where its box meets no marker
  (none is drawn where no bisector is clear; the legend names the rings either way);
* the legend sits to the right of the rightmost axis label.

An axis a group did not answer has no vertex: the group's line is drawn as runs between answered axes
that are next to each other, so a gap shows where it has no answer (never a dip to the centre).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

RADIUS = 170.0
MARKER = 4.5  # half the size of a marker's shape
TIE_SPREAD = 11.0  # sideways distance between groups with the same score on an axis
AXIS_FONT, RING_FONT, LEGEND_FONT, NOTE_FONT, TITLE_FONT = 13.0, 10.0, 13.0, 11.0, 16.0
CHAR_EM = 0.62  # generous average advance of a character, in ems (DejaVu Sans is about 0.6)
LINE = 1.2  # line height, in ems
MARGIN = 16.0
LEGEND_GAP = 36.0
LABEL_WRAP = 15  # characters per line of an axis label
RINGS = (0.25, 0.5, 0.75, 1.0)
RING_LABELS = ((0.5, "0.5"), (1.0, "1"))


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: x0 ≤ x1, y0 ≤ y1 (SVG coordinates, y down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def meets(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def distance_to(self, x: float, y: float) -> float:
        """Distance from the point (x, y) to the nearest point of the box (0 inside)."""
        return math.hypot(max(self.x0 - x, 0.0, x - self.x1), max(self.y0 - y, 0.0, y - self.y1))


@dataclass(frozen=True)
class Text:
    """A piece of text: its lines, where its first baseline is, how it is anchored, and its box."""

    kind: str  # title | axis | ring | legend | note
    lines: tuple[str, ...]
    x: float
    y: float  # baseline of the first line
    size: float
    anchor: str = "start"  # start | middle | end
    key: str = ""  # axis id or group id

    @property
    def box(self) -> Box:
        width = max(len(line) for line in self.lines) * self.size * CHAR_EM
        x0 = self.x - (width if self.anchor == "end" else width / 2 if self.anchor == "middle" else 0.0)
        top = self.y - 0.8 * self.size
        bottom = self.y + (len(self.lines) - 1) * LINE * self.size + 0.25 * self.size
        return Box(x0, top, x0 + width, bottom)

    def moved(self, dx: float, dy: float) -> Text:
        return Text(self.kind, self.lines, self.x + dx, self.y + dy, self.size, self.anchor, self.key)


@dataclass(frozen=True)
class Mark:
    """One group's marker on one axis."""

    group: int
    axis: int
    x: float
    y: float

    @property
    def box(self) -> Box:
        s = MARKER + 1.5  # the triangle and diamond reach one unit further, plus the stroke
        return Box(self.x - s, self.y - s, self.x + s, self.y + s)


@dataclass
class Layout:
    width: float
    height: float
    cx: float
    cy: float
    axis_ends: list[tuple[float, float]]
    marks: list[Mark]
    runs: dict[int, list[list[tuple[float, float]]]]  # per group: its line, as runs of points
    closed: dict[int, bool]  # per group: every axis answered, so its line closes into a polygon
    texts: list[Text] = field(default_factory=list)

    def labels(self) -> list[Text]:
        return [t for t in self.texts if t.kind in ("axis", "ring")]


def _angle(index: int, count: int) -> float:
    return -math.pi / 2 + 2 * math.pi * index / count


def _at(index: int, count: int, value: float) -> tuple[float, float]:
    a = _angle(index, count)
    return RADIUS * value * math.cos(a), RADIUS * value * math.sin(a)


def wrap(title: str, limit: int = LABEL_WRAP) -> tuple[str, ...]:
    words, lines = title.split(), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > limit:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return tuple(lines)


def _marks(scores: list[list[float | None]], count: int) -> list[Mark]:
    """Markers around (0, 0); groups with the same score on an axis are spread sideways. A 0 sits a
    little off the centre, far enough out that markers on neighbouring axes do not touch."""
    floor = min(0.15, (2 * (MARKER + 1.5) + 2) / (2 * math.sin(math.pi / count)) / RADIUS)
    marks = []
    for i in range(count):
        a = _angle(i, count)
        same: dict[float, list[int]] = {}
        for n, line in enumerate(scores):
            value = line[i]
            if value is not None:
                same.setdefault(round(value, 2), []).append(n)
        for value, groups in same.items():
            x, y = _at(i, count, max(value, floor))
            for k, n in enumerate(groups):
                shift = (k - (len(groups) - 1) / 2) * TIE_SPREAD
                marks.append(Mark(n, i, round(x - shift * math.sin(a), 1), round(y + shift * math.cos(a), 1)))
    return sorted(marks, key=lambda m: (m.group, m.axis))


def _runs(line: list[float | None], count: int) -> tuple[list[list[tuple[float, float]]], bool]:
    """The group's line as runs of answered axes that are next to each other (cyclically)."""
    answered = [i for i, s in enumerate(line) if s is not None]
    if len(answered) == count:
        return [[_at(i, count, line[i] or 0.0) for i in range(count)]], True
    if not answered:
        return [], False
    start = next(i for i in range(count) if line[i] is not None and line[i - 1] is None)
    runs: list[list[tuple[float, float]]] = []
    for step in range(count):
        i = (start + step) % count
        value = line[i]
        if value is None:
            continue
        if line[i - 1] is None:
            runs.append([])
        runs[-1].append(_at(i, count, value))
    return [r for r in runs if len(r) > 1], False


def _axis_label(index: int, count: int, title: str, key: str, clear: float) -> Text:
    """The axis's title just beyond the disc of radius CLEAR, anchored away from the centre."""
    a = _angle(index, count)
    cos, sin = math.cos(a), math.sin(a)
    lines = wrap(title)
    anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
    height = (len(lines) - 1) * LINE * AXIS_FONT
    distance = clear + 4
    while True:
        x, y = distance * cos, distance * sin
        if sin < -0.5:  # above the centre: the lines grow upwards
            base = y - height
        elif sin > 0.5:  # below: downwards from the anchor point
            base = y + 0.8 * AXIS_FONT
        else:
            base = y - height / 2 + 0.3 * AXIS_FONT
        text = Text("axis", lines, round(x, 1), round(base, 1), AXIS_FONT, anchor, key)
        if text.box.distance_to(0.0, 0.0) >= clear:
            return text
        distance += 2


def _ring_labels(count: int, marks: list[Mark]) -> list[Text]:
    """Each ring's value on the first bisector between axes where it meets no marker."""
    out = []
    for value, label in RING_LABELS:
        for i in range(count):
            a = (_angle(i, count) + _angle(i + 1, count)) / 2
            x, y = RADIUS * value * math.cos(a), RADIUS * value * math.sin(a)
            text = Text("ring", (label,), round(x, 1), round(y + 0.35 * RING_FONT, 1), RING_FONT, "middle")
            if not any(text.box.meets(m.box) for m in marks):
                out.append(text)
                break
    return out


def layout(titles: list[str], keys: list[str], scores: list[list[float | None]], legend: list[tuple[str, str]],
           notes: list[str], title: str) -> Layout:
    """Place the star for axes TITLES (ids KEYS), one line of SCORES per group (None: not answered), a
    legend of (group id, text) entries with NOTES under it, and the picture's TITLE."""
    count = len(titles)
    marks = _marks(scores, count)
    reach = max([math.hypot(m.x, m.y) + (MARKER + 1.5) * math.sqrt(2) for m in marks] + [RADIUS])
    clear = reach + 4
    texts = [_axis_label(i, count, t, k, clear) for i, (t, k) in enumerate(zip(titles, keys, strict=True))]
    texts += _ring_labels(count, marks)
    boxes = [t.box for t in texts] + [Box(-clear, -clear, clear, clear)]
    left, top = min(b.x0 for b in boxes), min(b.y0 for b in boxes)
    right, bottom = max(b.x1 for b in boxes), max(b.y1 for b in boxes)
    title_text = Text("title", (title,), MARGIN, MARGIN + TITLE_FONT, TITLE_FONT)
    cx, cy = MARGIN - left, title_text.box.y1 + 2 * MARGIN - top
    texts = [t.moved(cx, cy) for t in texts]
    marks = [Mark(m.group, m.axis, round(m.x + cx, 1), round(m.y + cy, 1)) for m in marks]
    legend_x = cx + right + LEGEND_GAP
    texts.append(title_text)
    y = cy + top + LEGEND_FONT
    texts.append(Text("legend", ("Stakeholder groups",), legend_x, y, LEGEND_FONT, key="heading"))
    for n, (key, text) in enumerate(legend):
        texts.append(Text("legend", (text,), legend_x + 50, y + 28 + n * 26 + 4, LEGEND_FONT, key=key))
    y += 28 + len(legend) * 26 + 10
    texts += [Text("note", (note,), legend_x, y + n * 16, NOTE_FONT) for n, note in enumerate(notes)]
    runs, closed = {}, {}
    for n, line in enumerate(scores):
        group_runs, closed[n] = _runs(line, count)
        runs[n] = [[(round(px + cx, 1), round(py + cy, 1)) for px, py in run] for run in group_runs]
    ends = [(round(x + cx, 1), round(y + cy, 1)) for x, y in (_at(i, count, 1.0) for i in range(count))]
    width = max(t.box.x1 for t in texts) + MARGIN
    height = max(max(t.box.y1 for t in texts), cy + bottom) + MARGIN
    return Layout(round(width), round(height), round(cx, 1), round(cy, 1), ends, marks, runs, closed, texts)


def legend_line_y(text: Text) -> float:
    """Where a legend entry's sample line (and marker) is drawn: level with the middle of its text."""
    return text.y - 4
