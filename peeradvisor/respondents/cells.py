"""One spreadsheet cell or column header, read as the contract's words (contract section 4). Pure.

Each reader returns the answer, or raises CellError saying what the cell may hold instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from peeradvisor import vocab

Part = Literal["happening", "importance"]
PARTS: dict[str, Part] = {"A": "happening", "B": "importance"}

# What a person reads and types: the contract's words with spaces, and the study's importance words.
HAPPENING_WORDS = ("yes", "partly", "no", "don't know", "not relevant")
IMPORTANCE_WORDS = (*vocab.IMPORTANCE_WORDS.values(), "don't know", "not relevant")
GROUP_WORDS = tuple(g.replace("_", " ") for g in vocab.GROUPS)
ITEM_RANGES = "1.1-1.8, 2.1-2.8, 3.1-3.4, 4.1-4.6, 5.1-5.9 and 6.1-6.5"

# `2.1 A: Shared understanding…`; survey tools may number questions first (`12. 2.1 A…`, `Q12 2.1 A…`).
_NUMBERED = r"(?:q?\d+[.):]?\s+)?"
_ITEM_HEADER = re.compile(_NUMBERED + r"(\d\.\d)\s*[-_]?\s*([ab])(?![a-z0-9])", re.IGNORECASE)
_NAMED_HEADER = re.compile(_NUMBERED + r"(group|label|top\s*-?\s*(?:3|three))(?![a-z0-9])", re.IGNORECASE)
_ITEM_ID = re.compile(r"\d\.\d(?!\d)")
_ITEM_LIKE = re.compile(r"\d+\.\d+")
_BEFORE_ITEM = re.compile(r"[,;\s]+(?=\d+\.\d)")


class CellError(ValueError):
    """The cell (or header) does not hold an answer; the message says what it may hold."""


@dataclass(frozen=True)
class Column:
    """What one column of the table holds: `group`, `label`, `top3`, or one item's A or B."""

    key: str  # group | label | top3 | item
    item: str = ""
    part: Part | None = None

    @property
    def name(self) -> str:
        return f"{self.item} {'A' if self.part == 'happening' else 'B'}" if self.item else self.key


def norm(text: str) -> str:
    """`Don’t know` -> `dont_know`; `Not  relevant` -> `not_relevant`; `Peer-worker` -> `peer_worker`."""
    text = text.strip().lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[\s\-_]+", "_", text)


def text_of(value: Any) -> str:
    """A cell as text: spreadsheets give numbers (4.0), CSV gives strings; None is empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_for(header: str) -> Column | None:
    """The column a header names, or None for a column that is not the inventory's (ID, Start time…).

    Raises CellError for a header that looks like an item but names none of the 40.
    """
    text = header.strip()
    named = _NAMED_HEADER.match(text)
    if named:
        word = named.group(1).lower()
        return Column("top3" if word.startswith("top") else word)
    found = _ITEM_HEADER.match(text)
    if not found:
        return None
    item = found.group(1)
    if item not in vocab.ITEM_IDS:
        raise CellError(f"{item} is not one of the 40 items ({ITEM_RANGES})")
    return Column("item", item, PARTS[found.group(2).upper()])


def _choose(text: str, words: dict[str, Any], what: str, allowed: tuple[str, ...]) -> Any:
    key = norm(text)
    if key in words:
        return words[key]
    raise CellError(f"{_shown(text)} is not {what}; use {_either(allowed)}")


_HAPPENING = {norm(w): v for w, v in zip(HAPPENING_WORDS, vocab.HAPPENING, strict=True)}
_IMPORTANCE: dict[str, Any] = {
    **{str(n): n for n in vocab.IMPORTANCE_WORDS},
    **{norm(w): n for n, w in vocab.IMPORTANCE_WORDS.items()},
    "dont_know": "dont_know", "not_relevant": "not_relevant",
}
_GROUPS = {norm(g): g for g in vocab.GROUPS}


def happening(text: str) -> str:
    return str(_choose(text, _HAPPENING, "an answer", HAPPENING_WORDS))


def importance(text: str) -> int | str:
    """`4`, `4.0`, `Extremely important`, `don't know`… -> 4 or a word."""
    found = _IMPORTANCE.get(norm(text))
    if found is None and re.fullmatch(r"[1-4]\.0+", text.strip()):
        found = int(float(text))
    if found is None:
        words = "; ".join(f"{n} {w}" for n, w in vocab.IMPORTANCE_WORDS.items())
        raise CellError(f"{_shown(text)} is not an importance; use 1-4 ({words}), don't know or not relevant")
    return found  # type: ignore[no-any-return]


def group(text: str) -> str:
    if not text:
        raise CellError(f"is empty; every respondent needs a group: {_either(GROUP_WORDS)}")
    return str(_choose(text, _GROUPS, "a respondent group", GROUP_WORDS))


def top3(text: str) -> list[str]:
    """`2.1, 5.8; 5.2` or `2.1 5.8 5.2`, or ticked options exported as `2.1 Peer workers are…;5.8 …;`.

    The cell is cut before each item number; what follows a number (an option's words) is not read."""
    parts = [p.strip(" ,;") for p in _BEFORE_ITEM.split(text.strip(" ,;")) if p.strip(" ,;")]
    ids: list[str] = []
    for part in parts:
        found = _ITEM_ID.match(part)
        stray = _ITEM_LIKE.search(part, found.end()) if found else None
        if not found or found.group(0) not in vocab.ITEM_IDS or stray:
            bad = stray.group(0) if stray else part
            raise CellError(f"{_shown(bad)} is not an item number; items are {ITEM_RANGES}, e.g. 2.1, 5.8, 5.2")
        if found.group(0) in ids:
            raise CellError(f"names {found.group(0)} twice; each item can be chosen once")
        ids.append(found.group(0))
    if len(ids) > 3:
        raise CellError(f"names {len(ids)} items; choose at most three")
    return ids


def _shown(text: str) -> str:
    return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'


def _either(words: tuple[str, ...]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1]
