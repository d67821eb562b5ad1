"""Advise on many answers files: one memo per file, written atomically, failures collected, not fatal.

The knowledge base is loaded and its engine built once per process. With more than PARALLEL_OVER
files the work is spread over WORKERS processes, each set up once by `_init_worker`; results always
come back in input order. Rendering is injected (`Job.render`), so this module needs no renderer."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..answers import Answers, load_answers
from ..core import advise, engine_for
from ..errors import EXIT_INPUT, EXIT_INTERNAL, InputError, PeeradvisorError, UsageError
from ..kb import KnowledgeBase, load_kb
from ..render.prepared import Prepared, memo_date
from ..report import Report
from ..yamlio import atomic_write

INPUT_SUFFIXES = (".yaml", ".yml", ".json")
# Starting a worker (a fresh interpreter that loads the knowledge base and compiles the rules) costs
# about a second; on two cores the pool only wins beyond 20-30 files (measured: 20 files 4.2 s in the
# pool against 3.8 s serially, 40 files 5.0 s against 5.7 s, 200 files 11.3 s against 17.6 s).
PARALLEL_OVER = 24
WORKERS = 2


@dataclass(frozen=True)
class Job:
    """What to make of each file. Travels to worker processes, so `render` must be picklable."""

    render: Callable[[Prepared], str | bytes]
    extension: str
    date: dt.date | None
    today: dt.date
    kb_root: Path | None = None


@dataclass(frozen=True)
class SiteRow:
    organisation: str
    stage: str
    employer: str
    setting: str
    warnings: int
    top: str


@dataclass(frozen=True)
class Outcome:
    index: int
    source: Path
    output: Path
    row: SiteRow | None = None
    error: str | None = None  # "file: path: message", as InputError prints it
    exit_code: int = 0


def find_inputs(folder: Path) -> list[Path]:
    """The answers files directly inside FOLDER, in name order (hidden files skipped)."""
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise InputError(str(folder), f"cannot list the folder ({exc.strerror})") from None
    return sorted(p for p in entries
                  if p.suffix.lower() in INPUT_SUFFIXES and not p.name.startswith(".") and p.is_file())


def plan_outputs(inputs: list[Path], out_dir: Path, extension: str) -> list[Path]:
    """One output per input, named from its stem; refuses any output that would land on an input."""
    stems = Counter(p.stem for p in inputs)
    outputs = [out_dir / ((p.stem if stems[p.stem] == 1 else p.name) + extension) for p in inputs]
    sources = {p.resolve(): p for p in inputs}
    for source, out in zip(inputs, outputs, strict=True):
        if out.resolve() in sources:
            raise UsageError(f"--output {out_dir}: the memo for {source.name} would overwrite the input "
                             f"{sources[out.resolve()]}; choose another folder or format")
    return outputs


def prepare(path: Path, kb: KnowledgeBase, job: Job, since: Path | None = None,
            run: Callable[[Answers, KnowledgeBase], Report] = advise) -> Prepared:
    """Load PATH (and the earlier SINCE file: answers, or a report saved then) and advise on it with RUN (the
    core's `advise`)."""
    from .earlier import load_previous

    answers = load_answers(path)
    previous = None if since is None else load_previous(since, kb, run)
    return Prepared(answers=answers, report=run(answers, kb), kb=kb,
                    date=memo_date(answers, job.date, job.today), previous=previous)


def site_row(prepared: Prepared) -> SiteRow:
    report = prepared.report
    return SiteRow(organisation=report.organisation, stage=report.stage, employer=report.employer,
                   setting=report.setting, warnings=report.counts()["warning"],
                   top=report.findings[0].title if report.findings else "")


def produce(index: int, path: Path, out: Path, job: Job, kb: KnowledgeBase) -> Outcome:
    """Advise on one file and write its memo; any failure becomes an Outcome, never an exception."""
    try:
        prepared = prepare(path, kb, job)
        atomic_write(out, job.render(prepared))
    except PeeradvisorError as exc:
        return Outcome(index, path, out, error=str(exc), exit_code=exc.exit_code)
    except OSError as exc:
        return Outcome(index, path, out, error=f"{out}: cannot write ({exc.strerror})",
                       exit_code=EXIT_INTERNAL)
    except Exception as exc:  # an internal failure in one file must not stop the batch
        return Outcome(index, path, out, error=f"{path}: internal error ({type(exc).__name__})",
                       exit_code=EXIT_INTERNAL)
    return Outcome(index, path, out, row=site_row(prepared))


def run(inputs: list[Path], outputs: list[Path], job: Job,
        on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Produce every memo; returns the outcomes in input order."""
    kb = load_kb(job.kb_root)  # in this process first: a broken knowledge base fails once, clearly
    done = on_done or (lambda _: None)
    workers = min(WORKERS, os.cpu_count() or 1)
    if len(inputs) <= PARALLEL_OVER or workers < 2:
        engine_for(kb)
        results = []
        for index, (path, out) in enumerate(zip(inputs, outputs, strict=True)):
            results.append(produce(index, path, out, job, kb))
            done(results[-1])
        return results
    return _parallel(inputs, outputs, job, workers, done)


_WORKER: dict[str, KnowledgeBase] = {}


def _init_worker(kb_root: Path | None) -> None:
    """Run once in each worker: Ctrl-C is the parent's business; load the KB and build its engine."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    kb = load_kb(kb_root)
    engine_for(kb)
    _WORKER["kb"] = kb


def _work(index: int, path: Path, out: Path, job: Job) -> Outcome:
    return produce(index, path, out, job, _WORKER["kb"])


def _parallel(inputs: list[Path], outputs: list[Path], job: Job, workers: int,
              done: Callable[[Outcome], None]) -> list[Outcome]:
    results: dict[int, Outcome] = {}
    context = multiprocessing.get_context("spawn")  # no fork of a process that may be running threads
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                               initargs=(job.kb_root,))
    try:
        with _sigint_ignored():  # the workers start now and inherit it: Ctrl-C is the parent's alone
            pairs = enumerate(zip(inputs, outputs, strict=True))
            futures: list[Future[Outcome]] = [pool.submit(_work, i, path, out, job) for i, (path, out) in pairs]
        for future in as_completed(futures):
            outcome = future.result()
            results[outcome.index] = outcome
            done(outcome)
    except BaseException:
        _stop(pool)  # files being written finish; the rest never start
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(inputs))]


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down, cancelling queued files. A second Ctrl-C (a wrapper such as `uv run` may
    forward one) must not interrupt the shutdown: that leaves live workers the interpreter then waits for."""
    with _sigint_ignored():
        pool.shutdown(wait=True, cancel_futures=True)


def exit_code(outcomes: list[Outcome]) -> int:
    """2 if any file was invalid, else 1 if any failed inside, else 0."""
    codes = {o.exit_code for o in outcomes}
    return EXIT_INPUT if EXIT_INPUT in codes else max(codes, default=0)
