"""What each rule condition means, defined once: a pattern over typed facts.

The inference engine compiles these patterns into its own network (`experta_engine.py`), and `why-not`
evaluates the same patterns directly against an assessment's facts, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from ..kb.conditions import (
    COMPARE,
    AllCondition,
    AnyCondition,
    ContextCondition,
    DerivedCondition,
    DivergentCondition,
    ItemCondition,
    MeasureCondition,
    NotCondition,
)
from ..kb.models import Rule
from ..vocab import STAGES
from .facts import ContextFact, DerivedFact, DivergentFact, Fact, GroupAnswerFact, ItemFact, MeasureFact

Test = Callable[[Any], bool]


@dataclass(frozen=True)
class Pattern:
    """Some fact of type `kind` whose fields pass every test (a test is a value to equal, or a predicate)."""

    kind: type
    tests: tuple[tuple[str, Any], ...]

    def matches(self, fact: Fact) -> bool:
        if type(fact) is not self.kind:
            return False
        for name, test in self.tests:
            value = getattr(fact, name)
            if not (test(value) if callable(test) else value == test):
                return False
        return True


@dataclass(frozen=True)
class Absent:
    """No fact matches the node inside."""

    inner: Node


@dataclass(frozen=True)
class Every:
    """Every node inside holds (each matched by its own fact)."""

    parts: tuple[Node, ...]


Node = Pattern | Absent | Every


def member(values: Iterable[Any]) -> Test:
    allowed = frozenset(values)
    return lambda v: v in allowed


def compare(op: str, bound: float) -> Test:
    fn = COMPARE[op]
    return lambda v: v is not None and fn(v, bound)


def _context(cond: ContextCondition) -> Node:
    field = ("field", cond.context)
    if cond.known is not None:
        present = Pattern(ContextFact, (field,))
        return present if cond.known else Absent(present)
    if cond.is_ is not None:
        return Pattern(ContextFact, (field, ("value", cond.is_)))
    if cond.in_ is not None:
        return Pattern(ContextFact, (field, ("value", member(cond.in_))))
    if cond.not_in is not None:
        excluded = frozenset(cond.not_in)
        return Pattern(ContextFact, (field, ("value", lambda v: v not in excluded)))
    words = tuple(w.lower() for w in cond.mentions or ())
    return Pattern(ContextFact, (field, ("value", lambda v: any(w in str(v).lower() for w in words))))


def _item(cond: ItemCondition) -> Node:
    tests: list[tuple[str, Any]] = []
    if cond.happening is not None:
        tests.append(("happening", member(cond.happening)))
    if cond.importance_le is not None:
        tests.append(("importance", compare("le", cond.importance_le)))
    elif cond.importance_ge is not None:
        tests.append(("importance", compare("ge", cond.importance_ge)))
    if cond.group is not None:
        return Pattern(GroupAnswerFact, (("item", cond.item), ("group", cond.group), *tests))
    if cond.top3:
        tests.append(("top3", lambda v: v > 0))
    elif cond.top3 is False:
        tests.append(("top3", 0))
    return Pattern(ItemFact, (("id", cond.item), *tests))


def node(cond: AnyCondition) -> Node:
    """One condition as a pattern node."""
    if isinstance(cond, NotCondition):
        return Absent(node(cond.not_))
    if isinstance(cond, AllCondition):
        return Every(tuple(node(c) for c in cond.all_))
    if isinstance(cond, ContextCondition):
        return _context(cond)
    if isinstance(cond, MeasureCondition):
        op, bound = cond.comparison()
        return Pattern(MeasureFact, (("name", cond.measure), ("value", compare(op, bound))))
    if isinstance(cond, ItemCondition):
        return _item(cond)
    if isinstance(cond, DivergentCondition):
        return Pattern(DivergentFact, () if cond.divergent == "any" else (("item", cond.divergent),))
    assert isinstance(cond, DerivedCondition)
    return Pattern(DerivedFact, (("name", cond.derived),))


def stage_node(rule: Rule) -> Node | None:
    """The rule's stages as a pattern, or None when it applies at every stage."""
    if set(rule.stages) == set(STAGES):
        return None
    return Pattern(ContextFact, (("field", "stage"), ("value", member(rule.stages))))


def holds(item: Node, facts: Collection[Fact]) -> bool:
    """Whether a node holds in a working memory of facts."""
    if isinstance(item, Absent):
        return not holds(item.inner, facts)
    if isinstance(item, Every):
        return all(holds(part, facts) for part in item.parts)
    return any(item.matches(fact) for fact in facts)


def condition_holds(cond: AnyCondition, facts: Collection[Fact]) -> bool:
    return holds(node(cond), facts)
