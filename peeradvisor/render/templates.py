"""The one jinja environment every template renders through (templates/ beside this module).

HTML and SVG templates are autoescaped, and every value they print is first made `safe_text.plain` (no
controls, nothing invisible, nothing XML cannot hold); in Markdown templates every printed value passes
through `markdown_escape`, so free text from an answers file can never become a link, an image, emphasis,
raw HTML or a broken table. Both rules are fixed here by the template's name, never left to the template.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from peeradvisor import safe_text

# `_` only where it could open or close emphasis: CommonMark never makes emphasis of `peer_worker`
_SPECIAL = re.compile(r"([\\<>\[\]|`*]|(?<!\w)_|_(?!\w))")
# A bare URL is made into a link by common renderers (GitHub's cmark-gfm, GitLab): escaping the `:` of the
# scheme and the `.` after www keeps the text as written, readable and copyable (checked with cmark-gfm).
# (An e-mail address may still become a mailto: link there: GFM finds them after escapes are undone.)
_AUTOLINK = re.compile(r"(?i)(?<![\w\\])(?:https?:|ftp:|mailto:|file:|www\.)")
ANSWER_SHORT = {"yes": "yes", "partly": "partly", "no": "no", "dont_know": "dk", "not_relevant": "n/r"}


def markdown_escape(value: Any, *, links: bool = False) -> str:
    """Backslash-escape what makes HTML, links, emphasis, code or table cells in Markdown; one line.
    LINKS: a URL of our own (the study's DOI) may become a link; free text never does."""
    if value is None:
        return ""
    escaped = _SPECIAL.sub(r"\\\1", safe_text.line(value))
    return escaped if links else _AUTOLINK.sub(lambda m: f"{m.group()[:-1]}\\{m.group()[-1]}", escaped)


@pass_context
def _finalize(context: Context, value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    name = context.name or ""
    if name.endswith(".md.j2"):
        return markdown_escape(value)
    if name.endswith((".html.j2", ".svg.j2")) and isinstance(value, str):
        return safe_text.plain(value)
    return value


@functools.cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("peeradvisor.render", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2"), default=False),
                      undefined=StrictUndefined, finalize=_finalize, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["cell"] = env.filters["md"] = lambda v: Markup(markdown_escape(v))
    env.filters["url"] = lambda v: Markup(markdown_escape(v, links=True))
    env.filters["answer"] = lambda v: "–" if v is None else ANSWER_SHORT.get(v, v)
    return env


def render_template(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)
