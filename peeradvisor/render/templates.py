"""The one jinja environment every template renders through (templates/ beside this module).

HTML and SVG templates are autoescaped; in Markdown templates every printed value passes through
`markdown_escape`, so free text from an answers file can never become a link, an image, raw HTML or a
broken table. Both rules are fixed here by the template's name, never left to the template.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

# `_` only where it could open or close emphasis: CommonMark never makes emphasis of `peer_worker`
_SPECIAL = re.compile(r"([\\<>\[\]|`*]|(?<!\w)_|_(?!\w))")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ANSWER_SHORT = {"yes": "yes", "partly": "partly", "no": "no", "dont_know": "dk", "not_relevant": "n/r"}


def markdown_escape(value: Any) -> str:
    """Backslash-escape what makes HTML, links, emphasis, code or table cells in Markdown; one line."""
    if value is None:
        return ""
    return _SPECIAL.sub(r"\\\1", " ".join(_CONTROL.sub("", str(value)).split()))


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    if (context.name or "").endswith(".md.j2") and not isinstance(value, Markup):
        return markdown_escape(value)
    return value


@functools.cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("peeradvisor.render", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2"), default=False),
                      undefined=StrictUndefined, finalize=_finalize, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["cell"] = env.filters["md"] = lambda v: Markup(markdown_escape(v))
    env.filters["answer"] = lambda v: "–" if v is None else ANSWER_SHORT.get(v, v)
    return env


def render_template(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)
