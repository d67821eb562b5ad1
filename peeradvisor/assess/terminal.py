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
from peeradvisor.console import HEADING, MUTED
from peeradvisor.errors import EXIT_INTERRUPTED, EXIT_OK, PeeradvisorError
from peeradvisor.kb.loader import KnowledgeBase

from ..kb.questions import Question
from . import screens
from .parse import AnswerError, command, parse
from .quick import Quick
from .session import Session, SessionError

Saver = Callable[[Session], Path | None]
STOP = "You can stop here; the remaining questions would not change your priorities."
# the groups to suggest asking next, most useful first (the study's triangulation)
QUICK_NOTE = ("Quick: the items come in the order of how much each could change your advice, and you will be told "
              "when the rest would not change your priorities. Only 'is this happening here?' is asked.")
FINISH = ("finish", "f", "stop", "done", "advice")
GO_ON = ("go on", "go", "on", "continue", "next", "more")
GROUP_ORDER = ("peer_worker", "coworker", "line_manager", "service_user", "strategic_manager", "commissioner")


class Assessment:
    """One run of the questionnaire at a terminal."""

    def __init__(self, session: Session, console: Console, save: Saver, kb: KnowledgeBase, *,
                 errors: Console | None = None, resumed: bool = False) -> None:
        self.session = session
        self.console = console
        self.errors = errors or console  # where an interruption is reported (standard error)
        self.save = save
        self.kb = kb
        self.path: Path | None = None
        self.items = [(i, kb.items[i].short) for i in kb.items]
        self.resumed = resumed
        self.quick = Quick(kb) if session.quick else None
        self.offered = False  # the quick stop was offered and declined; not offered again until it lapses
        self.introduced = False  # the quick order has been explained
        self.at_offer = False  # reading the answer to the offer to stop

    def run(self) -> int:
        try:
            return self._run()
        except KeyboardInterrupt:
            self.console.print()
            self._stopped("Interrupted.", self.errors)
            return EXIT_INTERRUPTED
        except EOFError:
            self.console.print()
            self._stopped("End of input.", self.errors)
            return EXIT_INTERRUPTED
        except SaveFailed as failed:
            show_error(str(failed.error))
            self._stopped("Stopped: the last answer could not be saved.", save=False)
            return failed.error.exit_code

    def _run(self) -> int:
        try:
            return self._loop()
        except _Quit:
            self._stopped("Stopped.")
            return EXIT_OK

    def _loop(self) -> int:
        if self.resumed:
            self._resuming()
        while not self.session.finished:
            if self._quick_stop():
                continue
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

    def _resuming(self) -> None:
        answered = sum(1 for q in self.session.so_far() if self.session.answered(q))
        name = self.session.value("organisation") or "the assessment"
        where = "at the review" if self.session.at_end else "where you stopped"
        self.console.print(Text(f"Resuming {name} ({answered} answers so far), {where}.", style=HEADING),
                           soft_wrap=True)

    def _quick_stop(self) -> bool:
        """In a quick assessment: re-rank the items left and, once none could change the priorities, offer to
        stop. True when the person chose to finish (the loop then shows the review)."""
        if self.quick is None:
            return False
        standing = self.quick.update(self.session)
        if standing is not None and not self.introduced:
            self.introduced = True
            self.console.print()
            self.console.print(Text(QUICK_NOTE, style=MUTED))
        if standing is None or not standing.settled:
            self.offered = False
            return False
        if self.offered:
            return False
        self.offered = True
        return self._offer(standing.left)

    def _offer(self, left: int) -> bool:
        """Say the rest would not change the priorities; True when the person chooses to finish."""
        self.console.print()
        self.console.print(Text(STOP, style=HEADING))
        items = f"{left} item{'s' if left != 1 else ''} left"
        self.console.print(Text(f"Type finish to see the advice now (or at any item later), or press Enter to go "
                                f"on ({items}).", style=MUTED))
        self.at_offer = True
        try:
            while True:
                word = self._read().strip().lower()
                if not word or word in GO_ON:
                    return False
                if word in FINISH:
                    self.session.stop_items()
                    self._save()
                    return True
                if command(word) == "quit":
                    self._save()
                    raise _Quit
                screens.error(self.console, "type finish, or press Enter to go on")
        finally:
            self.at_offer = False

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
        elif action == "finish" and self.session.quick and question.item:
            self.session.stop_items()  # a quick assessment may stop at any item
            self._save()
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
        from peeradvisor.render.terminal import main_points, show, show_finding

        answers = answers_from_data(self.session.to_data(), str(self.path or "<answers>"))
        report = advise(answers, self.kb)
        points = main_points(report)
        self.console.print()
        show(report, self.console, kb=self.kb, more=f"{len(report.findings)} findings in all: type a main point's "
             "number below, or all, to read them in full with their evidence.")
        pick = f"a main point's number (1-{len(points)}) or all" if points else "all"
        while report.findings:
            self.console.print()
            text = self._read(f"Type {pick} to read in full, or press Enter to finish: ").strip().lower()
            if not text or command(text) == "quit":
                break
            if text == "all":
                chosen = report.findings
            elif text.isdigit() and 1 <= int(text) <= len(points):
                chosen = points[int(text) - 1]
            else:
                screens.error(self.console, f"type {pick}, or press Enter")
                continue
            for finding in chosen:
                self.console.print()
                show_finding(finding, self.console)
        self._closing()

    def _closing(self) -> None:
        self.console.print()
        if self.path is None:
            return
        quoted = shlex.quote(str(self.path))
        lines = [(f"Your answers are saved in {self.path}", HEADING), ("To write a memo:", ""),
                 (f"  peeradvisor advise {quoted} --format html --output memo.html", ""), *self._another(quoted)]
        for line, style in lines:
            self.console.print(Text(line, style=style), soft_wrap=True)  # paths and commands stay whole

    def _another(self, quoted: str) -> list[tuple[str, str]]:
        """How to add another person's answers, naming a group that has not answered yet."""
        answered = {(r.get("respondent") or {}).get("group") for r in self.session.data.get("responses") or []}
        missing = [g for g in GROUP_ORDER if g not in answered]
        if not missing:
            return [("To add another person's answers:", ""),
                    (f"  peeradvisor assess --respondent GROUP {quoted}", "")]
        words = {"peer_worker": "a peer worker's", "coworker": "a coworker's", "line_manager": "a line manager's",
                 "service_user": "a service user's", "strategic_manager": "a strategic manager's",
                 "commissioner": "a commissioner's"}
        return [(f"To add another person's answers (e.g. {words[missing[0]]}):", ""),
                (f"  peeradvisor assess --respondent {missing[0]} {quoted}", "")]

    def _stopped(self, headline: str, console: Console | None = None, *, save: bool = True) -> None:
        out = console or self.console
        if save and self.path is None and self.session.writable():
            self._save()
        if self.path is None:
            why = (": the answers file is written once the organisation, employer and setting are answered"
                   if save else "")
            out.print(Text(f"{headline} Nothing was saved{why}.", style=HEADING))
            return
        quoted = shlex.quote(str(self.path))
        saved = "so far are" if save else "up to the last one saved are"
        out.print(Text(f"{headline} Your answers {saved} saved in {self.path}", style=HEADING), soft_wrap=True)
        out.print(Text("To continue where you stopped:"))
        out.print(Text(f"  peeradvisor assess --resume {quoted}"), soft_wrap=True)


class SaveFailed(Exception):
    """Saving the answers file failed: the session stops, saying where the answers so far are."""

    def __init__(self, error: PeeradvisorError) -> None:
        super().__init__(str(error))
        self.error = error


class _Quit(Exception):
    """The person typed quit at a prompt between questions."""


def run(session: Session, console: Console, save: Saver, kb: KnowledgeBase, *, errors: Console | None = None,
        resumed: bool = False) -> int:
    """Ask until the questionnaire is done (0), the person quits (0) or it is interrupted (130)."""
    return Assessment(session, console, save, kb, errors=errors, resumed=resumed).run()
