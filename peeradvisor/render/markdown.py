"""The advice memo as Markdown that also reads well as plain text (template: templates/memo.md.j2).

Every value the template prints passes through the Markdown escaping of `render/templates.py`, so text from
an answers file (an organisation name, a respondent's label, a setting's detail) can never become Markdown
links, images or raw HTML, nor break a table."""

from __future__ import annotations

import re

from peeradvisor.render.memo import Memo
from peeradvisor.render.memo.words import DIRECTION_LABEL, LABELS
from peeradvisor.render.memo.words import long_date as _long_date
from peeradvisor.report import Report

from .templates import markdown_escape as escape
from .templates import render_template

__all__ = ["escape", "long_date", "render"]

def long_date(memo: Memo) -> str:
    return _long_date(memo.date)


def render(memo: Memo | Report, **_: object) -> str:
    """The memo as Markdown; given a bare Report (no answers at hand), its findings only."""
    if isinstance(memo, Report):
        text = render_template("report.md.j2", r=memo, direction_label=DIRECTION_LABEL)
    else:
        text = render_template("memo.md.j2", m=memo, date=long_date(memo), direction_label=DIRECTION_LABEL,
                               context_labels=LABELS)
    return re.sub(r"\n{3,}", "\n\n", text)
