"""The advice memo as Markdown that also reads well as plain text (template: templates/memo.md.j2).

Every value printed by the template passes through `escape`, so text from an answers file (an
organisation name, a respondent's label, a setting's detail) can never become Markdown links, images
or raw HTML, nor break a table."""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from peeradvisor.memo import Memo
from peeradvisor.memo.words import DIRECTION_LABEL, LABELS
from peeradvisor.report import Report

_SPECIAL = re.compile(r"([\\<>\[\]|`])")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def escape(value: Any) -> str:
    """Backslash-escape the characters that make HTML, links, code or table cells in Markdown."""
    if value is None:
        return ""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def long_date(memo: Memo) -> str:
    return f"{memo.date.day} {MONTHS[memo.date.month - 1]} {memo.date.year}"


@functools.cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("peeradvisor", "templates"), autoescape=False,
                      undefined=StrictUndefined, finalize=escape, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals.update(direction_label=DIRECTION_LABEL, context_labels=LABELS)
    return env


def render(memo: Memo | Report, **_: object) -> str:
    """The memo as Markdown; given a bare Report (no answers at hand), its findings only."""
    if isinstance(memo, Report):
        text = _env().get_template("report.md.j2").render(r=memo)
    else:
        text = _env().get_template("memo.md.j2").render(m=memo, date=long_date(memo))
    return re.sub(r"\n{3,}", "\n\n", text)
