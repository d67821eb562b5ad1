"""Cross-reference checks over the whole knowledge base (errors) and lint (warnings)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import vocab
from ..errors import KnowledgeError
from .conditions import (
    AllCondition,
    AnyCondition,
    ContextCondition,
    DerivedCondition,
    DivergentCondition,
    ItemCondition,
    MeasureCondition,
    negated_derived,
    walk,
)
from .locate import rule_line
from .models import LIMITS, Rule

if TYPE_CHECKING:
    from .loader import KnowledgeBase


@dataclass(frozen=True)
class Problem:
    source: str
    path: str
    message: str
    severity: str = "error"
    rule: str = ""  # the rule it is about, if any
    at: str = ""  # where inside that rule (`when[1].all[0]`), to find its line

    def __str__(self) -> str:
        return f"{self.source}: {self.path}: {self.message}"


def about(kb: KnowledgeBase, rule: Rule, at: str, message: str, severity: str = "error") -> Problem:
    """A problem with RULE, at AT inside it (empty: the rule as a whole)."""
    return Problem(kb.rule_files.get(rule.id, "rules"), f"{rule.id}.{at}" if at else rule.id, message, severity,
                   rule.id, at)


def located(kb: KnowledgeBase, problems: list[Problem]) -> list[tuple[str, Problem]]:
    """Each problem with where it is: `rules/themes.yaml:123` for one about a rule, else its file.

    Reads and composes the rule files again, so only call it to report problems.
    """
    index: dict[str, int] = {}
    seen: Counter[str] = Counter()
    for rule in kb.rules:
        file = kb.rule_files.get(rule.id, "")
        index[rule.id] = seen[file]
        seen[file] += 1
    out = []
    for problem in problems:
        line = None
        if problem.rule in index:
            line = rule_line(_file(kb, problem.source), index[problem.rule], problem.at)
        out.append((f"{problem.source}:{line}" if line else problem.source, problem))
    return out


def _file(kb: KnowledgeBase, shown: str) -> Path:
    path = Path(shown)
    return path if path.is_absolute() or path.exists() else kb.root / "rules" / path.name


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
        for i, ref in enumerate(rule.items):
            if ref.id not in item_ids:
                problems.append(about(kb, rule, f"items[{i}].id", f"unknown item id {ref.id!r}"))
        if rule.point is not None and rule.point not in kb.points:
            problems.append(about(kb, rule, "point", f"no point {rule.point!r} in knowledge/points.yaml"))
        for i, other in enumerate(rule.supersedes):
            if other not in known or other == rule.id:
                problems.append(about(kb, rule, f"supersedes[{i}]", f"no other rule {other!r}"))
        for path, cond in rule_conditions(rule):
            nested = not path.startswith("when[") or ".all[" in path
            if negated_derived(cond) and nested:
                problems.append(about(kb, rule, path, "a `not: {derived: …}` condition belongs "
                                      "directly in `when`, where the engine re-checks it when the rule fires"))
            message = _check_condition(cond, concluded, item_ids)
            if message:
                problems.append(about(kb, rule, path, message))
        problems.extend(p for p in contradictions(kb, rule) if p.severity == "error")
    if not problems:  # chains and cycles are only worth following once every reference resolves
        problems.extend(_supersede_cycles(kb))
        problems.extend(_derive_depth(kb))
    return problems


# A finding that asks for a change contradicts itself when it only fires once the change is made; a strength
# (what to keep) contradicts itself when it only fires while the thing is not there.
_CONTRADICTS = {
    "change": {"put_in_place": frozenset({"yes"}), "avoid": frozenset({"no"})},
    "strength": {"put_in_place": frozenset({"no"}), "avoid": frozenset({"yes"})},
}
_ALREADY = {"yes": "is already happening (yes)", "no": "is not happening (no)"}
_ANY_ANSWER = frozenset(vocab.HAPPENING)


def _required(conds: list[tuple[str, AnyCondition]]) -> dict[str, tuple[frozenset[str], list[str]]]:
    """For each item, the pooled answers (question A) left possible when all these conditions hold, and the
    conditions that narrow them. Only conditions that must hold count: `when`, one `any` branch, `all` parts."""
    out: dict[str, tuple[frozenset[str], list[str]]] = {}
    stack = list(conds)
    while stack:
        path, cond = stack.pop()
        if isinstance(cond, AllCondition):
            stack.extend((f"{path}.all[{j}]", part) for j, part in enumerate(cond.all_))
        elif isinstance(cond, ItemCondition) and cond.group is None and cond.happening is not None:
            answers, paths = out.get(cond.item, (_ANY_ANSWER, []))
            out[cond.item] = (answers & frozenset(cond.happening), [*paths, path])
    return out


def contradictions(kb: KnowledgeBase, rule: Rule) -> list[Problem]:
    """An item the finding advises on against what its own conditions require of that item.

    An error when every way the rule can fire requires it (in `when`, or in each `any` branch); a warning
    when only some `any` branches do.
    """
    against = _CONTRADICTS["strength" if rule.kind == "strength" else "change"]
    if rule.kind == "derive" or not any(ref.direction in against for ref in rule.items):
        return []
    when = [(f"when[{i}]", c) for i, c in enumerate(rule.when)]
    branches = [when] if not rule.any else [[*when, (f"any[{j}]", c)] for j, c in enumerate(rule.any)]
    required = [_required(b) for b in branches]
    out = []
    for i, ref in enumerate(rule.items):
        bad = against.get(ref.direction)
        hits = [r[ref.id] for r in required if bad and ref.id in r and r[ref.id][0] and r[ref.id][0] <= bad]
        if not hits:
            continue
        where = ", ".join(sorted(dict.fromkeys(p for _, paths in hits for p in paths)))
        state = _ALREADY[next(iter(hits[0][0]))]
        if len(hits) == len(branches):
            out.append(about(kb, rule, f"items[{i}]", f"a {rule.kind} advising {ref.direction} for item "
                             f"{ref.id} fires only when {ref.id} {state}, as {where} require(s); change the "
                             "direction or the conditions"))
        else:
            out.append(about(kb, rule, f"items[{i}]", f"advises {ref.direction} for item {ref.id}, but "
                             f"{len(hits)} of its {len(branches)} `any` branches fire only when {ref.id} "
                             f"{state}, as {where} require(s)", "warning"))
    return out


def _supersede_cycles(kb: KnowledgeBase) -> list[Problem]:
    """Rules that supersede one another in a ring would hide each other: all of them would vanish."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in (r.id for r in kb.rules):
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            rule_id, i = stack.pop()
            if i == 0:
                state[rule_id] = 1
                path.append(rule_id)
            nexts = kb.rule(rule_id).supersedes
            if i < len(nexts):
                stack.append((rule_id, i + 1))
                other = nexts[i]
                if state.get(other) == 1:
                    ring = " -> ".join((*path[path.index(other):], other))
                    return [about(kb, kb.rule(other), "supersedes", f"rules supersede each other in a ring "
                                  f"({ring}), so none of them would ever be shown")]
                if other not in state:
                    stack.append((other, 0))
                continue
            state[rule_id] = 2
            path.pop()
    return []


def _derive_depth(kb: KnowledgeBase) -> list[Problem]:
    from ..engine.strata import levels  # the engine's own ordering, so that what loads is what it runs

    try:  # only derive rules conclude, so only they can chain or form a cycle
        strata = levels([r for r in kb.rules if r.kind == "derive"])
    except KnowledgeError as exc:  # derived facts in a cycle
        return [about(kb, kb.rule(exc.path), "", exc.message)]
    # the first rule past the limit, where the chain should be cut
    over = [r for r in kb.rules if strata.get(r.id, 0) > LIMITS["derive_depth"]]
    first = min(over, key=lambda r: strata[r.id], default=None)
    if first is None:
        return []
    return [about(kb, first, "", f"is derive rule number {strata[first.id]} of a chain; the limit is "
                  f"{LIMITS['derive_depth']} (conclude from the answers more directly)")]


def lint(kb: KnowledgeBase) -> list[Problem]:
    """Warnings: things that load but are probably mistakes."""
    problems: list[Problem] = []
    used = {c.derived for r in kb.rules for _, c in rule_conditions(r) if isinstance(c, DerivedCondition)}
    for rule in kb.rules:
        if rule.kind == "derive" and rule.concludes not in used:
            problems.append(about(kb, rule, "concludes", f"concludes {rule.concludes!r} but no rule uses it",
                                  "warning"))
        inventory = [c for _, c in rule_conditions(rule) if isinstance(c, ItemCondition | DivergentCondition)]
        if rule.stages == ["planning"] and inventory and not rule.any:
            problems.append(about(kb, rule, "stages", "planning-only rule tests inventory answers, which "
                                  "planning services do not give", "warning"))
        if rule.kind != "derive" and not rule.themes:
            problems.append(about(kb, rule, "", "finding has no theme", "warning"))
        problems.extend(p for p in contradictions(kb, rule) if p.severity == "warning")
    return problems
