"""An assessment's advice in every format: on screen, as text, the contract's JSON, or a memo.

`render_as(fmt, prepared)` is what the `advise` command (one file, or every file of a folder) calls.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from peeradvisor import safe_text
from peeradvisor.analysis.since import Since
from peeradvisor.answers import Answers
from peeradvisor.console import make_console
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.render.memo import Previous
from peeradvisor.report import Report

TEXT_WIDTH = 100


@dataclass(frozen=True)
class Prepared:
    """One assessment, advised on and ready to render."""

    answers: Answers
    report: Report
    kb: KnowledgeBase
    date: dt.date
    previous: Previous | None = None


def render_as(fmt: str, prepared: Prepared) -> str | bytes:
    """One assessment in FMT: the contract's JSON report, the terminal view as text, or a memo."""
    if fmt == "json":
        return render_json(prepared)
    if fmt == "text":
        return text_view(prepared)
    from peeradvisor.render import docx, html, markdown
    from peeradvisor.render.memo import build_memo

    memo = build_memo(prepared.answers, prepared.report, prepared.kb, date=prepared.date,
                      previous=prepared.previous)
    if fmt == "docx":
        return docx.render(memo)
    return html.render(memo) if fmt == "html" else markdown.render(memo)


def render_json(prepared: Prepared) -> str:
    """The contract's report, with an extra `since` key when an earlier assessment was given."""
    from peeradvisor.render import json as json_render

    text = json_render.render(prepared.report)
    if prepared.previous is None:
        return text
    from peeradvisor.analysis.since import since_data

    data = json.loads(text)
    data["since"] = since_data(changes(prepared))
    return safe_text.json_dumps(data, indent=2) + "\n"


def changes(prepared: Prepared) -> Since:
    """The comparison with the earlier assessment (there must be one)."""
    from peeradvisor.analysis.since import compare

    previous = prepared.previous
    assert previous is not None
    names = {i: item.short for i, item in prepared.kb.items.items()}
    return compare(previous.answers, previous.report, prepared.answers, prepared.report, names)


def text_view(prepared: Prepared) -> str:
    """The terminal view without colour, for a file."""
    buffer = io.StringIO()
    console = make_console(file=buffer, width=TEXT_WIDTH)
    show_text(prepared, console, limit=None)
    return buffer.getvalue()


def show_text(prepared: Prepared, console: Console, limit: int | None) -> None:
    from peeradvisor.render.terminal import show

    show(prepared.report, console, limit=limit)
    if prepared.previous is not None:
        show_since(changes(prepared), console)


def show_since(since: Since, console: Console) -> None:
    dated = f", {since.previous_date}" if since.previous_date else ""
    console.print()
    earlier = _cell(since.previous_organisation)
    console.print(f"[heading]Since the earlier assessment[/] ({earlier}{dated})")
    if not since.same_organisation:
        console.print("  [caveat]The earlier file names a different organisation.[/]")
    console.print(f"  {len(since.resolved)} resolved, {len(since.new)} new, {len(since.unchanged)} still "
                  f"present; items improved {len(since.improved)}, worsened {len(since.worsened)}")
    for c in since.resolved:
        console.print(f"  - resolved: {escape(c.title)} (was {c.previous_rank})")
    for c in since.new:
        console.print(f"  + new {c.rank}: {escape(c.title)}")
    for c in since.unchanged:
        if c.move:
            arrow = "↑" if c.move > 0 else "↓"
            console.print(f"  {arrow} {c.rank}: {escape(c.title)} (was {c.previous_rank})")
    for item in since.improved + since.worsened:
        console.print(f"  {item.item} {item.short}: {item.before} → {item.after}")


def show_summary(outcomes: list[Any], console: Console) -> None:
    """The batch's table of sites: one row per answers file (its outcome's `row`, or a failure)."""
    table = Table(title="Sites", box=None, pad_edge=False)
    table.add_column("organisation", ratio=2, overflow="fold")
    for name in ("stage", "employer", "setting"):
        table.add_column(name, no_wrap=True)
    table.add_column("warnings", justify="right", no_wrap=True)
    table.add_column("top finding", ratio=3)
    for o in outcomes:
        if o.row is None:
            table.add_row(_cell(o.source.name), "", "", "", "", "failed: see the error above")
            continue
        r = o.row
        table.add_row(*map(_cell, (r.organisation, r.stage, r.employer, r.setting)), str(r.warnings), _cell(r.top))
    console.print(table)


def _cell(text: str) -> str:
    """Free text as one line of Rich markup: escaped, no control or invisible characters."""
    return escape(safe_text.terminal(text, one_line=True))
