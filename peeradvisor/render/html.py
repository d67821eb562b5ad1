"""The advice memo as one self-contained, printable HTML file (template: templates/memo.html.j2).

Inline CSS and an inline SVG chart; no scripts and no external assets (a Content-Security-Policy
forbids them too). Autoescape is on, so every value, above all the free text of an answers file,
is HTML-escaped."""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined

from peeradvisor.memo import Memo
from peeradvisor.memo.words import DIRECTION_LABEL, KIND_LABEL

from .markdown import long_date


@functools.cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("peeradvisor", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals.update(direction_label=DIRECTION_LABEL, kind_label=KIND_LABEL)
    return env


def render(memo: Memo, **_: object) -> str:
    return _env().get_template("memo.html.j2").render(m=memo, date=long_date(memo))
