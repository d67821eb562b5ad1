"""Re-run only what a changed answer touches: a pure-Python evaluator over the engine's own patterns.

The inference engine runs the whole rule set once per assessment. Asking "and if this answer were X?" for
every unanswered question that way would cost one full run per answer, so this module starts from that run
and re-evaluates only the rules that read a fact that changed: directly (a rule reads the facts its patterns
name: a context field, a measure, an item, a derived fact), or through a derived fact whose producer now
fires or no longer does. It keeps the engine's semantics (`matching.py` defines every condition): rules are
visited in strata order, derive rules stratum by stratum and findings after every derivation, so a rule that
tests for the absence of a derived fact sees it settled; a rule fires when its stage, each `when` and one of
its `any` hold. tests/test_questions.py checks the result against full engine runs.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..facts import FactSet
from ..kb.conditions import ItemCondition, MeasureCondition, walk
from ..kb.models import Rule
from ..kb.shared import PerKb
from .base import Firing
from .facts import ContextFact, DerivedFact, DivergentFact, Fact, GroupAnswerFact, ItemFact, MeasureFact, facts_of
from .matching import Absent, Every, Node, Pattern, node, stage_node
from .strata import levels

Key = tuple[type, Any]  # (fact type, the value of its key field); (type, None) stands for every fact of a type
Lookup = Callable[[Key], Sequence[Fact]]

# The field that tells facts of a type apart: every pattern tests it for equality (DivergentFact may not).
KEY_FIELD: dict[type, str] = {ContextFact: "field", MeasureFact: "name", ItemFact: "id", GroupAnswerFact: "item",
                              DivergentFact: "item", DerivedFact: "name"}


def fact_keys(fact: Fact) -> tuple[Key, Key]:
    kind = type(fact)
    return (kind, getattr(fact, KEY_FIELD[kind])), (kind, None)


def pattern_key(pattern: Pattern) -> Key:
    wanted = KEY_FIELD[pattern.kind]
    for name, test in pattern.tests:
        if name == wanted and not callable(test):
            return pattern.kind, test
    return pattern.kind, None


@dataclass(frozen=True)
class _Leaf:
    key: Key
    pattern: Pattern


@dataclass(frozen=True)
class _Not:
    inner: _Node


@dataclass(frozen=True)
class _All:
    parts: tuple[_Node, ...]


_Node = _Leaf | _Not | _All


def _compile(item: Node) -> _Node:
    if isinstance(item, Absent):
        return _Not(_compile(item.inner))
    if isinstance(item, Every):
        return _All(tuple(_compile(part) for part in item.parts))
    return _Leaf(pattern_key(item), item)


def holds(item: _Node, lookup: Lookup) -> bool:
    """`matching.holds`, looking only at the facts that share the pattern's key."""
    if isinstance(item, _Leaf):
        matches = item.pattern.matches
        return any(matches(fact) for fact in lookup(item.key))
    if isinstance(item, _Not):
        return not holds(item.inner, lookup)
    return all(holds(part, lookup) for part in item.parts)


class _Compiled:
    """A rule as parts: its stage and `when` parts must all hold, and one of its `any` parts (if it has any)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        stage = stage_node(rule)
        required = ([_compile(stage)] if stage else []) + [_compile(node(c)) for c in rule.when]
        self.parts: tuple[_Node, ...] = (*required, *(_compile(node(c)) for c in rule.any))
        self.required = len(required)
        self.keys = tuple(frozenset(leaf.key for leaf in _leaves(part)) for part in self.parts)

    def truths(self, lookup: Lookup) -> tuple[bool, ...]:
        """Whether each part holds."""
        return tuple(holds(part, lookup) for part in self.parts)

    def fires(self, lookup: Lookup, before: tuple[bool, ...], touched: set[Key]) -> bool:
        """Whether the rule fires, re-checking only the parts that read a touched key (the others hold or not
        as they did BEFORE)."""
        changed = [not keys.isdisjoint(touched) for keys in self.keys]
        required = range(self.required)
        if any(not changed[i] and not before[i] for i in required):
            return False  # a part the change does not reach already fails
        if not all(holds(self.parts[i], lookup) for i in required if changed[i]):
            return False
        options = range(self.required, len(self.parts))
        if not options:
            return True
        return any(before[i] for i in options if not changed[i]) or \
            any(holds(self.parts[i], lookup) for i in options if changed[i])


def _leaves(item: _Node) -> Iterable[_Leaf]:
    if isinstance(item, _Leaf):
        yield item
    elif isinstance(item, _Not):
        yield from _leaves(item.inner)
    else:
        for part in item.parts:
            yield from _leaves(part)


class Network:
    """The rules in strata order, each compiled to patterns, and which rules read which facts."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        strata = levels(rules)
        ordered = sorted(rules, key=lambda r: (r.kind != "derive", strata[r.id] if r.kind == "derive" else 0))
        self.rules = tuple(_Compiled(r) for r in ordered)
        self.position = {c.rule.id: i for i, c in enumerate(self.rules)}
        readers: dict[Key, set[int]] = {}
        for i, compiled in enumerate(self.rules):
            for key in frozenset().union(*compiled.keys):
                readers.setdefault(key, set()).add(i)
        self.readers = {key: tuple(sorted(found)) for key, found in readers.items()}
        self.bounds = _measure_bounds(rules)
        self.happening = _happening_tests(rules)
        self.derive = frozenset(r.id for r in rules if r.kind == "derive")
        self.kinds: dict[str, str] = {r.id: r.kind for r in rules}
        self.supersedes = {r.id: tuple(r.supersedes) for r in rules if r.supersedes}

    def reads(self, key: Key) -> bool:
        return key in self.readers

    def alike(self, item_id: str, a: str, b: str) -> bool:
        """Whether two answers to 'is it happening?' that do not pool as yes, partly or no (don't know, not
        relevant) look the same to every condition on this item."""
        return all((a in tested) == (b in tested) for tested in self.happening.get(item_id, ()))


def _happening_tests(rules: Sequence[Rule]) -> dict[str, frozenset[frozenset[str]]]:
    """For each item, the sets of answers to 'is it happening?' its conditions test for."""
    out: dict[str, set[frozenset[str]]] = {}
    for rule in rules:
        for cond in (*rule.when, *rule.any):
            for _, part in walk(cond):
                if isinstance(part, ItemCondition) and part.happening is not None:
                    out.setdefault(part.item, set()).add(frozenset(part.happening))
    return {item: frozenset(tests) for item, tests in out.items()}


def _measure_bounds(rules: Sequence[Rule]) -> dict[str, tuple[float, ...]]:
    """Every bound a rule compares each measure with (where numbers change what the rules say)."""
    out: dict[str, set[float]] = {}
    for rule in rules:
        for cond in (*rule.when, *rule.any):
            for _, part in walk(cond):
                if isinstance(part, MeasureCondition):
                    out.setdefault(part.measure, set()).add(part.comparison()[1])
    return {name: tuple(sorted(values)) for name, values in out.items()}


@dataclass(frozen=True)
class Memory:
    """One engine run, indexed: the facts it was given, the derived facts it concluded, the rules that fired,
    and (filled as needed) whether each part of each rule held."""

    given: frozenset[Fact]
    index: dict[Key, tuple[Fact, ...]]
    fired: frozenset[str]
    _truths: dict[int, tuple[bool, ...]] = field(default_factory=dict, compare=False, repr=False)

    def truths(self, net: Network, position: int) -> tuple[bool, ...]:
        found = self._truths.get(position)
        if found is None:
            found = self._truths[position] = net.rules[position].truths(lambda key: self.index.get(key, ()))
        return found


def memory(facts: FactSet, firings: Iterable[Firing]) -> Memory:
    """The working memory at the end of a run, from the engine's own trace."""
    given = facts_of(facts)
    fired: set[str] = set()
    derived: dict[DerivedFact, None] = {}
    for firing in firings:
        fired.add(firing.rule_id)
        if firing.concluded:
            derived[DerivedFact(firing.concluded, firing.rule_id)] = None
    index: dict[Key, list[Fact]] = {}
    for fact in (*given, *derived):
        for key in fact_keys(fact):
            index.setdefault(key, []).append(fact)
    return Memory(frozenset(given), {k: tuple(v) for k, v in index.items()}, frozenset(fired))


@dataclass(frozen=True)
class Rerun:
    """What changed: rules that fire now and did not, rules that no longer fire, and the facts that differ."""

    started: frozenset[str]
    stopped: frozenset[str]
    changed: frozenset[Fact]  # given facts added or removed

    def fired(self, before: frozenset[str]) -> frozenset[str]:
        return (before - self.stopped) | self.started


class _Overlay:
    """The run's working memory with a change laid over it: for each key the change touches, the facts now."""

    def __init__(self, net: Network, base: Memory, removed: frozenset[Fact], added: frozenset[Fact]) -> None:
        self.base = base
        # only keys some rule reads are ever looked up (derived facts are added as they change)
        self.touched = {key for fact in removed | added for key in fact_keys(fact) if key in net.readers}
        self.facts: dict[Key, list[Fact]] = {key: [f for f in base.index.get(key, ()) if f not in removed]
                                             for key in self.touched}
        for fact in added:
            for key in fact_keys(fact):
                if key in self.touched:
                    self.facts[key].append(fact)

    def lookup(self, key: Key) -> Sequence[Fact]:
        found = self.facts.get(key)
        return found if found is not None else self.base.index.get(key, ())

    def derive(self, fact: DerivedFact, present: bool) -> tuple[Key, Key]:
        """Add or withdraw a derived fact; the keys it touches."""
        keys = fact_keys(fact)
        for key in keys:
            current = [f for f in self.lookup(key) if f != fact]
            self.facts[key] = [*current, fact] if present else current
            self.touched.add(key)
        return keys


def rerun(net: Network, base: Memory, old: Iterable[Fact], new: Iterable[Fact]) -> Rerun:
    """Re-evaluate only the rules a change reaches, in strata order: OLD are the given facts about what changed
    (as in BASE), NEW the same facts after the change (e.g. the context and measures, and one item's facts)."""
    removed, added = frozenset(old), frozenset(new)
    changed = removed ^ added
    if not changed:
        return Rerun(frozenset(), frozenset(), changed)
    memory = _Overlay(net, base, removed - added, added - removed)
    todo = sorted({i for key in memory.touched for i in net.readers.get(key, ())})
    queued = set(todo)
    started: set[str] = set()
    stopped: set[str] = set()
    while todo:
        position = heapq.heappop(todo)
        rule = net.rules[position].rule
        now = net.rules[position].fires(memory.lookup, base.truths(net, position), memory.touched)
        if now == (rule.id in base.fired):
            continue
        (started if now else stopped).add(rule.id)
        if rule.concludes:  # rules that read it come later in strata order
            for key in memory.derive(DerivedFact(rule.concludes, rule.id), now):
                for later in net.readers.get(key, ()):
                    if later not in queued:
                        queued.add(later)
                        heapq.heappush(todo, later)
    return Rerun(frozenset(started), frozenset(stopped), changed)


# The rules of a knowledge base compiled for re-evaluation, built once and shared.
network_for: PerKb[Network] = PerKb(lambda kb: Network(kb.rules))
