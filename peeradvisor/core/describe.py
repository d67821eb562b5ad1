"""Say in words what a fact is, or what a condition asks (the analyst's wording, with field paths)."""

from __future__ import annotations

from typing import Any

from ..engine.facts import ContextFact, DerivedFact, DivergentFact, Fact, GroupAnswerFact, ItemFact, MeasureFact
from ..facts import FactSet
from ..kb.conditions import (
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

SIGN = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "="}


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def describe_fact(fact: Fact, facts: FactSet | None = None) -> str:
    if isinstance(fact, ContextFact):
        prefix = "" if fact.field == "stage" else "context."
        return f"{prefix}{fact.field} = {value_text(fact.value)}"
    if isinstance(fact, MeasureFact):
        return f"{fact.name} = {value_text(fact.value)}"
    if isinstance(fact, ItemFact):
        parts = [f"inventory {fact.id}: happening = {fact.happening or 'not answered'}"]
        if fact.importance is not None:
            parts.append(f"importance = {value_text(fact.importance)}")
        if fact.top3:
            parts.append(f"in the top three of {fact.top3}")
        return ", ".join(parts)
    if isinstance(fact, GroupAnswerFact):
        text = f"{fact.group} answered {fact.item}: happening = {fact.happening}"
        return text + (f", importance = {value_text(fact.importance)}" if fact.importance else "")
    if isinstance(fact, DivergentFact):
        detail = ""
        if facts is not None and fact.item in facts.items:
            answers = facts.items[fact.item].group_answers
            detail = " (" + ", ".join(f"{g}: {'/'.join(sorted(a))}" for g, a in answers.items()) + ")"
        return f"stakeholder groups disagree on {fact.item}{detail}"
    assert isinstance(fact, DerivedFact)
    return f"concluded {fact.name} (rule {fact.by})"


def _context_condition(cond: ContextCondition) -> str:
    name = f"context.{cond.context}"
    if cond.known is not None:
        return f"{name} is {'known' if cond.known else 'not known'}"
    if cond.is_ is not None:
        return f"{name} = {value_text(cond.is_)}"
    if cond.in_ is not None:
        return f"{name} is one of {', '.join(map(value_text, cond.in_))}"
    if cond.not_in is not None:
        return f"{name} is known and not {', '.join(map(value_text, cond.not_in))}"
    return f"{name} mentions {' or '.join(cond.mentions or [])}"


def _item_condition(cond: ItemCondition) -> str:
    who = f"{cond.group} answered" if cond.group else "inventory"
    tests = []
    if cond.happening is not None:
        tests.append(f"happening is {' or '.join(cond.happening)}")
    if cond.importance_ge is not None:
        tests.append(f"importance >= {cond.importance_ge:g}")
    if cond.importance_le is not None:
        tests.append(f"importance <= {cond.importance_le:g}")
    if cond.top3 is not None:
        tests.append("in someone's top three" if cond.top3 else "in nobody's top three")
    return f"{who} {cond.item}: {', '.join(tests)}"


def describe_condition(cond: AnyCondition) -> str:
    """A condition as a person would read it, e.g. `context.setting = inpatient`."""
    if isinstance(cond, NotCondition):
        return f"not ({describe_condition(cond.not_)})"
    if isinstance(cond, AllCondition):
        return "all of (" + "; ".join(describe_condition(c) for c in cond.all_) + ")"
    if isinstance(cond, ContextCondition):
        return _context_condition(cond)
    if isinstance(cond, MeasureCondition):
        op, bound = cond.comparison()
        return f"{cond.measure} {SIGN[op]} {bound:g}"
    if isinstance(cond, ItemCondition):
        return _item_condition(cond)
    if isinstance(cond, DivergentCondition):
        target = "any item" if cond.divergent == "any" else cond.divergent
        return f"stakeholder groups disagree on {target}"
    assert isinstance(cond, DerivedCondition)
    return f"{cond.derived} was concluded"


def negated_reasons(rule: Rule) -> list[str]:
    """The rule's negative conditions, which held but match no fact and so are stated from the rule."""
    out = [describe_condition(c) for c in rule.when
           if isinstance(c, NotCondition) or (isinstance(c, ContextCondition) and c.known is False)]
    return [f"{text} (holds)" for text in out]
