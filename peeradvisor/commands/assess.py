"""`peeradvisor assess [FILE] [--resume FILE] [--respondent GROUP]`: the interactive questionnaire.

This module only decides which file to read or write and how to start; the questions, the state
machine and the terminal front end live in peeradvisor/assess/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor.cli_errors import handle_errors
from peeradvisor.errors import UsageError

if TYPE_CHECKING:
    from peeradvisor.assess.session import Session
    from peeradvisor.kb.questions import Questionnaire

HEADER = "# Answers saved by `peeradvisor assess` (contract: peeradvisor/answers@1).\n"


def slug(organisation: str) -> str:
    """'Riverside NHS Trust — Ward 4' -> 'riverside-nhs-trust-ward-4'."""
    ascii_text = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "service"


class FileSaver:
    """Writes the answers file after every answer: atomically, always valid, never over another file, and
    never over changes another program made to it. While a session runs it holds a lock beside the file
    (`.NAME.lock`), so a second `assess` on the same file is refused instead of overwriting this one."""

    def __init__(self, path: Path | None, *, fresh: bool, folder: Path,
                 on_disk: dict[str, Any] | None = None) -> None:
        self.path = path
        self.fresh = fresh  # a new file: refuse to overwrite one that exists
        self.folder = folder
        self.on_disk = on_disk  # what the file already says: not rewritten (comments kept) until it changes
        self.lock: SessionLock | None = None
        self.stamp = _stamp(path) if path is not None and not fresh else None
        if path is not None:
            self._take(path)

    def _take(self, path: Path) -> None:
        if self.lock is None:
            self.lock = SessionLock(path)
            self.lock.acquire()

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __call__(self, session: Session) -> Path | None:
        from peeradvisor.answers import answers_from_data
        from peeradvisor.yamlio import atomic_write, dump_yaml

        if self.path is None:
            organisation = session.value("organisation")
            if organisation is None:
                return None
            self.path = self.folder / f"answers-{slug(organisation)}.yaml"
            refuse_existing(self.path)
            self._take(self.path)
        if not session.writable():
            return None
        if self.fresh:
            refuse_existing(self.path)
            self.fresh = False
        data = session.to_data()
        if data == self.on_disk:
            return self.path
        answers_from_data(data, str(self.path))  # the file is contract-valid at every moment
        if self.stamp is not None and _stamp(self.path) != self.stamp:
            raise UsageError(f"{self.path} was changed by another program since this session last saved it; "
                             "this answer was not saved, so as not to overwrite those changes")
        atomic_write(self.path, HEADER + dump_yaml(data))
        self.on_disk = data
        self.stamp = _stamp(self.path)
        return self.path


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies this version of the file: inode, size and modification time (None: no file)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class SessionLock:
    """An advisory lock (flock) on `.NAME.lock` beside the answers file, holding the session's pid."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(f".{path.name}.lock")
        self.fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # not on this system: the check before each save still guards the file
            return
        while True:
            try:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            except OSError:
                return  # a read-only folder: saving will fail and say so
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                pid = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                quoted = _quote(self.path)
                raise UsageError(f"{self.path} is open in another assess session (pid {pid}); finish or quit "
                                 "that one first (it saves every answer), then continue with: peeradvisor "
                                 f"assess --resume {quoted}") from None
            if _same_file(fd, self.lock_path):  # not a lock file another session removed meanwhile
                break
            os.close(fd)
        self.fd = fd
        with contextlib.suppress(OSError):  # the pid only helps the message; a full disk must not stop us
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            self.lock_path.unlink()
        os.close(self.fd)
        self.fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def refuse_existing(path: Path) -> None:
    if path.exists():
        quoted = _quote(path)
        raise UsageError(f"{path} already exists, and assess never overwrites a file. To continue it: "
                         f"peeradvisor assess --resume {quoted}; to add another person's answers: "
                         f"peeradvisor assess --respondent GROUP {quoted}; or give another FILE")


def _quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def _load(path: Path) -> dict[str, Any]:
    """The answers file as data in the contract's shape, holding only what it says (absent = not known)."""
    from peeradvisor.answers import answers_from_data
    from peeradvisor.yamlio import load_file

    answers = answers_from_data(load_file(path), str(path))
    return answers.model_dump(mode="json", exclude_unset=True, exclude_none=True)


def assess(file: Path | None, resume: Path | None, respondent: str | None, kb_root: Path | None,
           quick: bool = False) -> int:
    from peeradvisor import vocab
    from peeradvisor.assess.session import Session
    from peeradvisor.assess.terminal import run
    from peeradvisor.console import make_console
    from peeradvisor.kb import load_kb
    from peeradvisor.kb.questions import load_questionnaire

    if resume is not None and (file is not None or respondent is not None):
        raise UsageError("--resume FILE continues one assessment; give no other FILE and no --respondent "
                         "with it")
    if respondent is not None and respondent not in vocab.GROUPS:
        raise UsageError(f"--respondent {respondent!r}: must be one of {', '.join(vocab.GROUPS)}")
    if respondent is not None and file is None:
        raise UsageError("--respondent GROUP needs the answers FILE to add the response to")
    kb = load_kb(kb_root)
    questionnaire = load_questionnaire(kb)
    if resume is not None:
        data = _load(resume)
        session = Session.resume(questionnaire, data)
        session.quick = session.quick or quick
        saver = FileSaver(resume, fresh=False, folder=resume.parent, on_disk=data)
    elif respondent is not None and file is not None:
        data = _load(file)
        _refuse_unfinished(file, data, questionnaire)
        session = Session.add_respondent(questionnaire, data, respondent, quick=quick)
        saver = FileSaver(file, fresh=False, folder=file.parent, on_disk=data)
    else:
        if file is not None:
            refuse_existing(file)
        session = Session.new(questionnaire, today=dt.date.today(), quick=quick)
        saver = FileSaver(file, fresh=True, folder=Path())
    try:
        if respondent is not None:
            saver(session)  # the new respondent is on disk before the first question
        return run(session, make_console(), saver, kb, errors=make_console(stderr=True), resumed=resume is not None)
    finally:
        saver.release()


def _refuse_unfinished(path: Path, data: dict[str, Any], questionnaire: Questionnaire) -> None:
    if data.get("session"):
        at = data["session"].get("at")
        where = (f"it stopped at {questionnaire.wording(at, data.get('stage'))}" if isinstance(at, str)
                 else "it was left part-way")
        raise UsageError(f"{path} has an unfinished assessment ({where}); finish it first with: "
                         f"peeradvisor assess --resume {_quote(path)}")


def register(app: typer.Typer) -> None:
    @app.command("assess")
    @handle_errors
    def assess_command(
        file: Annotated[Path | None, typer.Argument(
            metavar="FILE", show_default=False,
            help="Answers file to create (default: answers-<organisation>.yaml here), or to add a "
                 "respondent to.")] = None,
        resume: Annotated[Path | None, typer.Option(
            "--resume", metavar="FILE", show_default=False,
            help="Continue an assessment saved in this file.")] = None,
        respondent: Annotated[str | None, typer.Option(
            "--respondent", metavar="GROUP",
            help="Add another person's answers to FILE: peer_worker, service_user, coworker, line_manager, "
                 "strategic_manager or commissioner.", show_default=False)] = None,
        quick: Annotated[bool, typer.Option(
            "--quick", help="Ask the inventory items in the order of how much each could change the advice, "
                            "and say when the remaining ones would not change your priorities.")] = False,
        kb: Annotated[Path | None, typer.Option("--kb", envvar="PEERADVISOR_KB", hidden=True)] = None,
    ) -> None:
        """Answer questions about your service at the terminal, then see the advice."""
        code = assess(file, resume, respondent, kb, quick)
        if code:
            raise typer.Exit(code)
