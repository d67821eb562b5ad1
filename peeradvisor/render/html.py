"""The advice memo as one self-contained, printable HTML file (template: templates/memo.html.j2).

Inline CSS and an inline SVG chart; no scripts and no external assets (a Content-Security-Policy
forbids them too). HTML templates are autoescaped (`render/templates.py`), so every value, above all the
free text of an answers file, is HTML-escaped."""

from __future__ import annotations

from peeradvisor.render.memo import Memo
from peeradvisor.render.memo.words import DIRECTION_LABEL, KIND_LABEL

from .markdown import long_date
from .templates import render_template


def render(memo: Memo, **_: object) -> str:
    return render_template("memo.html.j2", m=memo, date=long_date(memo), direction_label=DIRECTION_LABEL,
                           kind_label=KIND_LABEL)
