"""From findings to decisions: the few priorities to act on first, and one plan row per inventory item.

Priorities (contract section 2b):
* only warnings and recommendations compete; findings that make the same point (knowledge/points.yaml)
  stand together as one priority, led by the highest-ranked of them;
* no two priorities share a theme and an item: such a finding joins the priority already chosen;
* three always, up to five while the next point is still urgent (its lead finding scores at least URGENT);
  when the findings make fewer than three points, findings of a point already chosen stand as priorities
  of their own (those that share no theme and item with a chosen priority first), so that there are three
  whenever there are three warnings and recommendations;
* where stakeholder groups disagree about something central (an item a priority is about, or one
  someone put in their top three or rated at least quite important), that disagreement is a priority of
  its own, never left far down the list;
* they come in the order they should be done: first by when (before start, the first months, ongoing,
  at the next review), then in the order the study implies (the points' `order`: culture and preparation
  before recruiting, values and support before structures), not by score.

Plan: for every item a warning or recommendation is about, one row: one direction (put in place, avoid, or
review where findings pull both ways), never "put in place" for what the answers say is happening, nothing
to undo for what is not happening; who acts and when from the highest-ranked finding; ordered by when,
then by that finding's rank.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol, TypeVar

from ..engine.facts import Fact
from ..facts import FactSet
from ..kb.loader import KnowledgeBase
from ..report import Finding, PlanRow, Priority
from .plain import why_sentence

MOST, FEWEST = 5, 3
URGENT = 0.7  # a fourth or fifth priority only if its lead finding scores at least this
ACTIONABLE = ("warning", "recommendation")
DISAGREEMENT_POINT = "differing-views"
WHEN_ORDER = {"before_start": 0, "first_months": 1, "ongoing": 2, "next_review": 3}


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


class Ranked(Protocol):
    """What choosing priorities reads of a finding (a report's Finding, or a lighter stand-in)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def rank(self) -> int: ...
    @property
    def score(self) -> float: ...
    @property
    def themes(self) -> Sequence[str]: ...
    @property
    def items(self) -> Sequence[_HasId]: ...
    @property
    def point(self) -> str | None: ...
    @property
    def when(self) -> str | None: ...


F = TypeVar("F", bound=Ranked)


def _items(finding: Ranked) -> set[str]:
    return {ref.id for ref in finding.items}


def _overlaps(finding: Ranked, chosen: list[list[F]]) -> list[F] | None:
    """The chosen priority this finding repeats: one sharing a theme and an item with its lead."""
    for group in chosen:
        lead = group[0]
        if set(finding.themes) & set(lead.themes) and _items(finding) & _items(lead):
            return group
    return None


def _central_disagreement(facts: FactSet, chosen: list[list[F]]) -> bool:
    """Groups disagree on an item a priority is about, or on one someone holds important."""
    about = {item for group in chosen for finding in group for item in _items(finding)}
    for summary in facts.items.values():
        if summary.divergent and (summary.id in about or summary.top3
                                  or (summary.importance or 0) >= 3):
            return True
    return False


def _groups(findings: Sequence[F]) -> OrderedDict[str, list[F]]:
    """Actionable findings by the point they make, each group in rank order, groups by their best rank."""
    out: OrderedDict[str, list[F]] = OrderedDict()
    for finding in findings:
        if finding.kind in ACTIONABLE and finding.point and finding.point != "evidence-limits":
            out.setdefault(finding.point, []).append(finding)
    return out


def _choose(groups: OrderedDict[str, list[F]], facts: FactSet) -> list[list[F]]:
    chosen: list[list[F]] = []
    for point, group in groups.items():
        if point == DISAGREEMENT_POINT:
            continue  # decided below, on whether the disagreement is central
        lead = group[0]
        repeated = _overlaps(lead, chosen)
        if repeated is not None:
            repeated.extend(group)
            continue
        if len(chosen) >= MOST or (len(chosen) >= FEWEST and lead.score < URGENT):
            break
        chosen.append(list(group))
    disagreement = groups.get(DISAGREEMENT_POINT)
    if disagreement and (_central_disagreement(facts, chosen) or len(chosen) < FEWEST):
        if len(chosen) >= MOST:
            chosen.pop()  # the least urgent point gives way to the disagreement
        chosen.append(list(disagreement))
    return _fill(chosen)


def _fill(chosen: list[list[F]]) -> list[list[F]]:
    """Up to FEWEST priorities from findings folded into a chosen point: distinct ones first."""
    for allow_overlap in (False, True):
        spare = [f for group in chosen for f in group[1:]]
        for finding in sorted(spare, key=lambda f: f.rank):
            if len(chosen) >= FEWEST:
                return chosen
            if not allow_overlap and _overlaps(finding, chosen) is not None:
                continue
            for group in chosen:
                if finding in group[1:]:
                    group.remove(finding)
            chosen.append([finding])
    return chosen


def choose(findings: Sequence[F], kb: KnowledgeBase, facts: FactSet) -> list[list[F]]:
    """The findings each priority stands for (its lead first), priorities in the order to do them.

    FINDINGS must be in rank order."""
    chosen = _choose(_groups(findings), facts)
    chosen.sort(key=lambda group: (WHEN_ORDER[group[0].when or "ongoing"], kb.points[group[0].point or ""].order,
                                   group[0].rank))
    return chosen


def priorities(findings: list[Finding], leaves: dict[str, list[Fact]], kb: KnowledgeBase,
               facts: FactSet) -> list[Priority]:
    """The three to five things to do first, in the order the study implies (see the module's notes)."""
    out: list[Priority] = []
    for rank, group in enumerate(choose(findings, kb, facts), start=1):
        lead = group[0]
        rule = kb.rule(lead.id)
        point = kb.points[lead.point or ""]
        out.append(Priority(
            rank=rank, action=lead.action or rule.title,
            why=why_sentence(leaves.get(lead.id, []), rule.found, kb, facts),
            findings=list(dict.fromkeys(f.id for f in group)),
            owner=lead.owner or point.owner, when=lead.when or point.when, point=point.id, title=point.title,
        ))
    return out


def pooled_now(facts: FactSet, item_id: str) -> str:
    """The pooled answer to 'is this happening?': yes | partly | no | unknown."""
    summary = facts.items.get(item_id)
    happening = summary.happening if summary else None
    return happening if happening in ("yes", "partly", "no") else "unknown"


def _direction(directions: list[str], now: str) -> str | None:
    """One direction for an item, or None when there is nothing to do about it."""
    wanted = set(directions)
    if {"put_in_place", "avoid"} <= wanted:
        return "review"  # findings pull both ways: decide locally
    direction = directions[0]
    if direction == "put_in_place" and now == "yes":
        rest = wanted - {"put_in_place"}
        return ("review" if "review" in rest else rest.pop()) if rest else None
    if direction == "avoid" and now == "no":
        return None  # not happening: nothing to undo
    return direction


def plan(findings: list[Finding], facts: FactSet) -> list[PlanRow]:
    """One row per inventory item the actionable findings are about (see the module's notes)."""
    asked: OrderedDict[str, list[tuple[Finding, str]]] = OrderedDict()
    for finding in findings:
        if finding.kind in ACTIONABLE:
            for ref in finding.items:
                asked.setdefault(ref.id, []).append((finding, ref.direction))
    rows: list[tuple[tuple[int, int], PlanRow]] = []
    for item_id, entries in asked.items():
        now = pooled_now(facts, item_id)
        direction = _direction([d for _, d in entries], now)
        if direction is None:
            continue
        lead = entries[0][0]
        owner, when = lead.owner or "line_manager", lead.when or "ongoing"
        row = PlanRow(item=item_id, direction=direction, now=now, owner=owner,  # type: ignore[arg-type]
                      when=when, findings=list(dict.fromkeys(f.id for f, _ in entries)))
        rows.append(((WHEN_ORDER[when], lead.rank), row))
    return [row for _, row in sorted(rows, key=lambda r: r[0])]
