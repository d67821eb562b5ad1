"""`peeradvisor advise FILE|FOLDER`: ranked, evidence-linked findings, or an advice memo per assessment."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from peeradvisor import batch
from peeradvisor.batch import Job, Outcome, Prepared
from peeradvisor.cli_errors import show_error
from peeradvisor.commands.common import guard_output
from peeradvisor.console import THEME, make_console
from peeradvisor.core import advise as run_advise
from peeradvisor.errors import UsageError
from peeradvisor.kb import load_kb
from peeradvisor.since import Since
from peeradvisor.yamlio import atomic_write

EXTENSIONS = {"text": ".txt", "md": ".md", "html": ".html", "docx": ".docx", "json": ".json"}
TEXT_WIDTH = 100


def advise(target: Path, fmt: str, output: Path | None, show_all: bool, kb_root: Path | None,
           date: str | None = None, since: Path | None = None) -> int:
    job = Job(render=functools.partial(render_as, fmt), extension=EXTENSIONS[fmt], date=parse_date(date),
              today=dt.date.today(), kb_root=kb_root)
    if target.is_dir():
        return advise_folder(target, output, job, since)
    inputs = (target,) if since is None else (target, since)
    if output is not None:
        guard_output(output, inputs)
    prepared = batch.prepare(target, load_kb(kb_root), job, since, run=run_advise)
    if fmt == "text" and output is None:
        show_text(prepared, make_console(), limit=None if show_all else 12)
        return 0
    write(render_as(fmt, prepared), output)
    return 0


def advise_what_if(target: Path, sets: list[str], fmt: str, output: Path | None, kb_root: Path | None) -> int:
    """`advise FILE --set PATH=VALUE …`: the findings that change when answers change."""
    if target.is_dir() or fmt in ("html", "docx"):
        raise UsageError("--set works on one answers file, with --format text, md or json")
    from peeradvisor.whatif import advise_with_sets

    if output is not None:
        guard_output(output, (target,))
    write(advise_with_sets(target, sets, fmt, kb_root), output)
    return 0


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date; use YYYY-MM-DD") from None


def render_as(fmt: str, prepared: Prepared) -> str | bytes:
    """One assessment in FMT: the contract's JSON report, the terminal view as text, or a memo."""
    if fmt == "json":
        return render_json(prepared)
    if fmt == "text":
        return text_view(prepared)
    from peeradvisor.memo import build_memo
    from peeradvisor.render import docx, html, markdown

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
    from peeradvisor.since import since_data

    data = json.loads(text)
    data["since"] = since_data(changes(prepared))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def changes(prepared: Prepared) -> Since:
    """The comparison with the earlier assessment (there must be one)."""
    from peeradvisor.since import compare

    previous = prepared.previous
    assert previous is not None
    names = {i: item.short for i, item in prepared.kb.items.items()}
    return compare(previous.answers, previous.report, prepared.answers, prepared.report, names)


def text_view(prepared: Prepared) -> str:
    """The terminal view without colour, for a file."""
    buffer = io.StringIO()
    console = Console(file=buffer, theme=THEME, no_color=True, color_system=None, width=TEXT_WIDTH,
                      highlight=False, soft_wrap=False)
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
    console.print(f"[heading]Since the earlier assessment[/] ({escape(since.previous_organisation)}{dated})")
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


def write(data: str | bytes, output: Path | None) -> None:
    """Write atomically to OUTPUT (already checked against the inputs), or to stdout."""
    if output is not None:
        atomic_write(output, data)
        typer.echo(f"Wrote {output}", err=True)
    elif isinstance(data, bytes):
        if sys.stdout.isatty():
            raise UsageError("--format docx makes a binary file; give --output FILE.docx")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def advise_folder(folder: Path, output: Path | None, job: Job, since: Path | None) -> int:
    """One memo per answers file in FOLDER, into the folder OUTPUT; a summary table across sites."""
    if since is not None:
        raise UsageError("--since compares one answers file with an earlier one; it cannot take a folder")
    if output is None:
        raise UsageError(f"{folder} is a folder: give --output FOLDER for its memos")
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} is a file; for a folder of answers give a folder")
    inputs = batch.find_inputs(folder)
    if not inputs:
        raise UsageError(f"{folder}: no answers files (*.yaml, *.yml, *.json) in this folder")
    outputs = batch.plan_outputs(inputs, output, job.extension)
    output.mkdir(parents=True, exist_ok=True)
    outcomes = _run_with_progress(inputs, outputs, job)
    for outcome in outcomes:
        if outcome.error:
            show_error(outcome.error)
    show_summary(outcomes, make_console())
    failed = sum(1 for o in outcomes if o.error)
    typer.echo(f"{len(outcomes) - failed} memo(s) written to {output}; {failed} file(s) failed", err=True)
    return batch.exit_code(outcomes)


def _run_with_progress(inputs: list[Path], outputs: list[Path], job: Job) -> list[Outcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("Advising"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=make_console(stderr=True), transient=True) as progress:
        task = progress.add_task("advise", total=len(inputs))
        return batch.run(inputs, outputs, job, on_done=lambda _: progress.advance(task))


def show_summary(outcomes: list[Outcome], console: Console) -> None:
    table = Table(title="Sites", box=None, pad_edge=False)
    table.add_column("organisation", ratio=2, overflow="fold")
    for name in ("stage", "employer", "setting"):
        table.add_column(name, no_wrap=True)
    table.add_column("warnings", justify="right", no_wrap=True)
    table.add_column("top finding", ratio=3)
    for o in outcomes:
        if o.row is None:
            table.add_row(escape(o.source.name), "", "", "", "", "failed: see the error above")
            continue
        r = o.row
        table.add_row(escape(r.organisation), r.stage, r.employer, r.setting, str(r.warnings), escape(r.top))
    console.print(table)
