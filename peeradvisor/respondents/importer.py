"""Rows of a survey export -> the responses of an answers file, every bad cell collected. Pure.

A header is matched by its leading item id and A/B (`2.1 A…`), or by name (`group`, `label`, `top3`), so a
survey tool may append question text and reorder columns. Other columns (ID, Start time, Email…) are not
read: they are listed in `ignored` for the user to see, and nothing of them reaches the answers file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peeradvisor import vocab
from peeradvisor.errors import InputError, Problem

from . import cells
from .cells import CellError, Column
from .tables import Table

MAX_LABEL = 200
_ORDER = {item: n for n, item in enumerate(vocab.ITEM_IDS)}


@dataclass(frozen=True)
class Imported:
    """The responses read from a table, and what the user should know about how they were read."""

    responses: list[dict[str, Any]]
    ignored: list[str] = field(default_factory=list)  # headers of columns not read
    absent: list[str] = field(default_factory=list)  # questions with no column (`3.1 A`…)
    overflow: list[int] = field(default_factory=list)  # rows with values right of the last header


@dataclass
class _Columns:
    by_index: dict[int, Column]
    ignored: list[int]  # columns that are not the inventory's
    problems: list[Problem]


def read_responses(table: Table) -> Imported:
    """One response per row of TABLE; raises InputError listing every bad header and cell at once."""
    columns = map_columns(table.header)
    problems = list(columns.problems)
    responses: list[dict[str, Any]] = []
    overflow: list[int] = []
    for number, row in table.rows:
        responses.append(_response(number, row, table.header, columns.by_index, problems))
        if any(cells.text_of(v) for v in row[len(table.header):]):
            overflow.append(number)
    if not table.rows:
        problems.append(Problem("has a header row but no responses below it"))
    if problems:
        raise InputError(table.source, problems=problems)
    named = {c.name for c in columns.by_index.values()}
    absent = [f"{i} {p}" for i in vocab.ITEM_IDS for p in "AB" if f"{i} {p}" not in named]
    return Imported(responses, _ignored(table, columns.ignored), absent, overflow)


def _ignored(table: Table, indices: list[int]) -> list[str]:
    """The headers of the columns not read; a column with neither header nor values is not worth naming."""
    out = []
    for index in indices:
        text = table.header[index]
        if text or any(index < len(row) and cells.text_of(row[index]) for _, row in table.rows):
            out.append(text or f"(column {letter(index)}, no header)")
    return out


def map_columns(header: list[str]) -> _Columns:
    """Which column holds what; headers that name no question are ignored, bad or repeated ones refused."""
    out = _Columns({}, [], [])
    seen: dict[str, str] = {}
    for index, text in enumerate(header):
        try:
            column = cells.column_for(text)
        except CellError as exc:
            out.problems.append(Problem(str(exc), f"column {_quoted(text)}"))
            continue
        if column is None:
            out.ignored.append(index)
        elif column.name in seen:
            out.problems.append(Problem(f"is the same question as column {_quoted(seen[column.name])}; keep one",
                                        f"column {_quoted(text)}"))
        else:
            seen[column.name] = text
            out.by_index[index] = column
    if "group" not in seen:
        out.problems.append(Problem('no column is named "group"; every respondent needs one: '
                                    + ", ".join(cells.GROUP_WORDS)))
    if not any(c.key in ("item", "top3") for c in out.by_index.values()):
        found = ", ".join(_quoted(h) for h in header[:4] if h) + (" …" if len(header) > 4 else "")
        out.problems.append(Problem('no column is a question of the inventory: headers start with an item id '
                                    'and A or B (e.g. "2.1 A"), as `peeradvisor survey` writes them'
                                    + (f"; this file's headers are {found}" if found else "")))
    return out


def _response(number: int, row: list[Any], header: list[str], columns: dict[int, Column],
              problems: list[Problem]) -> dict[str, Any]:
    who: dict[str, Any] = {}
    inventory: dict[str, dict[str, Any]] = {}
    top3: list[str] = []
    for index, column in columns.items():
        text = cells.text_of(row[index]) if index < len(row) else ""
        if not text and column.key != "group":
            continue
        try:
            if column.key == "group":
                who["group"] = cells.group(text)
            elif column.key == "label":
                who["label"] = _label(text)
            elif column.key == "top3":
                top3 = cells.top3(text)
            else:
                reader = cells.happening if column.part == "happening" else cells.importance
                inventory.setdefault(column.item, {})[str(column.part)] = reader(text)
        except CellError as exc:
            where = f"row {number}, column {_quoted(header[index])}"
            problems.append(Problem(f"{exc} (cell {letter(index)}{number})", where))
    response: dict[str, Any] = {"respondent": who,
                                "inventory": dict(sorted(inventory.items(), key=lambda kv: _ORDER[kv[0]]))}
    if top3:
        response["top3"] = top3
    return response


def _label(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_LABEL:
        raise CellError(f"is {len(text)} characters long; a label has at most {MAX_LABEL}")
    return text


def _quoted(header: str) -> str:
    shown = " ".join(header.split())
    return f'"{shown[:50]}…"' if len(shown) > 50 else f'"{shown}"'


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the spreadsheet's name for a column."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def notes(imported: Imported) -> list[str]:
    """What the user should know about the import, in plain words."""
    out = []
    if imported.ignored:
        shown = ", ".join(_quoted(h) for h in imported.ignored[:8])
        more = f" and {len(imported.ignored) - 8} more" if len(imported.ignored) > 8 else ""
        out.append(f"{len(imported.ignored)} column(s) are not questions of the inventory and were not read "
                   f"(nothing of them is in the answers file): {shown}{more}")
    if imported.absent:
        shown = ", ".join(imported.absent[:6]) + (" …" if len(imported.absent) > 6 else "")
        out.append(f"{len(imported.absent)} of the 80 inventory questions have no column ({shown}); "
                   "they count as not answered")
    if imported.overflow:
        rows = ", ".join(map(str, imported.overflow[:10]))
        out.append(f"row(s) {rows} have values right of the last header; they were not read")
    return out
