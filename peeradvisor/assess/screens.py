"""What `assess` prints: one question, its help, the review list. Plain lines, no full-screen UI.

Meaning is never carried by colour: every line reads the same with NO_COLOR or through a screen reader.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from peeradvisor import safe_text
from peeradvisor.console import ERROR, HEADING, MUTED

from ..kb.questions import Question
from .parse import norm, numbered
from .session import Session

COMMANDS = ("? help", "back", "skip", "review", "finish", "quit")


def show_question(session: Session, question: Question, console: Console) -> None:
    stage = session.stage
    progress = session.progress()
    console.print()
    if progress is not None:
        console.print(Text(str(progress), style=MUTED))
    if question.item:
        console.print(Text(f"Domain {question.heading}", style=MUTED))
        console.print(Text(f"{question.item} {question.statement_for(stage)}", style=HEADING))
        console.print(Text(question.prompt_for(stage)))
    else:
        console.print(Text(question.prompt_for(stage), style=HEADING))
    _choices(question, stage, console)
    current = session.value(question.id)
    if current is not None:
        shown = show_value(question, current, stage)
        console.print(Text(f"Current answer: {shown} (press Enter to keep it)"))
    hint = _HINTS.get(question.part or question.kind, "Type your answer")
    if session.quick and question.part == "happening":
        hint = "Type a word, e.g. yes"
    console.print(Text(f"{hint} · {command_line(session, question)}", style=MUTED))


def skippable(session: Session, question: Question) -> bool:
    """Whether `skip` is accepted here (not for what an answers file needs, nor a respondent's group once
    they have answered)."""
    return not question.required and not (question.id == "respondent.group" and session.has_response())


def command_line(session: Session, question: Question) -> str:
    """The commands accepted here: skip where it is, finish at an item of a quick assessment."""
    shown = {"skip": skippable(session, question), "finish": session.quick and bool(question.item)}
    return " · ".join(c for c in COMMANDS if shown.get(c, True))


_HINTS = {"choice": "Type a word or its number", "integer": "Type a number", "text": "Type a few words",
          "items": "Type item numbers", "happening": "A and B together: e.g. yes 4",
          "importance": "Type 4, 3, 2, 1 or a word"}


def _choices(question: Question, stage: str | None, console: Console) -> None:
    if not question.choices:
        return
    if numbered(question):
        width = max(len(c.word) for c in question.choices)
        for n, choice in enumerate(question.choices, 1):
            console.print(Text(f"  {n}  {choice.word:<{width}}  {question.label_for(choice, stage)}"))
        return
    shown = []
    for choice in question.choices:
        label = question.label_for(choice, stage)
        shown.append(choice.word if norm(label) == choice.word else f"{choice.word} ({label})")
    console.print(Text("  " + " · ".join(shown)))


def show_value(question: Question, value: Any, stage: str | None = None) -> str:
    """The answer as typed, on one line; a number answer also gets its words (4 extremely important)."""
    if isinstance(value, list):
        return safe_text.terminal(" ".join(map(str, value)), one_line=True) if value else "(none)"
    for choice in question.choices:
        if type(choice.value) is type(value) and choice.value == value:
            return f"{choice.word} {choice.label}" if type(value) is int else choice.word
    return safe_text.terminal(str(value), one_line=True)  # free text: a line break cannot fake a line


def show_help(session: Session, question: Question, console: Console, items: list[tuple[str, str]]) -> None:
    help_ = question.help
    console.print()
    console.print(Text(f"Help: {question.short}", style=HEADING))
    paragraphs = [("About this item" if question.item else "What it means", help_.what)]
    if session.stage == "planning" and help_.planning:
        paragraphs.append(("Planning", help_.planning))
    paragraphs += [("How to answer", help_.answer), ("Why it is asked", help_.why),
                   ("What the study found", help_.study)]
    for title, body in paragraphs:
        if body:
            console.print(Text(f"{title}: ", style=HEADING) + Text(body))
    for locator in help_.source:
        console.print(Text(f"Where in the study: {locator}", style=MUTED))
    if question.kind == "items":
        for item_id, short in items:
            console.print(Text(f"  {item_id:<4} {short}"))
    _typing_help(question, console, skippable(session, question))
    if session.quick and question.item:
        console.print(Text("finish: see the advice now, leaving the items not asked unanswered.", style=MUTED))


def _typing_help(question: Question, console: Console, skip: bool = True) -> None:
    if question.kind == "choice":
        how = "the word (e.g. " + question.choices[0].word + ")"
        if numbered(question):
            how += ", its number in the list"
        how += ", or the start of a word if only one answer begins that way"
    elif question.kind == "integer":
        how = "a whole number"
    elif question.kind == "items":
        how = "up to three item numbers separated by spaces"
    else:
        how = "a few words"
    skipping = "skip (leave it unanswered: an unanswered question means 'not known') · " if skip else ""
    console.print(Text(f"Type {how}. Or: back (previous question) · {skipping}review (see and change your "
                       "answers) · quit (save and stop; continue later with --resume).", style=MUTED))


def show_review(session: Session, console: Console, *, final: bool) -> list[Question]:
    """Number every answer so far; returns the questions in that numbering."""
    questions = session.so_far()
    console.print()
    title = "Review your answers" if final else "Your answers so far"
    console.print(Text(title, style=HEADING))
    if not questions:
        console.print(Text("Nothing answered yet."))
    section = ""
    for n, question in enumerate(questions, 1):
        if question.section != section:
            section = question.section
            console.print(Text(session.q.section(section).title, style=HEADING))
        value = session.value(question.id)
        shown = show_value(question, value, session.stage) if value is not None else "(not answered)"
        console.print(Text(f"{n:>4}. {question.short}: {shown}"))
    after = "see the advice" if final else "carry on"
    console.print(Text(f"Type a number (or an item such as 2.5 or 2.5b) to change that answer, or press "
                       f"Enter to {after}.", style=MUTED))
    return questions


def pick(text: str, questions: list[Question]) -> Question | None:
    """The question a review choice names: its number on the list, a field path, or an item id (+a/b)."""
    key = text.strip().lower()
    if key.isdigit():
        n = int(key)
        return questions[n - 1] if 1 <= n <= len(questions) else None
    part = "importance" if key.endswith("b") else "happening"
    item = key.rstrip("ab")
    for question in questions:
        if question.id.lower() == key or (question.item == item and question.part == part):
            return question
    return None


def error(console: Console, message: str) -> None:
    console.print(Text(f"Not recorded: {message}", style=ERROR))


def note(console: Console, message: str) -> None:
    console.print(Text(message, style=MUTED))
