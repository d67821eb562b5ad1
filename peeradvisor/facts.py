"""Turn an answers file into plain facts for the engine: context, measures, pooled and group answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
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


def pool(values: list[str]) -> str | None:
    """Pool answers to question A: the mean of yes=2/partly=1/no=0, else the commonest other answer."""
    definite = [SCORE[v] for v in values if v in SCORE]
    if definite:
        avg = mean(definite)
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


def _measures(answers: Answers, items: dict[str, ItemSummary]) -> dict[str, float]:
    ctx = answers.context
    out: dict[str, float] = {
        "respondents": float(len(answers.responses)),
        "groups": float(len({r.respondent.group for r in answers.responses})),
        "items_answered": float(sum(1 for s in items.values() if s.answered)),
    }
    if ctx.team_size is not None:
        out["team_size"] = float(ctx.team_size)
    if ctx.peer_workers is not None:
        out["peer_workers"] = float(ctx.peer_workers)
        if ctx.team_size:
            out["peer_share"] = round(ctx.peer_workers / ctx.team_size, 4)
    return out


def build_facts(answers: Answers) -> FactSet:
    happening: dict[str, list[str]] = defaultdict(list)
    importance: dict[str, list[int]] = defaultdict(list)
    top3: dict[str, int] = defaultdict(int)
    by_group: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    group_rows: set[tuple[str, str, str, float | None]] = set()
    for response in answers.responses:
        group = response.respondent.group
        for item_id, answer in response.inventory.items():
            imp = answer.importance if isinstance(answer.importance, int) else None
            if answer.happening is not None:
                happening[item_id].append(answer.happening)
                by_group[item_id][group].append(answer.happening)
                group_rows.add((item_id, group, answer.happening, imp))
            if imp is not None:
                importance[item_id].append(imp)
        for item_id in response.top3:
            top3[item_id] += 1
    items: dict[str, ItemSummary] = {}
    for item_id in sorted(set(happening) | set(importance) | set(top3)):
        items[item_id] = ItemSummary(
            id=item_id,
            happening=pool(happening[item_id]),
            importance=round(mean(importance[item_id]), 2) if importance[item_id] else None,
            top3=top3[item_id],
            answered=len(happening[item_id]),
            by_group={g: p for g, vals in sorted(by_group[item_id].items()) if (p := pool(vals))},
            group_answers={g: frozenset(vals) for g, vals in sorted(by_group[item_id].items())},
        )
    return FactSet(
        context=flatten_context(answers),
        measures=_measures(answers, items),
        items=items,
        group_answers=tuple(sorted(group_rows, key=lambda r: (r[0], r[1], r[2], r[3] or 0))),
    )
