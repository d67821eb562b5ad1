"""Why a rule did not fire: each of its conditions checked against the facts, in words (pure).

Conditions are evaluated with the engine's own patterns (`engine/matching.py`), against the same facts the
engine was given plus the derived facts it concluded, so the evaluator and the engine agree by
construction (tests/test_why.py checks it on every scenario and every rule).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from ..core.describe import describe_condition
from ..engine.facts import DerivedFact, Fact, facts_of
from ..engine.matching import condition_holds, stage_node
from ..engine.matching import holds as node_holds
from ..facts import FactSet
from ..kb.conditions import (
    AllCondition,
    AnyCondition,
    ContextCondition,
    DivergentCondition,
    ItemCondition,
    MeasureCondition,
    NotCondition,
    needed,
)
from ..kb.loader import KnowledgeBase
from ..kb.models import Rule


@dataclass(frozen=True)
class Check:
    """One condition, whether it holds, and what the answers actually say."""

    condition: str
    met: bool
    actual: str
    needs: str | None = None  # the derived fact a `derived` condition asks for


@dataclass(frozen=True)
class Verdict:
    """A rule checked against one assessment: every condition, and whether the rule would fire."""

    rule_id: str
    kind: str
    title: str
    stage: Check | None
    when: tuple[Check, ...]
    any: tuple[Check, ...]
    would_fire: bool
    missing: tuple[Missing, ...] = field(default=())


@dataclass(frozen=True)
class Missing:
    """A derived fact the rule needed that no rule concluded, with why its producers did not fire."""

    name: str
    producers: tuple[Verdict, ...]


def memory(facts: FactSet, derived: Collection[str]) -> list[Fact]:
    """The engine's working memory for these facts, with the derived facts concluded in the run."""
    return [*facts_of(facts), *(DerivedFact(name, "") for name in derived)]


def holds(cond: AnyCondition, facts: FactSet, derived: Collection[str]) -> bool:
    """Whether one condition holds for these facts and these concluded derived facts (as the engine sees it)."""
    return condition_holds(cond, memory(facts, derived))


def actual(cond: AnyCondition, facts: FactSet, derived: Collection[str]) -> str:
    """What the answers say about the thing a condition tests, e.g. `context.staffing_pressure = false`."""
    if isinstance(cond, NotCondition):
        return actual(cond.not_, facts, derived)
    if isinstance(cond, AllCondition):
        return "; ".join(dict.fromkeys(actual(part, facts, derived) for part in cond.all_))
    if isinstance(cond, ContextCondition):
        value = facts.context.get(cond.context)
        return f"context.{cond.context} = {_show(value)}" if value is not None else \
            f"context.{cond.context} not answered"
    if isinstance(cond, MeasureCondition):
        number = facts.measures.get(cond.measure)
        return f"{cond.measure} = {number:g}" if number is not None else f"{cond.measure} unknown"
    if isinstance(cond, ItemCondition):
        return _item_actual(cond, facts)
    if isinstance(cond, DivergentCondition):
        return _divergent_actual(cond.divergent, facts)
    name = getattr(cond, "derived", "")
    return f"{name} {'was' if name in derived else 'was not'} concluded"


def _divergent_actual(target: str, facts: FactSet) -> str:
    if target == "any":
        split = [s.id for s in facts.items.values() if s.divergent]
        return "groups disagree on " + ", ".join(split) if split else "no two groups disagree on any item"
    summary = facts.items.get(target)
    if summary is None or not summary.group_answers:
        return f"{target} not answered"
    answers = "; ".join(f"{g}: {'/'.join(sorted(a))}" for g, a in summary.group_answers.items())
    return f"{target} answered by {answers}"


def _item_actual(cond: ItemCondition, facts: FactSet) -> str:
    if cond.group is not None:
        rows = [(h, i) for item, g, h, i in facts.group_answers if item == cond.item and g == cond.group]
        if not rows:
            return f"no {cond.group} answered {cond.item}"
        return f"{cond.group} answered {cond.item}: " + "; ".join(
            h + (f", importance {i:g}" if i is not None else "") for h, i in rows)
    summary = facts.items.get(cond.item)
    if summary is None:
        return f"{cond.item} not answered"
    parts = [f"happening = {summary.happening or 'not answered'}"]
    if summary.importance is not None:
        parts.append(f"importance = {summary.importance:g}")
    top = f"in the top three of {summary.top3} respondent(s)" if summary.top3 else "in nobody's top three"
    parts.append(top)
    return f"inventory {cond.item}: " + ", ".join(parts)


def _show(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def check(cond: AnyCondition, facts: FactSet, derived: Collection[str],
          seen: list[Fact] | None = None) -> Check:
    needs = ", ".join(needed(cond)) or None
    met = condition_holds(cond, seen if seen is not None else memory(facts, derived))
    return Check(describe_condition(cond), met, actual(cond, facts, derived), needs)


def _stage(rule: Rule, facts: FactSet, seen: list[Fact]) -> Check | None:
    pattern = stage_node(rule)
    if pattern is None:
        return None
    stage = facts.context.get("stage")
    return Check(f"stage is one of {', '.join(rule.stages)}", node_holds(pattern, seen), f"stage = {stage}")


def evaluate(rule: Rule, facts: FactSet, derived: Collection[str]) -> Verdict:
    """Every condition of the rule checked; `would_fire` is what the engine would do."""
    seen = memory(facts, derived)
    stage = _stage(rule, facts, seen)
    when = tuple(check(c, facts, derived, seen) for c in rule.when)
    any_ = tuple(check(c, facts, derived, seen) for c in rule.any)
    fires = ((stage is None or stage.met) and all(c.met for c in when)
             and (not any_ or any(c.met for c in any_)))
    return Verdict(rule.id, rule.kind, rule.title, stage, when, any_, fires)


def explain(rule: Rule, facts: FactSet, derived: Collection[str], kb: KnowledgeBase,
            depth: int = 1) -> Verdict:
    """As `evaluate`, plus, for each derived fact it needed and did not get, why its producers did not fire
    (followed `depth` levels down)."""
    verdict = evaluate(rule, facts, derived)
    if depth <= 0:
        return verdict
    conds = [c for c, chk in zip(rule.when, verdict.when, strict=True) if not chk.met]
    if not any(chk.met for chk in verdict.any):
        conds += rule.any  # none of `any` holds, so each of them is one way the rule could have fired
    wanted = [name for c in conds for name in needed(c) if name not in derived]
    missing = []
    for name in dict.fromkeys(wanted):
        producers = [r for r in kb.rules if r.concludes == name]
        missing.append(Missing(name, tuple(explain(p, facts, derived, kb, depth - 1) for p in producers)))
    return Verdict(verdict.rule_id, verdict.kind, verdict.title, verdict.stage, verdict.when, verdict.any,
                   verdict.would_fire, tuple(missing))


def unmet(verdict: Verdict) -> list[Check]:
    """What stops the rule: the stage, unmet `when` conditions, and all of `any` when none holds."""
    out = [c for c in ((verdict.stage,) if verdict.stage else ()) if not c.met]
    out += [c for c in verdict.when if not c.met]
    if verdict.any and not any(c.met for c in verdict.any):
        out += list(verdict.any)
    return out


def verdict_data(verdict: Verdict) -> dict[str, Any]:
    """A verdict as plain data for JSON output."""
    def checks(items: tuple[Check, ...]) -> list[dict[str, Any]]:
        return [{"condition": c.condition, "met": c.met, "actual": c.actual} for c in items]

    data: dict[str, Any] = {
        "rule": verdict.rule_id, "kind": verdict.kind, "title": verdict.title,
        "would_fire": verdict.would_fire,
        "stage": checks((verdict.stage,))[0] if verdict.stage else None,
        "when": checks(verdict.when), "any": checks(verdict.any),
    }
    if verdict.missing:
        data["missing"] = [{"name": m.name, "producers": [verdict_data(p) for p in m.producers]}
                           for m in verdict.missing]
    return data
