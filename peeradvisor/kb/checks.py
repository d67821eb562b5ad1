"""Cross-reference checks over the whole knowledge base (errors) and lint (warnings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import vocab
from .conditions import (
    AnyCondition,
    ContextCondition,
    DerivedCondition,
    DivergentCondition,
    ItemCondition,
    MeasureCondition,
    negated_derived,
    walk,
)
from .models import Rule

if TYPE_CHECKING:
    from .loader import KnowledgeBase


@dataclass(frozen=True)
class Problem:
    source: str
    path: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.source}: {self.path}: {self.message}"


def rule_conditions(rule: Rule) -> list[tuple[str, AnyCondition]]:
    out: list[tuple[str, AnyCondition]] = []
    for key in ("when", "any"):
        for i, cond in enumerate(getattr(rule, key)):
            out.extend(walk(cond, f"{key}[{i}]"))
    return out


def _check_context(cond: ContextCondition) -> str | None:
    if cond.context not in vocab.CONTEXT_FIELDS:
        return f"unknown context field {cond.context!r}"
    allowed = vocab.CONTEXT_FIELDS[cond.context]
    values = [cond.is_] if cond.is_ is not None else (cond.in_ or cond.not_in or [])
    if allowed is not None:
        bad = [v for v in values if v not in allowed]
        if bad:
            return f"{cond.context} cannot be {bad[0]!r}; it is one of {', '.join(map(str, allowed))}"
    if cond.mentions is not None and cond.context != "setting_detail":
        return "`mentions` only applies to setting_detail"
    return None


def _check_condition(cond: AnyCondition, concluded: set[str], item_ids: set[str]) -> str | None:
    if isinstance(cond, ContextCondition):
        return _check_context(cond)
    if isinstance(cond, MeasureCondition) and cond.measure not in vocab.MEASURES:
        return f"unknown measure {cond.measure!r}; one of {', '.join(vocab.MEASURES)}"
    if isinstance(cond, ItemCondition) and cond.item not in item_ids:
        return f"unknown item id {cond.item!r}"
    if isinstance(cond, DivergentCondition) and cond.divergent != "any" and cond.divergent not in item_ids:
        return f"unknown item id {cond.divergent!r} (or use `any`)"
    if isinstance(cond, DerivedCondition) and cond.derived not in concluded:
        return f"no derive rule concludes {cond.derived!r}"
    return None


def check_references(kb: KnowledgeBase) -> list[Problem]:
    """Errors that make the knowledge base unusable."""
    problems: list[Problem] = []
    item_ids = set(kb.items)
    if item_ids != set(vocab.ITEM_IDS):
        missing = sorted(set(vocab.ITEM_IDS) - item_ids) or sorted(item_ids - set(vocab.ITEM_IDS))
        problems.append(Problem("knowledge/items.yaml", "items", f"the 40 items do not match: {missing[:5]}"))
    concluded = {r.concludes for r in kb.rules if r.concludes}
    known = {r.id for r in kb.rules}
    for rule in kb.rules:
        source = kb.rule_files.get(rule.id, "rules")
        for i, ref in enumerate(rule.items):
            if ref.id not in item_ids:
                problems.append(Problem(source, f"{rule.id}.items[{i}].id", f"unknown item id {ref.id!r}"))
        if rule.point is not None and rule.point not in kb.points:
            problems.append(Problem(source, f"{rule.id}.point", f"no point {rule.point!r} in knowledge/points.yaml"))
        for i, other in enumerate(rule.supersedes):
            if other not in known or other == rule.id:
                problems.append(Problem(source, f"{rule.id}.supersedes[{i}]", f"no other rule {other!r}"))
        for path, cond in rule_conditions(rule):
            nested = not path.startswith("when[") or ".all[" in path
            if negated_derived(cond) and nested:
                problems.append(Problem(source, f"{rule.id}.{path}", "a `not: {derived: …}` condition belongs "
                                        "directly in `when`, where the engine re-checks it when the rule fires"))
            message = _check_condition(cond, concluded, item_ids)
            if message:
                problems.append(Problem(source, f"{rule.id}.{path}", message))
    return problems


def lint(kb: KnowledgeBase) -> list[Problem]:
    """Warnings: things that load but are probably mistakes."""
    problems: list[Problem] = []
    used = {c.derived for r in kb.rules for _, c in rule_conditions(r) if isinstance(c, DerivedCondition)}
    for rule in kb.rules:
        source = kb.rule_files.get(rule.id, "rules")
        if rule.kind == "derive" and rule.concludes not in used:
            problems.append(Problem(source, rule.id, f"concludes {rule.concludes!r} but no rule uses it",
                                    "warning"))
        inventory = [c for _, c in rule_conditions(rule) if isinstance(c, ItemCondition | DivergentCondition)]
        if rule.stages == ["planning"] and inventory and not rule.any:
            problems.append(Problem(source, rule.id, "planning-only rule tests inventory answers, which "
                                    "planning services do not give", "warning"))
        if rule.kind != "derive" and not rule.themes:
            problems.append(Problem(source, rule.id, "finding has no theme", "warning"))
    return problems
