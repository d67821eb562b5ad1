"""The comparison with an earlier assessment on a terminal: shown first, right under the header, so that a
manager re-assessing sees what changed before what to do. A few lines per list; `--all` shows every one."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from peeradvisor.analysis.since import FindingChange, Since
from peeradvisor.kb.loader import KnowledgeBase

from ..console import HEADING, MUTED
from . import since_words as words
from .terminal import _print

SHORT = 6  # lines per list unless --all


def show_since(since: Since, console: Console, kb: KnowledgeBase, *, full: bool = False,
               detail: bool = False) -> None:
    console.print()
    console.print(Text(words.heading(since), style=HEADING))
    note = words.organisation_note(since)
    if note:
        _print(console, f"Note: {note}", 2, "caveat")
    _print(console, words.summary(since), 2)
    _list(console, "Answers that changed", [words.change_line(c, kb) for c in since.answers], full)
    _list(console, "Start here", [words.priority_line(p) for p in (*since.priorities_new,
                                                                     *since.priorities_dropped)], full)
    _findings(console, "No longer applies", "✓", since.resolved, kb, full, detail)
    _findings(console, "New", "+", since.new, kb, full, detail)
    _list(console, "Moved", [_moved(c, detail) for c in since.moved], full)
    if since.rules_changed:
        _print(console, f"Note: {words.rules_note(since)}", 2, "caveat")
    else:
        _print(console, words.rules_note(since), 2, MUTED)


def _list(console: Console, title: str, lines: list[str], full: bool) -> None:
    if not lines:
        return
    _print(console, title, 2, HEADING)
    shown = lines if full else lines[:SHORT]
    for line in shown:
        _print(console, line, 4)
    _more(console, len(lines) - len(shown))


def _more(console: Console, more: int) -> None:
    if more > 0:
        _print(console, f"… and {more} more: add --all", 4, MUTED)


def _findings(console: Console, title: str, mark: str, changes: list[FindingChange], kb: KnowledgeBase,
              full: bool, detail: bool) -> None:
    if not changes:
        return
    _print(console, title, 2, HEADING)
    shown = changes if full else changes[:SHORT]
    for change in shown:
        _print(console, change.title + _ids(change, detail), 6, first=f"{mark} ")
        why = words.cause_sentence(change, kb)
        if why:
            _print(console, why, 6, MUTED)
    _more(console, len(changes) - len(shown))


def _ids(change: FindingChange, detail: bool) -> str:
    if not detail:
        return ""
    ranks = f"{change.previous_rank or '-'} → {change.rank or '-'}"
    return f"  [{change.id} · {ranks}]"


def _moved(change: FindingChange, detail: bool) -> str:
    return words.moved_line(change) + _ids(change, detail)
