"""The only module that knows experta: compile YAML rules into a Rete network and run it.

Rules are compiled once per process (building the network costs about a millisecond per rule);
each assessment then reuses the same engine through `reset()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from experta import AND, AS, NOT, Fact, KnowledgeEngine, P
from experta import Rule as ExpertaRule

from .errors import KnowledgeError
from .facts import FactSet
from .kb.models import COMPARE, Condition, Rule


class Ctx(Fact):
    """A known context answer: field, value."""


class Measure(Fact):
    """A number computed from the answers: name, value."""


class Item(Fact):
    """An inventory item pooled over respondents: id, happening, importance, top3."""


class GroupAnswer(Fact):
    """One stakeholder group's answer to an item: item, group, happening, importance."""


class Divergent(Fact):
    """Stakeholder groups disagree on whether an item is happening: item."""


class Derived(Fact):
    """A conclusion of a derive rule: name, by (the rule id)."""


@dataclass(frozen=True)
class Firing:
    """One rule firing: which rule, and the facts that matched its conditions."""

    rule_id: str
    matched: tuple[tuple[str, dict[str, Any]], ...]  # (fact kind, fields)
    concluded: str | None = None


def _member(values: Sequence[Any]) -> P:
    allowed = frozenset(values)
    return P(lambda v: v in allowed)


def _compare(op: str, bound: float) -> P:
    fn = COMPARE[op]
    return P(lambda v: v is not None and fn(v, bound))


def _context_pattern(cond: Condition) -> Any:
    if cond.known is not None:
        pattern = Ctx(field=cond.context)
        return pattern if cond.known else NOT(pattern)
    if cond.is_ is not None:
        return Ctx(field=cond.context, value=cond.is_)
    if cond.in_ is not None:
        return Ctx(field=cond.context, value=_member(cond.in_))
    if cond.not_in is not None:
        excluded = frozenset(cond.not_in)
        return Ctx(field=cond.context, value=P(lambda v: v not in excluded))
    words = tuple(w.lower() for w in cond.mentions or ())
    return Ctx(field=cond.context, value=P(lambda v: any(w in str(v).lower() for w in words)))


def _item_pattern(cond: Condition) -> Any:
    tests: dict[str, Any] = {}
    if cond.happening is not None:
        tests["happening"] = _member(cond.happening)
    if cond.importance_ge is not None:
        tests["importance"] = _compare("ge", cond.importance_ge)
    if cond.importance_le is not None:
        tests["importance"] = _compare("le", cond.importance_le)
    if cond.group is not None:
        return GroupAnswer(item=cond.item, group=cond.group, **tests)
    if cond.top3:
        tests["top3"] = P(lambda v: v > 0)
    elif cond.top3 is False:
        tests["top3"] = 0
    return Item(id=cond.item, **tests)


def pattern(cond: Condition) -> Any:
    """One condition as an experta pattern (negations return NOT(...), which cannot be bound)."""
    if cond.not_ is not None:
        return NOT(pattern(cond.not_))
    if cond.context is not None:
        return _context_pattern(cond)
    if cond.measure is not None:
        op, bound = cond.comparison()
        return Measure(name=cond.measure, value=_compare(op, bound))
    if cond.item is not None:
        return _item_pattern(cond)
    if cond.all_ is not None:
        return AND(*(pattern(c) for c in cond.all_))
    if cond.divergent is not None:
        return Divergent() if cond.divergent == "any" else Divergent(item=cond.divergent)
    return Derived(name=cond.derived)


def _bind(name: str, pat: Any) -> Any:
    if isinstance(pat, AND):
        return AND(*(_bind(f"{name}_{i}", p) for i, p in enumerate(pat)))
    return pat if isinstance(pat, NOT) else getattr(AS, name) << pat


def _levels(rules: Sequence[Rule]) -> dict[str, int]:
    """Stratify rules so that every derived fact is settled before rules that test it fire."""
    producers: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.concludes:
            producers.setdefault(rule.concludes, []).append(rule)
    levels: dict[str, int] = {}

    def level(rule: Rule, path: tuple[str, ...]) -> int:
        if rule.id in levels:
            return levels[rule.id]
        if rule.id in path:
            raise KnowledgeError("rules", f"derived facts form a cycle: {' -> '.join((*path, rule.id))}", rule.id)
        needs = {name for c in rule.conditions() for name in _derived_names(c)}
        deps = [level(p, (*path, rule.id)) for name in needs for p in producers.get(name, [])]
        levels[rule.id] = 1 + max(deps, default=0)
        return levels[rule.id]

    for rule in rules:
        level(rule, ())
    return levels


def _derived_names(cond: Condition) -> list[str]:
    if cond.not_ is not None:
        return _derived_names(cond.not_)
    if cond.all_ is not None:
        return [name for part in cond.all_ for name in _derived_names(part)]
    return [cond.derived] if cond.derived else []


def _lhs_variants(rule: Rule) -> list[list[Any]]:
    """The rule's patterns, one list per `any` branch.

    Each branch becomes its own experta rule with the same action: the disjunctive normal form that
    experta would otherwise compute from OR(...), which costs far more at start-up than building it here.
    """
    lhs: list[Any] = []
    if sorted(rule.stages) != ["established", "new", "planning"]:
        lhs.append(Ctx(field="stage", value=_member(rule.stages)))
    lhs.extend(_bind(f"w{i}", pattern(c)) for i, c in enumerate(rule.when))
    if not rule.any:
        return [lhs or [Ctx(field="stage")]]
    return [[*lhs, _bind("any", pattern(c))] for c in rule.any]


def _rhs(rule: Rule) -> Callable[..., None]:
    rule_id, concludes = rule.id, rule.concludes
    # experta does not always withdraw an activation when a fact its NOT(...) excludes is declared
    # later (seen with two negations in one rule). Derived facts are stratified by salience, so by the
    # time this rule fires every fact it negates is settled: check them again here.
    excluded = frozenset(c.not_.derived for c in rule.when if c.not_ is not None and c.not_.derived)

    def fire(engine: _Engine, **bound: Fact) -> None:
        engine.activations += 1
        if excluded & engine.concluded:
            return
        matched = tuple((type(fact).__name__, {k: v for k, v in fact.items() if isinstance(k, str)
                                                 and not k.startswith("__")})
                        for _, fact in sorted(bound.items()))
        engine.trace.append(Firing(rule_id, matched, concludes))
        if concludes:
            engine.concluded.add(concludes)
            engine.declare(Derived(name=concludes, by=rule_id))

    fire.__name__ = f"rule_{rule_id.replace('-', '_').replace('.', '_')}"
    return fire


class _Engine(KnowledgeEngine):  # type: ignore[misc]
    trace: list[Firing]
    concluded: set[str]
    activations: int = 0


def compile_rules(rules: Sequence[Rule]) -> type[_Engine]:
    levels = _levels(rules)
    top = max(levels.values(), default=0)
    attrs: dict[str, Any] = {}
    for index, rule in enumerate(rules):
        # derive rules fire first, lower strata before higher; findings after every derivation
        salience = 1000 - 10 * levels[rule.id] if rule.kind == "derive" else -10 * (levels[rule.id] - top)
        action = _rhs(rule)
        for branch, lhs in enumerate(_lhs_variants(rule)):
            attrs[f"r{index}_{branch}"] = ExpertaRule(*lhs, salience=salience)(action)
    return type("CompiledRules", (_Engine,), attrs)


def _declare_facts(engine: _Engine, facts: FactSet) -> None:
    batch: list[Fact] = [Ctx(field=field, value=value) for field, value in facts.context.items()]
    batch += [Measure(name=name, value=number) for name, number in facts.measures.items()]
    for summary in facts.items.values():
        batch.append(Item(id=summary.id, happening=summary.happening, importance=summary.importance,
                          top3=summary.top3))
        if summary.divergent:
            batch.append(Divergent(item=summary.id))
    batch += [GroupAnswer(item=item_id, group=group, happening=happening, importance=importance)
              for item_id, group, happening, importance in facts.group_answers]
    # One declare for the whole batch: experta recomputes the agenda after each declare call,
    # so declaring facts one by one costs (facts x rules); in one call it is paid once.
    engine.declare(*batch)


class Engine:
    """A compiled rule set, built once and reused for every assessment."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._engine = compile_rules(self.rules)()

    def _start(self, facts: FactSet) -> _Engine:
        """Empty working memory and the trace, then declare this assessment's facts."""
        engine = self._engine
        engine.reset()
        engine.trace = []
        engine.concluded = set()
        _declare_facts(engine, facts)
        return engine

    def steps(self, facts: FactSet) -> Iterator[Firing]:
        """Run one rule at a time, yielding each firing as it happens (for step-by-step teaching)."""
        engine = self._start(facts)
        while True:
            before, seen = len(engine.trace), engine.activations
            engine.run(1)
            if engine.activations == seen:  # the agenda is empty
                return
            yield from engine.trace[before:]

    def run(self, facts: FactSet) -> list[Firing]:
        engine = self._start(facts)
        engine.run()
        return list(engine.trace)
