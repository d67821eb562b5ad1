"""Say in words why a rule fired (the facts it matched) or why it did not (its unmet conditions)."""

from __future__ import annotations

from typing import Any

from .facts import FactSet
from .kb.models import Condition, Rule


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def describe_fact(kind: str, fields: dict[str, Any], facts: FactSet | None = None) -> str:
    if kind == "Ctx":
        name = fields["field"]
        prefix = "" if name == "stage" else "context."
        return f"{prefix}{name} = {_value(fields['value'])}"
    if kind == "Measure":
        return f"{fields['name']} = {_value(fields['value'])}"
    if kind == "Item":
        parts = [f"inventory {fields['id']}: happening = {fields.get('happening') or 'not answered'}"]
        if fields.get("importance") is not None:
            parts.append(f"importance = {_value(fields['importance'])}")
        if fields.get("top3"):
            parts.append(f"in the top three of {fields['top3']}")
        return ", ".join(parts)
    if kind == "GroupAnswer":
        text = f"{fields['group']} answered {fields['item']}: happening = {fields['happening']}"
        return text + (f", importance = {fields['importance']}" if fields.get("importance") else "")
    if kind == "Divergent":
        item = fields["item"]
        detail = ""
        if facts is not None and item in facts.items:
            answers = facts.items[item].group_answers
            detail = " (" + ", ".join(f"{g}: {'/'.join(sorted(a))}" for g, a in answers.items()) + ")"
        return f"stakeholder groups disagree on {item}{detail}"
    if kind == "Derived":
        return f"concluded {fields['name']} (rule {fields['by']})"
    return f"{kind} {fields}"


def describe_condition(cond: Condition) -> str:
    """A condition as a person would read it, e.g. `context.setting is inpatient`."""
    if cond.not_ is not None:
        return f"not ({describe_condition(cond.not_)})"
    if cond.all_ is not None:
        return "all of (" + "; ".join(describe_condition(c) for c in cond.all_) + ")"
    if cond.context is not None:
        name = f"context.{cond.context}"
        if cond.known is not None:
            return f"{name} is {'known' if cond.known else 'not known'}"
        if cond.is_ is not None:
            return f"{name} = {_value(cond.is_)}"
        if cond.in_ is not None:
            return f"{name} is one of {', '.join(map(_value, cond.in_))}"
        if cond.not_in is not None:
            return f"{name} is known and not {', '.join(map(_value, cond.not_in))}"
        return f"{name} mentions {' or '.join(cond.mentions or [])}"
    if cond.measure is not None:
        op, bound = cond.comparison()
        sign = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "="}[op]
        return f"{cond.measure} {sign} {bound:g}"
    if cond.item is not None:
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
    if cond.divergent is not None:
        target = "any item" if cond.divergent == "any" else cond.divergent
        return f"stakeholder groups disagree on {target}"
    return f"{cond.derived} was concluded"


def negated_reasons(rule: Rule) -> list[str]:
    """The rule's negative conditions, which held but match no fact and so are stated from the rule."""
    out = [describe_condition(c) for c in rule.when if c.not_ is not None or c.known is False]
    return [f"{text} (holds)" for text in out]
