"""Turn an answers file into plain facts for the engine: context, measures, pooled and group answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from .answers import Answers

SCORE = {"yes": 2, "partly": 1, "no": 0}


@dataclass(frozen=True)
class ItemSummary:
    """The answers to one inventory item, pooled across respondents."""

    id: str
    happening: str | None  # yes | partly | no | dont_know | not_relevant
    importance: float | None  # mean of numeric importance ratings
    top3: int  # respondents who put it in their top three
    answered: int  # respondents who answered question A
    by_group: dict[str, str] = field(default_factory=dict)  # group -> pooled answer of that group
    group_answers: dict[str, frozenset[str]] = field(default_factory=dict)  # group -> every answer given

    @property
    def divergent(self) -> bool:
        """Someone in one stakeholder group says yes where someone in another says no.

        Defined on individual answers, not group means, so that hearing from one more respondent can
        reveal a disagreement but never hide one the study's triangulation would want discussed.
        """
        saying_yes = {g for g, answers in self.group_answers.items() if "yes" in answers}
        saying_no = {g for g, answers in self.group_answers.items() if "no" in answers}
        return any(a != b for a in saying_yes for b in saying_no)


@dataclass(frozen=True)
class FactSet:
    """Everything the engine is told about one assessment."""

    context: dict[str, Any]
    measures: dict[str, float]
    items: dict[str, ItemSummary]
    group_answers: tuple[tuple[str, str, str, float | None], ...]  # (item, group, happening, importance)


def _mean(values: list[int]) -> float:
    """statistics.mean of whole numbers, without its exact-fraction arithmetic (same value and type)."""
    total, n = sum(values), len(values)
    return total // n if total % n == 0 else total / n


def pool(values: list[str]) -> str | None:
    """Pool answers to question A: the mean of yes=2/partly=1/no=0, else the commonest other answer."""
    definite = [SCORE[v] for v in values if v in SCORE]
    if definite:
        avg = _mean(definite)
        return "yes" if avg >= 1.5 else "no" if avg <= 0.5 else "partly"
    if not values:
        return None
    return max(sorted(set(values)), key=values.count)


def flatten_context(answers: Answers) -> dict[str, Any]:
    ctx = answers.context.applicable()
    flat: dict[str, Any] = {"stage": answers.stage}
    flat.update({k: v for k, v in ctx.items() if v is not None})
    for part in ("supervision", "culture"):
        values = getattr(answers.context, part).model_dump()
        flat.update({f"{part}.{k}": v for k, v in values.items() if v is not None})
    return flat


def _measures(answers: Answers) -> dict[str, float]:
    ctx = answers.context
    answered = {i for r in answers.responses for i, a in r.inventory.items() if a.happening is not None}
    out: dict[str, float] = {
        "respondents": float(len(answers.responses)),
        "groups": float(len({r.respondent.group for r in answers.responses})),
        "items_answered": float(len(answered)),
    }
    if ctx.team_size is not None:
        out["team_size"] = float(ctx.team_size)
    if ctx.peer_workers is not None:
        out["peer_workers"] = float(ctx.peer_workers)
        if ctx.team_size:
            out["peer_share"] = round(ctx.peer_workers / ctx.team_size, 4)
    return out


Entry = tuple[str, str | None, int | None]  # one respondent's answer to an item: group, happening, importance
Row = tuple[str, str, str, float | None]  # (item, group, happening, importance): one group's answer


def summarise(item_id: str, entries: list[Entry], top3: int) -> tuple[ItemSummary | None, set[Row]]:
    """One item pooled over the respondents' answers, and each group's answers (None: nothing answered)."""
    happening = [h for _, h, _ in entries if h is not None]
    importance = [i for _, _, i in entries if i is not None]
    if not happening and not importance and not top3:
        return None, set()
    by_group: dict[str, list[str]] = defaultdict(list)
    rows: set[Row] = set()
    for group, answer, imp in entries:
        if answer is not None:
            by_group[group].append(answer)
            rows.add((item_id, group, answer, imp))
    summary = ItemSummary(
        id=item_id,
        happening=pool(happening),
        importance=round(_mean(importance), 2) if importance else None,
        top3=top3,
        answered=len(happening),
        by_group={g: p for g, vals in sorted(by_group.items()) if (p := pool(vals))},
        group_answers={g: frozenset(vals) for g, vals in sorted(by_group.items())},
    )
    return summary, rows


def entry(group: str, happening: str | None, importance: object) -> Entry:
    return group, happening, importance if isinstance(importance, int) else None


def build_facts(answers: Answers, only: Collection[str] | None = None, context: bool = True) -> FactSet:
    """The facts of an assessment. For re-checking a changed answer: with ONLY, the items are just those;
    without CONTEXT, no context facts."""
    entries: dict[str, list[Entry]] = defaultdict(list)
    top3: dict[str, int] = defaultdict(int)
    for response in answers.responses:
        group = response.respondent.group
        for item_id, answer in response.inventory.items():
            if only is None or item_id in only:
                entries[item_id].append(entry(group, answer.happening, answer.importance))
        for item_id in response.top3:
            if only is None or item_id in only:
                top3[item_id] += 1
    items: dict[str, ItemSummary] = {}
    group_rows: set[Row] = set()
    for item_id in sorted(set(entries) | set(top3)):
        summary, rows = summarise(item_id, entries[item_id], top3[item_id])
        if summary is not None:
            items[item_id] = summary
            group_rows |= rows
    return FactSet(
        context=flatten_context(answers) if context else {},
        measures=_measures(answers),
        items=items,
        group_answers=tuple(sorted(group_rows, key=lambda r: (r[0], r[1], r[2], r[3] or 0))),
    )
