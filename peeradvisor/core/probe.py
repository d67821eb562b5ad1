"""What one changed answer would do to the advice, exactly and fast: findings that appear or go, and whether
the priorities change.

A Probe starts from one engine run. For a change it rebuilds the facts, re-evaluates only the rules the
change reaches (`engine/incremental.py`), applies `supersedes` as the report does, and only when the
actionable findings, a disagreement between groups or an importance rating changed does it rank the findings
again (`ranking.score`) and choose the priorities (`decide.choose`) from light stand-ins for the findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..answers import Answers
from ..engine import Firing, facts_of
from ..engine.facts import DivergentFact, Fact, GroupAnswerFact, ItemFact
from ..engine.incremental import Memory, Network, memory, network_for, rerun
from ..facts import Entry, FactSet, ItemSummary, Row, build_facts, entry, summarise
from ..kb.loader import KnowledgeBase
from ..kb.models import ItemRef
from ..report import Finding, StudyRating
from . import decide
from .edits import ITEM_PATH, Edit, apply
from .ranking import KIND_WEIGHT, score, study_ratings

Signature = tuple[tuple[str, str], ...]  # each priority: (its point, its lead finding), in order


@dataclass(frozen=True)
class Lite:
    """The little of a finding that ranking and choosing priorities need."""

    id: str
    kind: str
    score: float
    themes: tuple[str, ...]
    items: tuple[ItemRef, ...]
    point: str | None
    when: str | None = None  # when to act (as the report's finding says)
    rank: int = 0


@dataclass(frozen=True)
class Effect:
    """What a change does: finding ids that appear and go, and how many priorities change."""

    edits: tuple[Edit, ...]
    appear: tuple[str, ...] = ()
    go: tuple[str, ...] = ()
    priorities: int = 0  # priorities (by what they ask and which finding leads) that are new or gone
    kinds: dict[str, str] = field(default_factory=dict, compare=False)  # finding id -> kind, for those above

    def count(self, kind: str, side: str) -> int:
        return sum(1 for i in (self.appear if side == "appear" else self.go) if self.kinds.get(i) == kind)

    @property
    def actionable(self) -> int:
        return sum(1 for i in (*self.appear, *self.go) if self.kinds.get(i) in decide.ACTIONABLE)

    @property
    def size(self) -> int:
        return len(self.appear) + len(self.go)

    @property
    def changed(self) -> bool:
        return bool(self.appear or self.go or self.priorities)


class Probe:
    """One assessment's advice, ready to say what a different answer would change."""

    def __init__(self, answers: Answers, kb: KnowledgeBase, facts: FactSet, firings: Sequence[Firing],
                 findings: Sequence[Finding]) -> None:
        self.answers, self.kb, self.facts = answers, kb, facts
        self.net: Network = network_for(kb)
        self.base: Memory = memory(facts, firings)
        self.ids = frozenset(f.id for f in findings)
        self.lites = {f.id: Lite(f.id, f.kind, f.score, tuple(f.themes), tuple(kb.rule(f.id).items), f.point,
                                 f.when) for f in findings}
        self._ratings: dict[str, list[StudyRating]] = {}
        self._parts: dict[tuple[frozenset[str], bool], FactSet] = {}
        self._answered = int(facts.measures.get("items_answered", 0))
        self._item_entries: dict[str, list[Entry]] = {}
        self._signatures: dict[object, Signature] = {}
        self._scored: dict[tuple[str, tuple[tuple[float | None, int], ...]], Lite] = {}
        self.signature = self._signature([v for v in self.lites.values() if v.kind in decide.ACTIONABLE], facts)

    def reads_item(self, item_id: str) -> bool:
        """Whether any rule reads this item's answers (pooled, by group, or as a disagreement)."""
        return any(self.net.reads((kind, item_id)) for kind in (ItemFact, GroupAnswerFact, DivergentFact))

    def effect(self, edits: Sequence[Edit]) -> Effect:
        edits = tuple(edits)
        found = [(e, ITEM_PATH.fullmatch(e.path)) for e in edits]
        items = frozenset(m[2] for _, m in found if m)
        context = any(m is None for _, m in found)
        if context:
            part = build_facts(apply(self.answers, edits), only=items, context=True)
        else:
            part = self._item_part(items, [(int(m[1]), m[2], bool(m[3]), e.value) for e, m in found if m])
        change = rerun(self.net, self.base, facts_of(self._part(items, context)), facts_of(part))
        facts = self._merged(part, items, context)
        fired = change.fired(self.base.fired)
        ids = self._finding_ids(fired) if (change.started or change.stopped) else self.ids
        appear = tuple(sorted(ids - self.ids))
        go = tuple(sorted(self.ids - ids))
        kinds = {i: self.net.kinds[i] for i in (*appear, *go)}
        rescored = self._rescored(change.changed, facts)
        divergence = any(isinstance(f, DivergentFact) for f in change.changed)
        moved = 0
        if any(k in decide.ACTIONABLE for k in kinds.values()) or divergence or rescored:
            moved = self._moved(ids, facts, rescored)
        return Effect(edits, appear, go, moved, kinds)

    def _part(self, items: frozenset[str], context: bool) -> FactSet:
        """The facts of the answers as they are about these items, the measures and (CONTEXT) the context."""
        found = self._parts.get((items, context))
        if found is None:
            found = self._parts[items, context] = build_facts(self.answers, only=items, context=context)
        return found

    def _item_part(self, items: frozenset[str], edits: list[tuple[int, str, bool, object]]) -> FactSet:
        """As `_part(items, False)` after changing only inventory answers, without copying the answers:
        (response, item, importance?, value) for each."""
        changed: dict[tuple[int, str], dict[str, object]] = {}
        for index, item_id, importance, value in edits:
            changed.setdefault((index, item_id), {})["importance" if importance else "happening"] = value
        summaries: dict[str, ItemSummary] = {}
        rows: set[Row] = set()
        answered = self._answered
        for item_id in sorted(items):
            entries = list(self.entries(item_id))
            for (index, changed_item), answer in changed.items():
                if changed_item != item_id:
                    continue
                group, happening, rating = entries[index]
                value = answer.get("happening", happening)
                entries[index] = entry(group, value if isinstance(value, str) else None,
                                       answer.get("importance", rating))
            old = self.facts.items.get(item_id)
            summary, found = summarise(item_id, entries, old.top3 if old else 0)
            if summary is not None:
                summaries[item_id] = summary
                rows |= found
            answered += bool(summary and summary.answered) - bool(old and old.answered)
        measures = {**self.facts.measures, "items_answered": float(answered)}
        return FactSet({}, measures, summaries, tuple(rows))

    def entries(self, item_id: str) -> list[Entry]:
        """Each respondent's answer to this item, in order, as `summarise` reads them (built once; the question
        candidates read who has not answered from them too)."""
        found = self._item_entries.get(item_id)
        if found is None:
            found = self._item_entries[item_id] = [
                entry(r.respondent.group, given.happening if given else None, given.importance if given else None)
                for r in self.answers.responses for given in (r.inventory.get(item_id),)]
        return found

    def _merged(self, part: FactSet, items: frozenset[str], context: bool) -> FactSet:
        """Every fact after a change whose facts are PART."""
        kept = {i: s for i, s in self.facts.items.items() if i not in items}
        rows = tuple(r for r in self.facts.group_answers if r[0] not in items)
        return FactSet(part.context if context else self.facts.context, part.measures, {**kept, **part.items},
                       rows + part.group_answers)

    def _rescored(self, changed: frozenset[Fact], facts: FactSet) -> set[str]:
        """Items whose importance or top-three count changed: findings about them score differently."""
        items = {f.id for f in changed if isinstance(f, ItemFact)}
        return {i for i in items if _weight(self.facts, i) != _weight(facts, i)}

    def _finding_ids(self, fired: frozenset[str]) -> frozenset[str]:
        """As the report gives them: findings of rules that fired, less those a fired rule supersedes."""
        supersedes = self.net.supersedes
        superseded = {old for rule_id in fired if rule_id in supersedes for old in supersedes[rule_id]}
        return fired - self.net.derive - superseded

    def _moved(self, ids: frozenset[str], facts: FactSet, rescored: set[str]) -> int:
        """How many priorities differ (by point and lead finding) when these findings are given."""
        lites = [self._lite(i, facts, rescored) for i in ids if self.net.kinds[i] in decide.ACTIONABLE]
        # the priorities depend on these findings' scores and on which disagreements are central
        split = frozenset((s.id, bool(s.top3), (s.importance or 0) >= 3) for s in facts.items.values() if s.divergent)
        key = (frozenset((f.id, f.score) for f in lites), split)
        after = self._signatures.get(key)
        if after is None:
            after = self._signatures[key] = self._signature(lites, facts)
        if after == self.signature:
            return 0
        changed = max(len(set(after) - set(self.signature)), len(set(self.signature) - set(after)))
        return changed or 1  # the same priorities in another order

    def _lite(self, finding_id: str, facts: FactSet, rescored: set[str]) -> Lite:
        rule = self.kb.rule(finding_id)
        items = tuple(ref.id for ref in rule.items)
        lite = self.lites.get(finding_id)
        if lite is not None and not rescored.intersection(items):
            return lite
        key = (finding_id, tuple(_weight(facts, i) for i in items))
        lite = self._scored.get(key)
        if lite is None:
            value = score(rule, facts, self._ratings_of(finding_id))
            point = self.kb.points.get(rule.point or "")
            when = rule.timing or (point.when if point else "ongoing")  # as core.build_report says
            lite = self._scored[key] = Lite(rule.id, rule.kind, value, tuple(rule.themes), tuple(rule.items),
                                            rule.point, when)
        return lite

    def _ratings_of(self, rule_id: str) -> list[StudyRating]:
        if rule_id not in self._ratings:
            ids = [ref.id for ref in self.kb.rule(rule_id).items]
            context = self.answers.context
            self._ratings[rule_id] = study_ratings(self.kb, ids, context.employer, context.setting)
        return self._ratings[rule_id]

    def _signature(self, lites: list[Lite], facts: FactSet) -> Signature:
        """The priorities chosen from these (actionable) findings; ranks among them keep the report's order."""
        ordered = sorted(lites, key=lambda f: (-f.score, -KIND_WEIGHT.get(f.kind, 0), f.id))
        ranked = [replace(f, rank=n) for n, f in enumerate(ordered, 1)]
        return tuple((group[0].point or "", group[0].id) for group in decide.choose(ranked, self.kb, facts))


def _weight(facts: FactSet, item_id: str) -> tuple[float | None, int]:
    """What ranking reads of an item: its mean importance and how many put it in their top three."""
    summary = facts.items.get(item_id)
    return (summary.importance, summary.top3) if summary else (None, 0)
