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
from experta.strategies import DepthStrategy

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
from .matching import Absent, Every, Node, Pattern, holds, node, stage_node
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
    typed: Fact = kind(**{name: fact.get(name) for name in _FIELDS[kind]})
    return typed


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


def alternatives(rule: Rule) -> list[list[Literal]]:
    """The rule's conditions in disjunctive normal form: one flat list of literals per way it can fire (its
    `any` branches, and the alternatives a negated `all` opens)."""
    out: list[list[Literal]] = [[]]
    for cond in rule.when:
        out = [[*a, *b] for a in out for b in flat(node(cond))]
    if rule.any:
        out = [[*a, *b] for a in out for c in rule.any for b in flat(node(c))]
    return out


def _lhs(rule: Rule, alternative: list[Literal]) -> list[Any]:
    """One alternative as experta patterns, after the rule's stage test (tested, not reported)."""
    stage = stage_node(rule)
    head = [] if stage is None else [_pattern(lit, None) for lit in flat(stage)[0]]
    lhs = [*head, *(_pattern(lit, f"c{i}") for i, lit in enumerate(alternative))]
    return lhs or [_CLASSES[ContextFact](field="stage")]


def possible(rule: Rule, alternative: list[Literal], base: list[Fact]) -> bool:
    """Whether this alternative can fire on these facts: every literal about the answers holds (they do not
    change during a run); only literals about derived facts are left open."""
    stage = stage_node(rule)
    if stage is not None and not holds(stage, base):
        return False
    for literal in alternative:
        pattern = literal.inner if isinstance(literal, Absent) else literal
        if isinstance(pattern, Pattern) and pattern.kind is DerivedFact:
            continue
        if holds(pattern, base) == isinstance(literal, Absent):
            return False
    return True


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

    def changes(self, adding: Any = None, deleting: Any = None) -> tuple[list[Any], list[Any]]:
        """As experta's, but asking only the conflict-set nodes that have activations to give: experta calls
        this after every firing and empties every node (two new sets each), a fifth of a warm run's time."""
        for fact in deleting or ():
            self.root_node.remove(fact)
        for fact in adding or ():
            self.root_node.add(fact)
        added: list[Any] = []
        removed: list[Any] = []
        for conflict_set in self._get_conflict_set_nodes():
            if conflict_set.added or conflict_set.removed:
                more, fewer = conflict_set.get_activations()
                added.extend(more)
                removed.extend(fewer)
        return added, removed


class CanonicalStrategy(DepthStrategy):  # type: ignore[misc]
    """experta's depth strategy (salience, then the newest facts first), with ties broken by the rule's place
    in the knowledge base rather than by the shape of the network: the same facts fire the rules in the same
    order whichever rules a network holds, so a network built for one assessment and the full one agree."""

    def get_key(self, activation: Any) -> tuple[Any, ...]:
        salience, facts = super().get_key(activation)
        return salience, facts, -getattr(activation.rule._wrapped, "order", 0)


class _Engine(KnowledgeEngine):  # type: ignore[misc]
    __matcher__ = FlatReteMatcher
    __strategy__ = CanonicalStrategy
    trace: list[Firing]
    concluded: set[str]
    activations: int = 0


def _rhs(rule: Rule, order: int) -> Callable[..., None]:
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
    fire.order = order  # type: ignore[attr-defined]  # its place in the knowledge base (CanonicalStrategy)
    return fire


class CompiledRules:
    """Every rule as experta rules, one per alternative, built on demand and kept."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        strata = levels(self.rules)
        top = max(strata.values(), default=0)
        # derive rules fire first, lower strata before higher; findings after every derivation
        self.salience = {rule.id: (1000 - 10 * strata[rule.id] if rule.kind == "derive"
                                   else -10 * (strata[rule.id] - top)) for rule in self.rules}
        self.alternatives = [alternatives(rule) for rule in self.rules]
        self._actions: dict[int, Callable[..., None]] = {}
        self._built: dict[tuple[int, int], Any] = {}
        self._lock = threading.Lock()

        self._read = self._what_rules_read()

    def _what_rules_read(self) -> tuple[set[tuple[type, Any]], set[type]]:
        """Which facts any rule could match: (kind, identifying value) pairs, and kinds matched whole."""
        keyed: set[tuple[type, Any]] = set()
        whole: set[type] = set()
        for rule, alts in zip(self.rules, self.alternatives, strict=True):
            stage = stage_node(rule)
            for literal in [*(flat(stage)[0] if stage else []), *(lit for alt in alts for lit in alt)]:
                pattern = literal.inner if isinstance(literal, Absent) else literal
                assert isinstance(pattern, Pattern)
                first = pattern.tests[0] if pattern.tests else None
                if first is None or callable(first[1]):
                    whole.add(pattern.kind)
                else:
                    keyed.add((pattern.kind, first[1]))
        return keyed, whole

    def read_by_rules(self, facts: list[Fact]) -> list[Fact]:
        """The facts some rule could match, in their order (the rest would only slow the network down)."""
        keyed, whole = self._read
        return [f for f in facts if type(f) in whole
                or (type(f), getattr(f, dataclasses.fields(f)[0].name)) in keyed]

    def every(self) -> frozenset[tuple[int, int]]:
        return frozenset((i, b) for i, alts in enumerate(self.alternatives) for b in range(len(alts)))

    def possible(self, base: list[Fact]) -> frozenset[tuple[int, int]]:
        """The alternatives that can fire on these facts (the others never will: see `possible`)."""
        return frozenset((i, b) for i, rule in enumerate(self.rules)
                         for b, alt in enumerate(self.alternatives[i]) if possible(rule, alt, base))

    def engine_class(self, keys: frozenset[tuple[int, int]]) -> type[_Engine]:
        attrs: dict[str, Any] = {}
        with self._lock:
            for i, b in sorted(keys):
                if (i, b) not in self._built:
                    rule = self.rules[i]
                    action = self._actions.setdefault(i, _rhs(rule, i))
                    lhs = _lhs(rule, self.alternatives[i][b])
                    self._built[(i, b)] = ExpertaRule(*lhs, salience=self.salience[rule.id])(action)
                attrs[f"r{i}_{b}"] = self._built[(i, b)]
        return type("CompiledRules", (_Engine,), attrs)


def compile_rules(rules: Sequence[Rule]) -> CompiledRules:
    return CompiledRules(rules)


class ExpertaEngine:
    """The rules compiled for experta, and the networks that run them, each run with its own working memory.

    Building a Rete network is experta's big cost, and it grows with the rules it holds. So a run first gets
    a network of only the rules that can fire on its facts (a few dozen of some two hundred); once the process
    has run several assessments (a batch, the nine options), one network of every rule is built and pooled.
    Both fire the same rules in the same order (CanonicalStrategy), so which one ran never shows."""

    FULL_AFTER = 3  # runs on per-assessment networks before the full one pays for itself

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self._compiled = compile_rules(self.rules)
        self._full: type[_Engine] | None = None
        self._idle: list[_Engine] = []
        self._runs = 0
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build the full network now (before many runs), so that no run pays for it."""
        self._release(self._full_class()())

    def _full_class(self) -> type[_Engine]:
        with self._lock:
            if self._full is None:
                self._full = self._compiled.engine_class(self._compiled.every())
            return self._full

    def _acquire(self, base: list[Fact]) -> _Engine:
        with self._lock:
            self._runs += 1
            if self._idle:
                return self._idle.pop()
            full, many = self._full, self._runs > self.FULL_AFTER
        if full is not None or many:
            return self._full_class()()
        return self._compiled.engine_class(self._compiled.possible(base))()

    def _release(self, engine: _Engine) -> None:
        with self._lock:
            if self._full is not None and type(engine) is self._full:
                self._idle.append(engine)  # only full networks are worth keeping

    def _start(self, facts: FactSet) -> _Engine:
        base = self._compiled.read_by_rules(facts_of(facts))
        engine = self._acquire(base)
        engine.reset()
        engine.trace = []
        engine.concluded = set()
        engine.activations = 0
        # One declare for the whole batch: experta recomputes the agenda after each declare call,
        # so declaring facts one by one costs (facts x rules); in one call it is paid once.
        engine.declare(*(_to_experta(f) for f in base))
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
