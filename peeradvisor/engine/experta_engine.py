"""The only module that knows experta: compile the rules into a Rete network and run it.

Building the network is the expensive part (experta does it when an engine is constructed), so engines are
built once and pooled: each run takes an idle engine (or builds one), resets it, and gives it back when the
run ends. No two runs ever share working memory.
"""

from __future__ import annotations

import collections
import collections.abc
import dataclasses
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

# experta 1.9.4 pins frozendict 1.2, which imports collections.Mapping (gone since Python 3.10).
# The alias is all frozendict 1.2 needs to work on 3.10-3.13.
if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]

from experta import AND, AS, NOT, KnowledgeEngine, P
from experta import Fact as ExpertaFact
from experta import Rule as ExpertaRule

from ..facts import FactSet
from ..kb.conditions import negated_derived
from ..kb.models import Rule
from .base import Firing
from .facts import (
    ContextFact,
    DerivedFact,
    DivergentFact,
    Fact,
    GroupAnswerFact,
    ItemFact,
    MeasureFact,
    facts_of,
)
from .matching import Absent, Every, Node, node, stage_node
from .strata import levels

_CLASSES: dict[type, type[ExpertaFact]] = {
    kind: type(kind.__name__, (ExpertaFact,), {})
    for kind in (ContextFact, MeasureFact, ItemFact, GroupAnswerFact, DivergentFact, DerivedFact)
}
_TYPED = {cls: kind for kind, cls in _CLASSES.items()}
_FIELDS = {kind: tuple(f.name for f in dataclasses.fields(kind)) for kind in _CLASSES}


def _to_experta(fact: Fact) -> ExpertaFact:
    kind = type(fact)
    return _CLASSES[kind](**{name: getattr(fact, name) for name in _FIELDS[kind]})


def _to_typed(fact: ExpertaFact) -> Fact:
    kind = _TYPED[type(fact)]
    return kind(**{name: fact.get(name) for name in _FIELDS[kind]})  # type: ignore[return-value]


def _pattern(item: Node) -> Any:
    if isinstance(item, Absent):
        return NOT(_pattern(item.inner))
    if isinstance(item, Every):
        return AND(*(_pattern(part) for part in item.parts))
    tests = {name: (P(test) if callable(test) else test) for name, test in item.tests}
    return _CLASSES[item.kind](**tests)


def _bind(name: str, pat: Any) -> Any:
    if isinstance(pat, AND):
        return AND(*(_bind(f"{name}_{i}", p) for i, p in enumerate(pat)))
    return pat if isinstance(pat, NOT) else getattr(AS, name) << pat


def _lhs_variants(rule: Rule) -> list[list[Any]]:
    """The rule's patterns, one list per `any` branch.

    Each branch becomes its own experta rule with the same action: the disjunctive normal form that
    experta would otherwise compute from OR(...), which costs far more at start-up than building it here.
    """
    stage = stage_node(rule)
    lhs: list[Any] = [] if stage is None else [_pattern(stage)]
    lhs.extend(_bind(f"w{i}", _pattern(node(c))) for i, c in enumerate(rule.when))
    if not rule.any:
        return [lhs or [_CLASSES[ContextFact](field="stage")]]
    return [[*lhs, _bind("any", _pattern(node(c)))] for c in rule.any]


class _Engine(KnowledgeEngine):  # type: ignore[misc]
    trace: list[Firing]
    concluded: set[str]
    activations: int = 0


def _rhs(rule: Rule) -> Callable[..., None]:
    rule_id, concludes = rule.id, rule.concludes
    # experta does not always withdraw an activation when a fact its NOT(...) excludes is declared
    # later (seen with two negations in one rule). Derived facts are stratified by salience, so by the
    # time this rule fires every fact it negates is settled: check them again here.
    excluded = frozenset(name for c in rule.when if (name := negated_derived(c)))

    def fire(engine: _Engine, **bound: ExpertaFact) -> None:
        engine.activations += 1
        if excluded & engine.concluded:
            return
        matched = tuple(_to_typed(fact) for _, fact in sorted(bound.items()))
        engine.trace.append(Firing(rule_id, matched, concludes))
        if concludes:
            engine.concluded.add(concludes)
            engine.declare(_CLASSES[DerivedFact](name=concludes, by=rule_id))

    fire.__name__ = f"rule_{rule_id.replace('-', '_').replace('.', '_')}"
    return fire


def compile_rules(rules: Sequence[Rule]) -> type[_Engine]:
    strata = levels(rules)
    top = max(strata.values(), default=0)
    attrs: dict[str, Any] = {}
    for index, rule in enumerate(rules):
        # derive rules fire first, lower strata before higher; findings after every derivation
        level = strata[rule.id]
        salience = 1000 - 10 * level if rule.kind == "derive" else -10 * (level - top)
        action = _rhs(rule)
        for branch, lhs in enumerate(_lhs_variants(rule)):
            attrs[f"r{index}_{branch}"] = ExpertaRule(*lhs, salience=salience)(action)
    return type("CompiledRules", (_Engine,), attrs)


class ExpertaEngine:
    """The rules compiled once; a pool of experta engines, each run on one of its own."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._compiled = compile_rules(self.rules)
        self._idle: list[_Engine] = []
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build one engine now (the Rete network), so the first run does not pay for it."""
        self._release(self._acquire())

    def _acquire(self) -> _Engine:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._compiled()

    def _release(self, engine: _Engine) -> None:
        with self._lock:
            self._idle.append(engine)

    def _start(self, facts: FactSet) -> _Engine:
        engine = self._acquire()
        engine.reset()
        engine.trace = []
        engine.concluded = set()
        engine.activations = 0
        # One declare for the whole batch: experta recomputes the agenda after each declare call,
        # so declaring facts one by one costs (facts x rules); in one call it is paid once.
        engine.declare(*(_to_experta(f) for f in facts_of(facts)))
        return engine

    def run(self, facts: FactSet) -> list[Firing]:
        engine = self._start(facts)
        try:
            engine.run()
            return list(engine.trace)
        finally:
            self._release(engine)

    def steps(self, facts: FactSet) -> Iterator[Firing]:
        engine = self._start(facts)
        try:
            while True:
                before, seen = len(engine.trace), engine.activations
                engine.run(1)
                if engine.activations == seen:  # the agenda is empty
                    return
                yield from engine.trace[before:]
        finally:
            self._release(engine)
