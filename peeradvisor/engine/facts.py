"""The facts the rules match, as typed values: what an assessment tells the engine, and what it concludes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..facts import FactSet


@dataclass(frozen=True)
class ContextFact:
    """A known context answer (`stage` included): field, value."""

    field: str
    value: Any


@dataclass(frozen=True)
class MeasureFact:
    """A number computed from the answers."""

    name: str
    value: float


@dataclass(frozen=True)
class ItemFact:
    """An inventory item pooled over respondents."""

    id: str
    happening: str | None
    importance: float | None
    top3: int


@dataclass(frozen=True)
class GroupAnswerFact:
    """One stakeholder group's answer to an item (one fact per distinct answer)."""

    item: str
    group: str
    happening: str
    importance: float | None


@dataclass(frozen=True)
class DivergentFact:
    """Stakeholder groups disagree on whether an item is happening."""

    item: str


@dataclass(frozen=True)
class DerivedFact:
    """A conclusion of a derive rule."""

    name: str
    by: str  # the rule that concluded it


Fact = ContextFact | MeasureFact | ItemFact | GroupAnswerFact | DivergentFact | DerivedFact
FACT_TYPES: tuple[type[Fact], ...] = (ContextFact, MeasureFact, ItemFact, GroupAnswerFact, DivergentFact,
                                      DerivedFact)


def facts_of(facts: FactSet) -> list[Fact]:
    """Everything an assessment tells the engine, in a stable order."""
    out: list[Fact] = [ContextFact(field, value) for field, value in facts.context.items()]
    out += [MeasureFact(name, number) for name, number in facts.measures.items()]
    for summary in facts.items.values():
        out.append(ItemFact(summary.id, summary.happening, summary.importance, summary.top3))
        if summary.divergent:
            out.append(DivergentFact(summary.id))
    out += [GroupAnswerFact(item, group, happening, importance)
            for item, group, happening, importance in facts.group_answers]
    return out
