"""An assessment's advice in every format: on screen, as text, the contract's JSON, or a memo.

`render_as(fmt, prepared)` is what the `advise` command (one file, or every file of a folder) calls.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from peeradvisor import safe_text
from peeradvisor.render.prepared import Prepared

if TYPE_CHECKING:  # rich and the comparison are loaded only by the views that need them
    from rich.console import Console

    from peeradvisor.analysis.since import Since

__all__ = ["Prepared", "render_as", "show_summary", "show_text"]

TEXT_WIDTH = 100


def render_as(fmt: str, prepared: Prepared, detail: bool = False) -> str | bytes:
    """One assessment in FMT: the contract's JSON report, the terminal view as text, or a memo."""
    if fmt == "json":
        return render_json(prepared)
    if fmt == "text":
        return text_view(prepared, detail)
    from peeradvisor.render import docx, html, markdown
    from peeradvisor.render.memo import build_memo

    memo = build_memo(prepared.answers, prepared.report, prepared.kb, date=prepared.date,
                      previous=prepared.previous, detail=detail)
    if fmt == "docx":
        return docx.render(memo)
    return html.render(memo) if fmt == "html" else markdown.render(memo)


def render_json(prepared: Prepared) -> str:
    """The contract's report with two extra keys: `answers`, the answers it was made from (so that a saved
    report can be compared with a later assessment: `--since REPORT.json`), and `since` when an earlier
    assessment was given."""
    from peeradvisor.answers import answers_to_data
    from peeradvisor.render import json as json_render

    data = json.loads(json_render.render(prepared.report))
    answers = answers_to_data(prepared.answers)
    answers.pop("session", None)  # where `assess` stopped: not part of the answers
    data["answers"] = answers
    if prepared.previous is not None:
        from peeradvisor.render.since_words import since_json

        data["since"] = since_json(changes(prepared), prepared.kb)
    return safe_text.json_dumps(data, indent=2) + "\n"


def changes(prepared: Prepared) -> Since:
    """The comparison with the earlier assessment (there must be one)."""
    from peeradvisor.analysis.since import compare

    previous = prepared.previous
    assert previous is not None
    return compare(previous.answers, previous.report, prepared.answers, prepared.report, prepared.kb)


def text_view(prepared: Prepared, detail: bool = False) -> str:
    """The terminal view without colour, every finding in full, for a file."""
    from peeradvisor.console import make_console

    buffer = io.StringIO()
    console = make_console(file=buffer, width=TEXT_WIDTH)
    show_text(prepared, console, full=True, detail=detail)
    return buffer.getvalue()


def show_text(prepared: Prepared, console: Console, *, full: bool = False, detail: bool = False) -> None:
    """The terminal view; with an earlier assessment, what changed since comes first, under the header."""
    from peeradvisor.render.terminal import show

    preface: Callable[[Console], None] | None = None
    if prepared.previous is not None:
        from peeradvisor.render.since_view import show_since

        preface = functools.partial(show_since, changes(prepared), kb=prepared.kb, full=full, detail=detail)

    show(prepared.report, console, kb=prepared.kb, full=full, detail=detail, preface=preface)


def show_summary(outcomes: list[Any], console: Console) -> None:
    """The batch's table of sites: one row per answers file (its outcome's `row`, or a failure), with the
    file and its memo. In columns on a terminal wide enough for them; otherwise (a narrow terminal, or
    output piped to a file or another program) one short block per file. Nothing is cut."""
    import textwrap

    from peeradvisor.render.textgrid import Column, grid

    rows = []
    for o in outcomes:
        r = o.row
        if r is None:
            rows.append([o.source.name, "not written", "", "", "", "failed: see the error above"])
        else:
            rows.append([o.source.name, o.output.name, safe_text.terminal(r.organisation, one_line=True),
                         f"{r.stage}, {r.employer}, {r.setting}", str(r.warnings),
                         safe_text.terminal(r.top, one_line=True)])
    columns = [Column("file", wrap=False), Column("memo", wrap=False), Column("organisation"),
               Column("stage, employer, setting", label="arrangement"), Column("warnings", right=True),
               Column("top finding")]
    width = console.width
    laid = grid(columns, rows, width) if console.is_terminal else None
    if laid is None:
        laid = []
        for file, memo, organisation, arrangement, warnings, top in rows:
            site = f"{organisation} ({arrangement}): {warnings} warning(s)" if organisation else ""
            for text, first, rest in ((f"{file} → {memo}", "", "  "), (site, "  ", "    "),
                                      (f"Top finding: {top}" if organisation else top, "  ", "    ")):
                laid += textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                                      break_long_words=False, break_on_hyphens=False)
    console.print("\n".join([f"Sites ({len(outcomes)} file(s))", *laid]), markup=False, highlight=False,
                  soft_wrap=True)
