"""Plain-text tables that always fit the terminal: columns when they fit, each row stacked when not.

`table(columns, rows, width)` lays the rows out in columns, wrapping the columns that may wrap (at
spaces only, so an id or a file name is never cut) until the table fits WIDTH; when even the narrowest
columns do not fit, each row is stacked instead: its first cell on a line of its own, then the other
cells as `header: value`, joined with ` · ` while they fit. Nothing is ever truncated.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

GAP = 2


@dataclass(frozen=True)
class Column:
    header: str
    right: bool = False  # align right (numbers)
    wrap: bool = True  # may wrap at spaces; False keeps the cell on one line (short codes, numbers)
    label: str = ""  # the name used in the stacked form, when it differs from the header ("" = header)
    hang: int = 0  # indent of a wrapped cell's second and later lines (e.g. past an item id)

    @property
    def name(self) -> str:
        return self.label or self.header


def _lines(text: str, width: int, hang: int = 0) -> list[str]:
    if len(text) <= width or width < 1:  # fits (or an empty column): one line as it is
        return [text]
    return textwrap.wrap(text, width, subsequent_indent=" " * hang, break_long_words=False,
                         break_on_hyphens=False) or [""]


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """Column widths within ROOM (excluding gaps), narrowing the widest wrapping column first."""
    natural = [max([len(c.header)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    least = [natural[i] if not c.wrap else
             max([_longest_word(c.header)] + [c.hang + _longest_word(r[i]) for r in rows])
             for i, c in enumerate(columns)]
    if sum(least) > room:
        return None
    widths = list(natural)
    # First wrap only headers (a cell stays on one line), then narrow the widest wrapping column.
    cells = [max([len(r[i]) for r in rows] + [least[i]]) if c.wrap else natural[i] for i, c in enumerate(columns)]
    for floor in (cells, least):
        while sum(widths) > room and any(w > f for w, f in zip(widths, floor, strict=True)):
            i = max((i for i in range(len(widths)) if widths[i] > floor[i]), key=lambda i: widths[i] - floor[i])
            widths[i] -= 1
    return widths


def grid(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, indent: int = 0,
         *, wrap: bool = True) -> list[str] | None:
    """The rows in columns within WIDTH, or None when they cannot fit without cutting a word (or, when
    WRAP is false, without wrapping any cell)."""
    room = width - indent - GAP * (len(columns) - 1)
    widths = _widths(columns if wrap else [Column(c.header, c.right, False) for c in columns], rows, room)
    if widths is None:
        return None
    out = []
    for cells in [[c.header for c in columns], *rows]:
        wrapped = [_lines(text, w, c.hang) for text, w, c in zip(cells, widths, columns, strict=True)]
        for n in range(max(len(w) for w in wrapped)):
            parts = []
            for col, w, lines in zip(columns, widths, wrapped, strict=True):
                text = lines[n] if n < len(lines) else ""
                parts.append(text.rjust(w) if col.right else text.ljust(w))
            out.append((" " * indent + (" " * GAP).join(parts)).rstrip())
    return out


def stacked(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, indent: int = 0) -> list[str]:
    """Each row as its first cell, then `name: value` pairs, joined with ` · ` while they fit."""
    pad = " " * indent
    out = []
    for cells in rows:
        out += textwrap.wrap(cells[0], width, initial_indent=pad, subsequent_indent=pad + "  ",
                             break_long_words=False, break_on_hyphens=False) or [pad]
        line = ""
        for col, text in zip(columns[1:], cells[1:], strict=True):
            if not text:
                continue
            piece = f"{col.name}: {text}"
            if line and len(pad) + 2 + len(line) + 3 + len(piece) <= width:
                line += " · " + piece
                continue
            if line:
                out.append(pad + "  " + line)
            line = piece
            if len(pad) + 2 + len(line) > width:
                wrapped = textwrap.wrap(piece, width, initial_indent=pad + "  ", subsequent_indent=pad + "    ",
                                        break_long_words=False, break_on_hyphens=False)
                out += wrapped
                line = ""
        if line:
            out.append(pad + "  " + line)
    return out


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, *, indent: int = 0,
          stack: bool = False) -> list[str]:
    """The rows in columns when they fit WIDTH (and STACK is not asked for), else stacked."""
    laid = None if stack else grid(columns, rows, width, indent)
    return laid if laid is not None else stacked(columns, rows, width, indent)
