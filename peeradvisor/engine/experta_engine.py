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
from typing import Any, TypeAlias

# experta 1.9.4 pins frozendict 1.2, which imports collections.Mapping (gone since Python 3.10).
# The alias is all frozendict 1.2 needs to work on 3.10-3.13.
if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping  # type: ignore[attr-defined]

from experta import AS, NOT, KnowledgeEngine, P
from experta import Fact as ExpertaFact
from experta import Rule as ExpertaRule
from experta.fact import InitialFact
from experta.matchers import ReteMatcher
from experta.matchers.rete.utils import extract_facts

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
from .matching import Absent, Every, Node, Pattern, node, stage_node
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


Literal: TypeAlias = Pattern | Absent  # an Absent here always holds a Pattern


def flat(item: Node) -> list[list[Literal]]:
    """A pattern node in disjunctive normal form: alternatives, each a conjunction of patterns and absences.

    Patterns never share variables, so "no A-and-B" is "no A, or no B" (De Morgan) and every alternative
    is a flat list experta can wire directly."""
    if isinstance(item, Pattern):
        return [[item]]
    if isinstance(item, Every):
        out: list[list[Literal]] = [[]]
        for part in item.parts:
            out = [[*left, *right] for left in out for right in flat(part)]
        return out
    inner = item.inner
    if isinstance(inner, Pattern):
        return [[item]]
    if isinstance(inner, Absent):
        return flat(inner.inner)
    return [alt for part in inner.parts for alt in flat(Absent(part))]


def _pattern(item: Literal, name: str | None) -> Any:
    """A literal as an experta pattern; a positive one bound to NAME so the action sees what matched."""
    if isinstance(item, Absent):
        return NOT(_pattern(item.inner, None))  # type: ignore[arg-type]
    tests = {key: (P(test) if callable(test) else test) for key, test in item.tests}
    pattern = _CLASSES[item.kind](**tests)
    return pattern if name is None else getattr(AS, name) << pattern


def _lhs_variants(rule: Rule) -> list[list[Any]]:
    """The rule's patterns in disjunctive normal form: one flat list per alternative (`any` branches, and the
    alternatives a negated `all` opens). Each becomes its own experta rule with the same action, already
    flat, so experta has no normal form left to compute (that is most of its start-up cost)."""
    stage = stage_node(rule)
    head = [] if stage is None else [_pattern(lit, None) for lit in flat(stage)[0]]  # tested, not reported
    alternatives: list[list[Literal]] = [[]]
    for cond in rule.when:
        alternatives = [[*a, *b] for a in alternatives for b in flat(node(cond))]
    if rule.any:
        alternatives = [[*a, *b] for a in alternatives for c in rule.any for b in flat(node(c))]
    out = [[*head, *(_pattern(lit, f"c{i}") for i, lit in enumerate(alt))] for alt in alternatives]
    return [lhs or [_CLASSES[ContextFact](field="stage")] for lhs in out]


class FlatReteMatcher(ReteMatcher):  # type: ignore[misc]
    """experta's Rete matcher for rules that are already flat conjunctions (see `_lhs_variants`): it skips
    the normal-form rewriting experta would repeat on every rule, and otherwise prepares each rule as
    experta does (an InitialFact first when the rule starts with a negation or has no fact)."""

    @staticmethod
    def prepare_ruleset(engine: KnowledgeEngine) -> set[Any]:
        prepared = set()
        for rule in engine.get_rules():
            if not rule:
                prepared.add(rule.new_conditions(InitialFact()))
            elif isinstance(rule[0], NOT) or not extract_facts(rule):
                prepared.add(rule.new_conditions(InitialFact(), *rule))
            else:
                prepared.add(rule.new_conditions(*rule))  # a copy unbound from any engine, as experta makes
        return prepared


class _Engine(KnowledgeEngine):  # type: ignore[misc]
    __matcher__ = FlatReteMatcher
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
