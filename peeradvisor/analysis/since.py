"""Compare an assessment with an earlier one of the same service: findings resolved, new and unchanged,
and inventory items whose pooled answer improved or worsened. Pure: no I/O."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from .. import vocab
from ..answers import Answers
from ..facts import SCORE, build_facts
from ..report import Report


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FindingChange(_Out):
    id: str
    kind: str
    title: str
    rank: int | None = None  # rank now (None: resolved)
    previous_rank: int | None = None  # rank before (None: new)

    @property
    def move(self) -> int:
        """Places moved up the ranking (positive) or down (negative)."""
        if self.rank is None or self.previous_rank is None:
            return 0
        return self.previous_rank - self.rank


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
    resolved: list[FindingChange]
    new: list[FindingChange]
    unchanged: list[FindingChange]
    improved: list[ItemChange]
    worsened: list[ItemChange]


def compare(old_answers: Answers, old_report: Report, answers: Answers, report: Report,
            names: dict[str, str] | None = None) -> Since:
    """Findings and pooled item answers of OLD (earlier) against the current assessment.

    NAMES maps item ids to short labels for the item changes."""
    before = {f.id: f for f in old_report.findings}
    now = {f.id: f for f in report.findings}
    resolved = [FindingChange(id=f.id, kind=f.kind, title=f.title, previous_rank=f.rank)
                for f in old_report.findings if f.id not in now]
    new = [FindingChange(id=f.id, kind=f.kind, title=f.title, rank=f.rank)
           for f in report.findings if f.id not in before]
    unchanged = [FindingChange(id=f.id, kind=f.kind, title=f.title, rank=f.rank,
                               previous_rank=before[f.id].rank)
                 for f in report.findings if f.id in before]
    improved, worsened = _item_changes(old_answers, answers, names or {})
    return Since(
        previous_organisation=old_answers.organisation,
        previous_date=old_answers.assessed_on.isoformat() if old_answers.assessed_on else None,
        same_organisation=_same(old_answers.organisation, answers.organisation),
        resolved=resolved, new=new, unchanged=unchanged, improved=improved, worsened=worsened,
    )


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _item_changes(old_answers: Answers, answers: Answers,
                  names: dict[str, str]) -> tuple[list[ItemChange], list[ItemChange]]:
    old_items, new_items = build_facts(old_answers).items, build_facts(answers).items
    improved: list[ItemChange] = []
    worsened: list[ItemChange] = []
    for item_id in vocab.ITEM_IDS:
        old = old_items[item_id].happening if item_id in old_items else None
        new = new_items[item_id].happening if item_id in new_items else None
        if old not in SCORE or new not in SCORE or old == new:
            continue  # only yes / partly / no answers on both occasions can be compared
        assert old is not None and new is not None
        change = ItemChange(item=item_id, short=names.get(item_id, ""), before=old, after=new)
        (improved if SCORE[new] > SCORE[old] else worsened).append(change)
    return improved, worsened


def since_data(since: Since) -> dict[str, Any]:
    """The comparison as plain data, for the JSON report's extra `since` key."""

    def finding(change: FindingChange) -> dict[str, Any]:
        return change.model_dump(exclude_none=True)

    return {
        "previous": {"organisation": since.previous_organisation, "assessed_on": since.previous_date},
        "same_organisation": since.same_organisation,
        "resolved": [finding(c) for c in since.resolved],
        "new": [finding(c) for c in since.new],
        "unchanged": [finding(c) | {"move": c.move} for c in since.unchanged],
        "improved": [c.model_dump() for c in since.improved],
        "worsened": [c.model_dump() for c in since.worsened],
    }
