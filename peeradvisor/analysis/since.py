"""Compare an assessment with an earlier one of the same service. Pure: no I/O.

What a reader needs from a re-assessment: the answers that changed; findings that no longer apply and new
ones, each with why (the answers that changed under it, a more specific finding that stood in for it, or a
change in the rules when the two reports were made with different ones); priorities that came or went; and
only the rank moves that matter: into or out of the priorities, or three places or more among the findings
given both times (so that a finding moving up because others above it went is not a move).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..answers import Answers
from ..core import build_report, run_engine
from ..core.trace import derived_leaves, finding_leaves
from ..engine import Fact, Firing
from ..facts import SCORE
from ..kb.loader import KnowledgeBase
from ..report import Finding, KbStamp, Report
from .since_causes import AnswerChange, Key, cause_changes, listed_changes, state

__all__ = ["AnswerChange", "Cause", "FindingChange", "ItemChange", "PriorityChange", "Since", "compare",
           "since_data"]

BIG_MOVE = 3  # places among the findings given both times


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cause(_Out):
    """Why a finding is new or no longer given.

    `answers`: these answers changed under it. `replaced`: another finding stood in for it (a new finding
    that the earlier, more specific one covered; or a finding now said more specifically by a new one), with
    the answers that changed under that one. `rules`: the rules changed, not the answers it rests on.
    `unexplained`: none of the answers its rule tests changed (should not happen; kept honest)."""

    kind: Literal["answers", "replaced", "rules", "unexplained"]
    changes: list[AnswerChange] = []
    finding: str | None = None  # `replaced`: the other finding's id
    title: str | None = None  # and its title


class FindingChange(_Out):
    id: str
    kind: str
    title: str
    rank: int | None = None  # rank now (None: no longer given)
    previous_rank: int | None = None  # rank before (None: new)
    cause: Cause | None = None  # for new findings and those no longer given
    shift: int = 0  # places moved up (negative: down) among the findings given both times
    priority: bool = False  # one of the findings a priority stands for, now
    previous_priority: bool = False  # and before

    @property
    def move(self) -> int:
        """Places moved up the ranking (positive) or down (negative)."""
        if self.rank is None or self.previous_rank is None:
            return 0
        return self.previous_rank - self.rank


class PriorityChange(_Out):
    """A priority that came into Start here, or left it."""

    point: str
    title: str
    action: str
    rank: int | None = None  # rank now (None: dropped)
    previous_rank: int | None = None  # rank before (None: new)
    done: bool = False  # dropped, and none of the findings it stood for is given any more


class ItemChange(_Out):
    item: str
    short: str = ""  # the item's short label, when known
    before: str
    after: str


class Since(_Out):
    """What changed between the earlier assessment and this one."""

    previous_organisation: str
    previous_date: str | None
    same_organisation: bool
    date: str | None = None  # this assessment's date
    kb: KbStamp  # the rules that made this report
    previous_kb: KbStamp  # and the earlier one
    answers: list[AnswerChange]  # context answers, how many answered, items' pooled answers
    resolved: list[FindingChange]
    new: list[FindingChange]
    unchanged: list[FindingChange]
    moved: list[FindingChange]  # the unchanged findings whose move is worth telling
    priorities_new: list[PriorityChange]
    priorities_dropped: list[PriorityChange]
    improved: list[ItemChange]
    worsened: list[ItemChange]

    @property
    def rules_changed(self) -> bool:
        return self.kb != self.previous_kb

    @property
    def context(self) -> list[AnswerChange]:
        return [c for c in self.answers if c.kind == "context"]


class _Side:
    """One assessment run through today's rules, kept for explanations."""

    def __init__(self, answers: Answers, kb: KnowledgeBase, report: Report | None = None) -> None:
        facts, firings = run_engine(answers, kb)
        self.state: dict[Key, Any] = state(facts)
        self.report = report or build_report(answers, kb, facts, firings)
        self.ids = {f.id for f in self.report.findings}
        by_rule: OrderedDict[str, list[Firing]] = OrderedDict()
        for firing in firings:
            by_rule.setdefault(firing.rule_id, []).append(firing)
        leaves = derived_leaves(firings)
        self.leaves: dict[str, list[Fact]] = {r: finding_leaves(fs, leaves) for r, fs in by_rule.items()}

    def replacing(self, finding_id: str) -> Finding | None:
        """The finding here that says FINDING_ID more specifically."""
        return next((f for f in self.report.findings if finding_id in f.replaces), None)


def compare(old_answers: Answers, old_report: Report, answers: Answers, report: Report,
            kb: KnowledgeBase) -> Since:
    """OLD (earlier answers and the report made from them, now or when they were given) against the current
    assessment and its report, both read with the knowledge base KB (today's rules)."""
    rules_changed = old_report.kb != report.kb
    old = _Side(old_answers, kb, None if rules_changed else old_report)
    new = _Side(answers, kb, report)
    explain = _Explainer(old, new, kb, rules_changed)
    before_ids = {f.id for f in old_report.findings}
    resolved = [FindingChange(id=f.id, kind=f.kind, title=f.title, previous_rank=f.rank,
                              cause=explain.gone(f.id))
                for f in old_report.findings if f.id not in new.ids]
    new_findings = [FindingChange(id=f.id, kind=f.kind, title=f.title, rank=f.rank, cause=explain.came(f.id))
                    for f in report.findings if f.id not in before_ids]
    unchanged = _unchanged(old_report, report)
    added, dropped = _priority_changes(old_report, report)
    covered = {i for p in (*old_report.priorities, *report.priorities)
               if p.point in {c.point for c in (*added, *dropped)} for i in p.findings}
    moved = [c for c in unchanged if abs(c.shift) >= BIG_MOVE
             or (c.priority != c.previous_priority and c.id not in covered)]
    changes = _telling_first(listed_changes(old.state, new.state), [*resolved, *new_findings])
    improved, worsened = _item_changes(changes, kb)
    return Since(
        previous_organisation=old_answers.organisation,
        previous_date=old_answers.assessed_on.isoformat() if old_answers.assessed_on else None,
        same_organisation=_same(old_answers.organisation, answers.organisation),
        date=answers.assessed_on.isoformat() if answers.assessed_on else None,
        kb=report.kb, previous_kb=old_report.kb, answers=changes, resolved=resolved, new=new_findings,
        unchanged=unchanged, moved=moved, priorities_new=added, priorities_dropped=dropped,
        improved=improved, worsened=worsened,
    )


class _Explainer:
    def __init__(self, old: _Side, new: _Side, kb: KnowledgeBase, rules_changed: bool) -> None:
        self.old, self.new, self.kb, self.rules_changed = old, new, kb, rules_changed

    def _changes(self, finding_id: str, side: _Side) -> list[AnswerChange]:
        return cause_changes(finding_id, side.leaves.get(finding_id, []), self.kb, self.old.state, self.new.state)

    def came(self, finding_id: str) -> Cause:
        """Why a finding is given now and was not before."""
        if self.rules_changed and finding_id in self.old.ids:
            return Cause(kind="rules")  # today's rules give it for the earlier answers too
        cover = self.old.replacing(finding_id)
        if cover is not None and cover.id not in self.new.ids:
            return Cause(kind="replaced", finding=cover.id, title=cover.title,
                         changes=self._changes(cover.id, self.old))
        return self._by_answers(finding_id, self.new)

    def gone(self, finding_id: str) -> Cause:
        """Why a finding given before is not given now."""
        if self.rules_changed and finding_id not in self.old.ids:
            return Cause(kind="rules")  # removed, or today's rules would not give it for the earlier answers
        better = self.new.replacing(finding_id)
        if better is not None:
            return Cause(kind="replaced", finding=better.id, title=better.title,
                         changes=self._changes(better.id, self.new))
        return self._by_answers(finding_id, self.old)

    def _by_answers(self, finding_id: str, side: _Side) -> Cause:
        changes = self._changes(finding_id, side) if finding_id in {r.id for r in self.kb.rules} else []
        if changes:
            return Cause(kind="answers", changes=changes)
        return Cause(kind="rules" if self.rules_changed else "unexplained")


def _telling_first(changes: list[AnswerChange], explained: list[FindingChange]) -> list[AnswerChange]:
    """The answers that brought or took away the most findings first (a memo with room for three lists
    those), then the rest; ties in the questionnaire's order."""
    cited = [c for f in explained if f.cause is not None for c in f.cause.changes]
    return sorted(changes, key=lambda change: -cited.count(change))


def _unchanged(old_report: Report, report: Report) -> list[FindingChange]:
    before = {f.id: f for f in old_report.findings}
    both_before = [f.id for f in old_report.findings if report.finding(f.id) is not None]
    was = {i: n for n, i in enumerate(both_before)}
    in_priorities = {i for p in report.priorities for i in p.findings}
    was_in_priorities = {i for p in old_report.priorities for i in p.findings}
    return [FindingChange(id=f.id, kind=f.kind, title=f.title, rank=f.rank, previous_rank=before[f.id].rank,
                          shift=was[f.id] - n, priority=f.id in in_priorities,
                          previous_priority=f.id in was_in_priorities)
            for n, f in enumerate(f for f in report.findings if f.id in before)]


def _priority_changes(old_report: Report, report: Report) -> tuple[list[PriorityChange], list[PriorityChange]]:
    before = {p.point for p in old_report.priorities}
    now = {p.point for p in report.priorities}
    ids = {f.id for f in report.findings}
    added = [PriorityChange(point=p.point, title=p.title, action=p.action, rank=p.rank)
             for p in report.priorities if p.point not in before]
    dropped = [PriorityChange(point=p.point, title=p.title, action=p.action, previous_rank=p.rank,
                              done=not any(i in ids for i in p.findings))
               for p in old_report.priorities if p.point not in now]
    return added, dropped


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _item_changes(changes: list[AnswerChange], kb: KnowledgeBase) -> tuple[list[ItemChange], list[ItemChange]]:
    """Items answered yes / partly / no both times whose pooled answer rose or fell."""
    improved: list[ItemChange] = []
    worsened: list[ItemChange] = []
    for c in changes:
        if c.kind != "item" or c.before not in SCORE or c.after not in SCORE or c.item is None:
            continue
        item = kb.items.get(c.item)
        change = ItemChange(item=c.item, short=item.short if item else "", before=c.before, after=c.after)
        (improved if SCORE[c.after] > SCORE[c.before] else worsened).append(change)
    return improved, worsened


def since_data(since: Since) -> dict[str, Any]:
    """The comparison as plain data (the JSON report's extra `since` key, before the words are added)."""

    def finding(change: FindingChange) -> dict[str, Any]:
        data = change.model_dump(exclude_none=True, exclude={"shift", "priority", "previous_priority"})
        if change.cause is not None:
            data["cause"] = change.cause.model_dump(exclude_none=True)
        return data

    return {
        "previous": {"organisation": since.previous_organisation, "assessed_on": since.previous_date},
        "same_organisation": since.same_organisation,
        "rules_changed": since.rules_changed,
        "kb": {"previous": since.previous_kb.model_dump(), "now": since.kb.model_dump()},
        "context": [c.model_dump(exclude_none=True) for c in since.context],
        "answers": [c.model_dump(exclude_none=True) for c in since.answers],
        "resolved": [finding(c) for c in since.resolved],
        "new": [finding(c) for c in since.new],
        "unchanged": [finding(c) | {"move": c.move} for c in since.unchanged],
        "moved": [finding(c) | {"move": c.move, "shift": c.shift, "priority": c.priority,
                                "previous_priority": c.previous_priority} for c in since.moved],
        "priorities": {"new": [p.model_dump(exclude_none=True) for p in since.priorities_new],
                       "dropped": [p.model_dump(exclude_none=True) for p in since.priorities_dropped]},
        "improved": [c.model_dump() for c in since.improved],
        "worsened": [c.model_dump() for c in since.worsened],
    }
