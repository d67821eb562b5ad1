"""The terminal front end of `assess`: plain prompts read with console.input, one line at a time.

It drives a Session (the pure state machine) and calls `save` after every answer, so killing the
terminal loses at most the question being answered. It works under CliRunner `input=`, in tmux, in
a plain 80-column terminal, with NO_COLOR and through a screen reader: no full-screen UI, and no
meaning carried by colour alone.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from peeradvisor.cli_errors import show_error
from peeradvisor.console import HEADING
from peeradvisor.errors import EXIT_INTERRUPTED, EXIT_OK, PeeradvisorError
from peeradvisor.kb.loader import KnowledgeBase

from ..kb.questions import Question
from . import screens
from .parse import AnswerError, command, parse
from .session import Session, SessionError

Saver = Callable[[Session], Path | None]


class Assessment:
    """One run of the questionnaire at a terminal."""

    def __init__(self, session: Session, console: Console, save: Saver, kb: KnowledgeBase) -> None:
        self.session = session
        self.console = console
        self.save = save
        self.kb = kb
        self.path: Path | None = None
        self.items = [(i, kb.items[i].short) for i in kb.items]

    def run(self) -> int:
        try:
            return self._run()
        except (KeyboardInterrupt, EOFError):
            self.console.print()
            self._stopped("Interrupted.")
            return EXIT_INTERRUPTED
        except SaveFailed as failed:
            show_error(str(failed.error))
            self._stopped("Stopped: the last answer could not be saved.", save=False)
            return failed.error.exit_code

    def _run(self) -> int:
        while not self.session.finished:
            question = self.session.current()
            outcome = self._review(final=True) if question is None else self._ask(question)
            if outcome == "done":
                self.session.finish()
                self._save()
            elif outcome == "quit":
                self._stopped("Stopped.")
                return EXIT_OK
        self._findings()
        return EXIT_OK

    def _read(self, prompt: str = "> ") -> str:
        return self.console.input(prompt)

    def _save(self) -> None:
        try:
            path = self.save(self.session)
        except PeeradvisorError as exc:  # a full disk, a file changed by another program
            raise SaveFailed(exc) from None
        if path is not None:
            self.path = path

    def _ask(self, question: Question) -> str:
        screens.show_question(self.session, question, self.console)
        text = self._read()
        action = command(text)
        if action == "help":
            screens.show_help(self.session, question, self.console, self.items)
        elif action == "back":
            if not self.session.back():
                screens.note(self.console, "This is the first question.")
        elif action == "skip":
            self._skip()
        elif action == "review":
            return "quit" if self._review(final=False) == "quit" else "review"
        elif action == "quit":
            self._save()
            return "quit"
        else:
            self._answer(question, text)
        return action or "answer"

    def _answer(self, question: Question, text: str) -> None:
        if not text.strip():
            current = self.session.value(question.id)
            if current is None:
                screens.error(self.console, "type an answer, or skip to leave it unanswered")
                return
            self.session.answer([(question.id, current)])
        else:
            try:
                pairs = parse(question, text, self.session.value)
            except AnswerError as exc:
                screens.error(self.console, str(exc))
                return
            self.session.answer(pairs)
        self._save()

    def _skip(self) -> None:
        try:
            self.session.skip()
        except SessionError as exc:
            screens.error(self.console, str(exc))
            return
        self._save()

    def _review(self, *, final: bool) -> str:
        """Show the answers: 'done' (Enter), 'edit' (one chosen to change, or back) or 'quit'."""
        questions = screens.show_review(self.session, self.console, final=final)
        while True:
            text = self._read()
            action = command(text)
            if not text.strip():
                return "done"
            if action == "quit":
                self._save()
                return "quit"
            if action == "back" and final and self.session.back():
                return "edit"
            chosen = screens.pick(text, questions)
            if chosen is not None:
                self.session.jump(chosen.id)
                return "edit"
            screens.error(self.console, f"{text.strip()!r} is not on the list; type a number from 1 to "
                          f"{len(questions)}, or press Enter")

    def _findings(self) -> None:
        from peeradvisor.answers import answers_from_data
        from peeradvisor.core import advise
        from peeradvisor.render.terminal import show, show_finding

        answers = answers_from_data(self.session.to_data(), str(self.path or "<answers>"))
        report = advise(answers, self.kb)
        self.console.print()
        show(report, self.console, kb=self.kb)
        shown = len(report.findings)
        while shown:
            self.console.print()
            text = self._read(f"Type a finding's number (1-{shown}) to read it in full, "
                              "or press Enter to finish: ")
            if not text.strip() or command(text) == "quit":
                break
            if text.strip().isdigit() and 1 <= int(text) <= shown:
                self.console.print()
                show_finding(report.findings[int(text) - 1], self.console)
            else:
                screens.error(self.console, f"type a number from 1 to {shown}, or press Enter")
        self._closing()

    def _closing(self) -> None:
        self.console.print()
        if self.path is None:
            return
        quoted = shlex.quote(str(self.path))
        lines = [(f"Your answers are saved in {self.path}", HEADING), ("To write a memo:", ""),
                 (f"  peeradvisor advise {quoted} --format html --output memo.html", ""),
                 ("To add another person's answers (e.g. a peer worker's):", ""),
                 (f"  peeradvisor assess --respondent peer_worker {quoted}", "")]
        for line, style in lines:
            self.console.print(Text(line, style=style), soft_wrap=True)  # paths and commands stay whole

    def _stopped(self, headline: str, *, save: bool = True) -> None:
        if save and self.path is None and self.session.writable():
            self._save()
        if self.path is None:
            why = (": the answers file is written once the organisation, employer and setting are answered"
                   if save else "")
            self.console.print(Text(f"{headline} Nothing was saved{why}.", style=HEADING))
            return
        quoted = shlex.quote(str(self.path))
        saved = "so far are" if save else "up to the last one saved are"
        self.console.print(Text(f"{headline} Your answers {saved} saved in {self.path}", style=HEADING),
                           soft_wrap=True)
        self.console.print(Text("To continue where you stopped:"))
        self.console.print(Text(f"  peeradvisor assess --resume {quoted}"), soft_wrap=True)


class SaveFailed(Exception):
    """Saving the answers file failed: the session stops, saying where the answers so far are."""

    def __init__(self, error: PeeradvisorError) -> None:
        super().__init__(str(error))
        self.error = error


def run(session: Session, console: Console, save: Saver, kb: KnowledgeBase) -> int:
    """Ask until the questionnaire is done (0), the person quits (0) or it is interrupted (130)."""
    return Assessment(session, console, save, kb).run()
