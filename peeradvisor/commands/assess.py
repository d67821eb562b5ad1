"""`peeradvisor assess [FILE] [--resume FILE] [--respondent GROUP]`: the interactive questionnaire.

This module only decides which file to read or write and how to start; the questions, the state
machine and the terminal front end live in peeradvisor/assess/.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor.cli_errors import handle_errors
from peeradvisor.errors import UsageError

if TYPE_CHECKING:
    from peeradvisor.assess.session import Session

HEADER = "# Answers saved by `peeradvisor assess` (contract: peeradvisor/answers@1).\n"


def slug(organisation: str) -> str:
    """'Riverside NHS Trust — Ward 4' -> 'riverside-nhs-trust-ward-4'."""
    ascii_text = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "service"


class FileSaver:
    """Writes the answers file after every answer: atomically, always valid, never over another file."""

    def __init__(self, path: Path | None, *, fresh: bool, folder: Path,
                 on_disk: dict[str, Any] | None = None) -> None:
        self.path = path
        self.fresh = fresh  # a new file: refuse to overwrite one that exists
        self.folder = folder
        self.on_disk = on_disk  # what the file already says: not rewritten (comments kept) until it changes

    def __call__(self, session: Session) -> Path | None:
        from peeradvisor.answers import answers_from_data
        from peeradvisor.yamlio import atomic_write, dump_yaml

        if self.path is None:
            organisation = session.value("organisation")
            if organisation is None:
                return None
            self.path = self.folder / f"answers-{slug(organisation)}.yaml"
            refuse_existing(self.path)
        if not session.writable():
            return None
        if self.fresh:
            refuse_existing(self.path)
            self.fresh = False
        data = session.to_data()
        if data == self.on_disk:
            return self.path
        answers_from_data(data, str(self.path))  # the file is contract-valid at every moment
        atomic_write(self.path, HEADER + dump_yaml(data))
        self.on_disk = data
        return self.path


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
        _refuse_unfinished(file, data)
        session = Session.add_respondent(questionnaire, data, respondent, quick=quick)
        saver = FileSaver(file, fresh=False, folder=file.parent, on_disk=data)
    else:
        if file is not None:
            refuse_existing(file)
        session = Session.new(questionnaire, today=dt.date.today(), quick=quick)
        saver = FileSaver(file, fresh=True, folder=Path())
    if respondent is not None:
        saver(session)  # the new respondent is on disk before the first question
    return run(session, make_console(), saver, kb, errors=make_console(stderr=True), resumed=resume is not None)


def _refuse_unfinished(path: Path, data: dict[str, Any]) -> None:
    if data.get("session"):
        at = data["session"].get("at", "?")
        raise UsageError(f"{path} has an unfinished assessment (stopped at {at}); finish it first with: "
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
