"""`peeradvisor advise FILE|FOLDER`: ranked, evidence-linked findings, or an advice memo per assessment."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

from peeradvisor.cli_errors import say, show_error
from peeradvisor.commands import batch
from peeradvisor.commands.batch import Job, Outcome
from peeradvisor.commands.common import echo, guard_output, write_file
from peeradvisor.core import advise as run_advise
from peeradvisor.errors import UsageError
from peeradvisor.kb import load_kb
from peeradvisor.render.advice import render_as, show_summary, show_text

EXTENSIONS = {"text": ".txt", "md": ".md", "html": ".html", "docx": ".docx", "json": ".json"}


def advise(target: Path, fmt: str, output: Path | None, show_all: bool, kb_root: Path | None,
           date: str | None = None, since: Path | None = None, detail: bool = False) -> int:
    job = Job(render=functools.partial(render_as, fmt, detail=detail), extension=EXTENSIONS[fmt],
              date=parse_date(date),
              today=dt.date.today(), kb_root=kb_root)
    if target.is_dir():
        return advise_folder(target, output, job, since)
    inputs = (target,) if since is None else (target, since)
    if output is not None:
        guard_output(output, inputs)
    prepared = batch.prepare(target, load_kb(kb_root), job, since, run=run_advise)
    if fmt == "text" and output is None:
        from peeradvisor.console import make_console

        show_text(prepared, make_console(), full=show_all, detail=detail)
        return 0
    write(render_as(fmt, prepared, detail=detail), output)
    return 0


def advise_what_if(target: Path, sets: list[str], fmt: str, output: Path | None, kb_root: Path | None,
                   detail: bool = False) -> int:
    """`advise FILE --set PATH=VALUE …`: the findings that change when answers change (on screen in plain
    words, as a trainer sees it; Markdown and JSON for a file or a program)."""
    if target.is_dir() or fmt in ("html", "docx"):
        raise UsageError("--set works on one answers file, with --format text, md or json")
    from peeradvisor.analysis.whatif import load_data, run_whatif
    from peeradvisor.render.whatif import render

    if output is not None:
        guard_output(output, (target,))
    kb = load_kb(kb_root)
    data, source = load_data(str(target), kb.root)
    if fmt == "text" and output is None:
        from peeradvisor.commands.step_mode import compare

        return compare(data, source, kb, sets, detail)
    write(render(run_whatif(data, source, sets, kb), fmt), output)
    return 0


def advise_levers(target: Path, sets: list[str], fmt: str, output: Path | None, kb_root: Path | None) -> int:
    """`advise FILE --levers`: the single changes to the answers given that would most improve the advice."""
    if sets:
        raise UsageError("--levers looks for changes to the answers as they are; give it without --set")
    if target.is_dir() or fmt in ("html", "docx"):
        raise UsageError("--levers works on one answers file, with --format text, md or json")
    import shlex

    from peeradvisor.analysis.levers import find_levers
    from peeradvisor.answers import load_answers
    from peeradvisor.console import make_console
    from peeradvisor.render.levers import render

    if output is not None:
        guard_output(output, (target,))
    kb = load_kb(kb_root)
    command = f"peeradvisor advise {shlex.quote(str(target))}"
    write(render(find_levers(load_answers(target), kb), fmt, make_console().width or 80, command), output)
    return 0


def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date; use YYYY-MM-DD") from None


def write(data: str | bytes, output: Path | None) -> None:
    """Write atomically to OUTPUT (already checked against the inputs), or to stdout."""
    if output is not None:
        write_file(output, data)
    elif isinstance(data, bytes):
        if sys.stdout.isatty():
            raise UsageError("--format docx makes a binary file; give --output FILE.docx")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        echo(data, nl=False)


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
    from peeradvisor.console import make_console

    show_summary(outcomes, make_console())
    failed = sum(1 for o in outcomes if o.error)
    say(f"{len(outcomes) - failed} memo(s) written to {output}; {failed} file(s) failed")
    return batch.exit_code(outcomes)


def _run_with_progress(inputs: list[Path], outputs: list[Path], job: Job) -> list[Outcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from peeradvisor.console import make_console

    columns = (TextColumn("Advising"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=make_console(stderr=True), transient=True) as progress:
        task = progress.add_task("advise", total=len(inputs))
        return batch.run(inputs, outputs, job, on_done=lambda _: progress.advance(task))
