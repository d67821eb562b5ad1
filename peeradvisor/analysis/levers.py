"""Levers: the single changes to answers already given that would most improve the situation.

Each answer given about something a service can change (supervision, culture, pay, funding, staffing, the
number of peer workers, and each inventory item) is tried with each other answer; a change is a lever when
fewer warnings are given (or, with as many warnings, fewer warnings and recommendations in all). Levers come
most first: warnings that go (net of any that appear), then how many of the priorities change, then the
findings to act on. An item is one lever however many people answered it: every respondent who said
whether it is happening gets the new answer, so the line has one `--set` per respondent.

Claims are exact: `advise FILE --set …` (the lever's line) gives the report's findings without `go` and
with `appear` (tests/test_levers.py re-runs every lever).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import vocab
from ..answers import Answers
from ..core import probing
from ..core.edits import Edit
from ..core.plain import context_clause, item_clause
from ..core.probe import Effect, Probe
from ..core.questions import number_values
from ..facts import flatten_context
from ..kb.loader import KnowledgeBase
from ..report import Report

MAX_LEVERS = 10
# What describes the service rather than something it can change: not tried as a lever.
FIXED = frozenset({"stage", "employer", "setting", "partner", "led_by", "setting_detail", "community_languages",
                   "team_size"})
VAGUE = ("dont_know", "not_relevant")


@dataclass(frozen=True)
class Change:
    """A finding a lever removes or adds."""

    id: str
    kind: str
    title: str


@dataclass(frozen=True)
class Lever:
    """One change of answer, what it would say in words, and what it would change."""

    edits: tuple[Edit, ...]
    words: str  # the situation after the change, in a manager's words
    go: tuple[Change, ...]
    appear: tuple[Change, ...]
    priorities: int

    @property
    def subject(self) -> str:
        """The answer it changes: a context field or an item."""
        path = self.edits[0].path
        return "item " + path.split(".inventory.", 1)[1] if ".inventory." in path else path

    @property
    def line(self) -> str:
        """The ready `--set` options."""
        return " ".join(f"--set {e.spec()}" for e in self.edits)

    def net(self, kind: str) -> int:
        """How many fewer findings of this kind (negative: more)."""
        return sum(c.kind == kind for c in self.go) - sum(c.kind == kind for c in self.appear)

    @property
    def gain(self) -> tuple[int, int, int, int]:
        actionable = self.net("warning") + self.net("recommendation")
        return self.net("warning"), self.priorities, actionable, -self.net("strength")


@dataclass(frozen=True)
class Levers:
    organisation: str
    report: Report
    levers: tuple[Lever, ...]


def find_levers(answers: Answers, kb: KnowledgeBase, limit: int = MAX_LEVERS) -> Levers:
    """The changes that would most improve the advice, most first."""
    report, probe = probing(answers, kb)
    found = [lever for lever in _tried(answers, kb, probe, report) if _improves(lever)]
    found.sort(key=lambda lever: (tuple(-g for g in lever.gain), len(lever.edits), lever.line))
    best: dict[str, Lever] = {}
    for lever in found:  # one lever per answer changed: its best new value
        best.setdefault(lever.subject, lever)
    return Levers(answers.organisation, report, tuple(list(best.values())[:limit]))


def _improves(lever: Lever) -> bool:
    warnings, _, actionable, _ = lever.gain
    return warnings > 0 or (warnings == 0 and actionable > 0)


def _tried(answers: Answers, kb: KnowledgeBase, probe: Probe, report: Report) -> Iterator[Lever]:
    titles = {f.id: f.title for f in report.findings}
    for edits, words in _changes(answers, kb):
        effect = probe.effect(edits)
        if effect.go or effect.appear:
            yield _lever(effect, words, kb, titles)


def _lever(effect: Effect, words: str, kb: KnowledgeBase, titles: dict[str, str]) -> Lever:
    def changes(ids: tuple[str, ...]) -> tuple[Change, ...]:
        return tuple(Change(i, kb.rule(i).kind, titles.get(i) or kb.rule(i).title) for i in ids)

    return Lever(effect.edits, words, changes(effect.go), changes(effect.appear), effect.priorities)


def _changes(answers: Answers, kb: KnowledgeBase) -> Iterator[tuple[tuple[Edit, ...], str]]:
    """Every single change to an answer given, with the situation after it in words."""
    known = flatten_context(answers)
    for field, allowed in vocab.CONTEXT_FIELDS.items():
        if field in FIXED or field not in known:
            continue
        if field == "peer_workers":  # more peer workers, never fewer
            from ..engine.incremental import network_for

            values: tuple[object, ...] = tuple(v for v in number_values(field, answers, network_for(kb).bounds)
                                               if v > known[field])
        else:
            values = allowed or ()
        for value in values:
            if value != known[field] and value not in VAGUE:
                words = context_clause(kb, field, value) or f"{field} is {value}"
                yield (Edit(f"context.{field}", value),), words
    for item_id in vocab.ITEM_IDS:
        given = [(n, r.inventory[item_id].happening) for n, r in enumerate(answers.responses)
                 if item_id in r.inventory and r.inventory[item_id].happening is not None]
        for value in ("yes", "partly", "no"):
            if given and any(h != value for _, h in given):
                words = item_clause(kb, item_id, value) or f"{item_id}: {value}"
                yield tuple(Edit(f"responses[{n}].inventory.{item_id}", value) for n, _ in given), words
