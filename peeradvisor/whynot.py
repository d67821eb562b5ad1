"""Why a rule did not fire: each of its conditions checked against the facts, in words (pure).

`holds` mirrors the patterns that `inference.py` compiles, condition by condition, so that the
evaluator and the engine agree (tests/test_why.py checks this on every scenario and every rule):
pooled `happening` in the list; importance compared on the pooled mean (a group condition uses any
respondent of that group); `top3` counted over respondents; `divergent`; `derived` against the facts
concluded in the run; `not`; `all`; context `known/is/in/not_in/mentions`; measures; the rule's stages.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from .explain import describe_condition
from .facts import FactSet
from .kb.loader import KnowledgeBase
from .kb.models import COMPARE, Condition, Rule

ALL_STAGES = ["established", "new", "planning"]


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


def _context(cond: Condition, facts: FactSet) -> bool:
    name = cond.context or ""
    known = name in facts.context
    value = facts.context.get(name)
    if cond.known is not None:
        return known is cond.known
    if not known:
        return False
    if cond.is_ is not None:
        return bool(value == cond.is_)
    if cond.in_ is not None:
        return value in frozenset(cond.in_)
    if cond.not_in is not None:
        return value not in frozenset(cond.not_in)
    return any(w.lower() in str(value).lower() for w in cond.mentions or ())


def _compare(op: str, value: float | None, bound: float) -> bool:
    return value is not None and COMPARE[op](value, bound)


def _answer_ok(cond: Condition, happening: str | None, importance: float | None) -> bool:
    if cond.happening is not None and happening not in frozenset(cond.happening):
        return False
    # as in inference.py, importance_le replaces importance_ge when a rule gives both
    if cond.importance_le is not None:
        return _compare("le", importance, cond.importance_le)
    if cond.importance_ge is not None:
        return _compare("ge", importance, cond.importance_ge)
    return True


def _item(cond: Condition, facts: FactSet) -> bool:
    if cond.group is not None:
        return any(item == cond.item and group == cond.group and _answer_ok(cond, happening, importance)
                   for item, group, happening, importance in facts.group_answers)
    summary = facts.items.get(cond.item or "")
    if summary is None or not _answer_ok(cond, summary.happening, summary.importance):
        return False
    if cond.top3:
        return summary.top3 > 0
    if cond.top3 is False:
        return summary.top3 == 0
    return True


def holds(cond: Condition, facts: FactSet, derived: Collection[str]) -> bool:
    """Whether one condition holds for these facts and these concluded derived facts."""
    if cond.not_ is not None:
        return not holds(cond.not_, facts, derived)
    if cond.all_ is not None:
        return all(holds(part, facts, derived) for part in cond.all_)
    if cond.context is not None:
        return _context(cond, facts)
    if cond.measure is not None:
        op, bound = cond.comparison()
        return _compare(op, facts.measures.get(cond.measure), bound)
    if cond.item is not None:
        return _item(cond, facts)
    if cond.divergent is not None:
        if cond.divergent == "any":
            return any(s.divergent for s in facts.items.values())
        summary = facts.items.get(cond.divergent)
        return summary is not None and summary.divergent
    return cond.derived in derived


def actual(cond: Condition, facts: FactSet, derived: Collection[str]) -> str:
    """What the answers say about the thing a condition tests, e.g. `context.staffing_pressure = false`."""
    if cond.not_ is not None:
        return actual(cond.not_, facts, derived)
    if cond.all_ is not None:
        return "; ".join(dict.fromkeys(actual(part, facts, derived) for part in cond.all_))
    if cond.context is not None:
        value = facts.context.get(cond.context)
        return f"context.{cond.context} = {_show(value)}" if value is not None else \
            f"context.{cond.context} not answered"
    if cond.measure is not None:
        value = facts.measures.get(cond.measure)
        return f"{cond.measure} = {value:g}" if value is not None else f"{cond.measure} unknown"
    if cond.item is not None:
        return _item_actual(cond, facts)
    if cond.divergent is not None:
        return _divergent_actual(cond.divergent, facts)
    return f"{cond.derived} {'was' if cond.derived in derived else 'was not'} concluded"


def _divergent_actual(target: str, facts: FactSet) -> str:
    if target == "any":
        split = [s.id for s in facts.items.values() if s.divergent]
        return "groups disagree on " + ", ".join(split) if split else "no two groups disagree on any item"
    summary = facts.items.get(target)
    if summary is None or not summary.group_answers:
        return f"{target} not answered"
    answers = "; ".join(f"{g}: {'/'.join(sorted(a))}" for g, a in summary.group_answers.items())
    return f"{target} answered by {answers}"


def _item_actual(cond: Condition, facts: FactSet) -> str:
    if cond.group is not None:
        rows = [(h, i) for item, g, h, i in facts.group_answers if item == cond.item and g == cond.group]
        if not rows:
            return f"no {cond.group} answered {cond.item}"
        return f"{cond.group} answered {cond.item}: " + "; ".join(
            h + (f", importance {i:g}" if i is not None else "") for h, i in rows)
    summary = facts.items.get(cond.item or "")
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


def needed(cond: Condition) -> list[str]:
    """The derived facts a condition needs to be concluded (not those it needs to be absent)."""
    if cond.all_ is not None:
        return [name for part in cond.all_ for name in needed(part)]
    return [cond.derived] if cond.derived else []


def check(cond: Condition, facts: FactSet, derived: Collection[str]) -> Check:
    needs = ", ".join(needed(cond)) or None
    return Check(describe_condition(cond), holds(cond, facts, derived), actual(cond, facts, derived), needs)


def _stage(rule: Rule, facts: FactSet) -> Check | None:
    if sorted(rule.stages) == ALL_STAGES:
        return None
    stage = facts.context.get("stage")
    return Check(f"stage is one of {', '.join(rule.stages)}", stage in rule.stages, f"stage = {stage}")


def evaluate(rule: Rule, facts: FactSet, derived: Collection[str]) -> Verdict:
    """Every condition of the rule checked; `would_fire` is what the engine would do."""
    stage = _stage(rule, facts)
    when = tuple(check(c, facts, derived) for c in rule.when)
    any_ = tuple(check(c, facts, derived) for c in rule.any)
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
