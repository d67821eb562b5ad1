"""The one place that makes text from files safe for each place it is shown.

Text from an answers file (an organisation, a setting's detail, a respondent's label), a file name or a
rule file may hold anything Unicode allows. Wherever it is shown:

* **controls** (C0 but tab and newline, DEL, C1 — ESC among them, so no escape sequence ever reaches a
  terminal) are shown as visible symbols on a terminal (`␛`) and dropped from documents;
* **invisible format characters** — bidi embeddings, overrides, isolates and marks, zero-width spaces, the
  byte order mark, tag characters — are dropped everywhere: they could make text read differently from
  what it is. Zero-width joiners stay where a script or an emoji needs them (after a non-ASCII character),
  tag characters inside a flag (🏴 and its tags);
* **noncharacters** (U+FFFE, U+FFFF, U+FDD0–U+FDEF …), which XML and so DOCX cannot hold, are dropped, and
  a lone surrogate becomes U+FFFD;
* where one line is expected, every line break and run of spaces becomes one space (`line`).

JSON keeps the text exactly: `json_dumps` writes the same characters as `\\uXXXX` escapes instead; so
does YAML (`yamlio.dump_yaml` escapes a string holding any of them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

_PLANE_ENDS = "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
# Everything that is never shown as it is. Tab and newline are handled by the callers' modes.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f" + _PLANE_ENDS + "]")
_JOINERS = "\u200c\u200d"
_LINE_BREAKS = "\u2028\u2029"
_FLAG = "\U0001f3f4"


def _is_control(code: int) -> bool:
    return code < 0x20 or 0x7F <= code <= 0x9F


def _kept(text: str, at: int) -> bool:
    """A joiner after a non-ASCII character (Indic and Arabic scripts, emoji), a flag's tag, or the CR of
    a CRLF line end (CSV)."""
    char, before = text[at], text[at - 1] if at else ""
    if char == "\r":
        return text[at + 1:at + 2] == "\n"
    if char in _JOINERS:
        return before > "\x7f" and not before.isspace()
    if "\U000e0020" <= char <= "\U000e007f":
        return before == _FLAG or "\U000e0020" <= before <= "\U000e007e"
    return False


def _clean(text: str, *, show: bool) -> str:
    """Drop invisible characters; controls become visible symbols (SHOW) or go."""

    def one(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if _kept(match.string, match.start()):
            return char
        if char in _LINE_BREAKS:
            return "\n"
        if _is_control(code):
            if not show:
                return ""
            return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else ""

    return _SUSPECT.sub(one, text) if _SUSPECT.search(text) else text


def suspect(text: str) -> bool:
    """Whether TEXT holds anything shown differently from what it is (a control, an invisible character)."""
    return bool(_SUSPECT.search(text))


def plain(text: str) -> str:
    """For a document (Markdown, HTML, SVG, DOCX): no controls but tab and newline, nothing invisible."""
    return _clean(str(text), show=False)


def line(text: object) -> str:
    """One line for a document or a heading: `plain`, with every line break and run of spaces one space."""
    if text is None:
        return ""
    return " ".join(_clean(" ".join(str(text).split()), show=False).split())


def terminal(text: object, *, one_line: bool = False) -> str:
    """For a terminal: controls shown as symbols (`␛`), nothing invisible; ONE_LINE flattens line breaks."""
    shown = _clean(str(text), show=True)
    return " ".join(shown.split()) if one_line else shown


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
                          "\u2066-\u206f\ufeff\ufff9-\ufffb\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
                          "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f" + _PLANE_ENDS + "]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON writes astral characters as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_dumps(data: Any, **options: Any) -> str:
    """JSON as `json.dumps(..., ensure_ascii=False)` writes it, but with every character a terminal or an
    editor would hide or obey (C1 controls, bidi, zero-width, noncharacters) written as a `\\uXXXX` escape:
    the data stays exact, the text stays safe to show. (json.dumps already escapes C0 controls.)"""
    text = json.dumps(data, ensure_ascii=False, **options)
    return _JSON_UNSAFE.sub(_json_escape, text)


def every_string(value: Any, clean: Callable[[str], str]) -> Any:
    """VALUE with CLEAN applied to every string inside it: pydantic models, lists, tuples and dicts."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: every_string(getattr(value, name), clean)
                                        for name in type(value).model_fields})
    if isinstance(value, list | tuple):
        items = [every_string(v, clean) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, dict):
        return {every_string(k, clean): every_string(v, clean) for k, v in value.items()}
    return value
