"""Read the engine's trace: which answers each derived fact rests on, and why each finding was given."""

from __future__ import annotations

from collections import OrderedDict

from ..engine import DerivedFact, Fact, Firing
from ..facts import FactSet
from ..kb.loader import KnowledgeBase
from ..kb.models import Rule
from .describe import describe_fact, negated_reasons

Key = tuple[str, str]  # (derived fact, the rule that concluded it)


def _direct(firings: list[Firing]) -> dict[Key, list[Fact]]:
    direct: dict[Key, list[Fact]] = {}
    for firing in firings:
        if firing.concluded:
            direct.setdefault((firing.concluded, firing.rule_id), []).extend(firing.matched)
    return direct


def _leaves(start: list[Fact], direct: dict[Key, list[Fact]]) -> list[Fact]:
    """The answers under these facts, derived facts followed through every chain (iteratively)."""
    out: list[Fact] = []
    seen: set[Key] = set()
    stack = list(reversed(start))
    while stack:
        fact = stack.pop()
        if isinstance(fact, DerivedFact):
            key = (fact.name, fact.by)
            if key not in seen:
                seen.add(key)
                stack.extend(reversed(direct.get(key, [])))
        elif fact not in out:
            out.append(fact)
    return out


def derived_leaves(firings: list[Firing]) -> dict[Key, list[Fact]]:
    """For each derived fact (name, rule), the answers it rests on, followed through every chain."""
    direct = _direct(firings)
    return {key: _leaves(facts, direct) for key, facts in direct.items()}


def derivations(firings: list[Firing], facts: FactSet) -> dict[Key, list[str]]:
    """As `derived_leaves`, each answer described (the analyst's wording)."""
    return {key: [describe_fact(f, facts) for f in leaves] for key, leaves in derived_leaves(firings).items()}


def finding_leaves(firings: list[Firing], leaves: dict[Key, list[Fact]]) -> list[Fact]:
    """The answers a finding's firings rest on: what they matched, derived facts followed down."""
    out: list[Fact] = []
    for firing in firings:
        for fact in firing.matched:
            below = leaves.get((fact.name, fact.by), []) if isinstance(fact, DerivedFact) else [fact]
            out.extend(f for f in below if f not in out)
    return out


def because(rule: Rule, firings: list[Firing], facts: FactSet,
            leaves: dict[Key, list[Fact]]) -> tuple[list[str], list[str]]:
    """The analyst's `because` lines (field paths, derived facts and what they rest on) and the chain."""
    lines: OrderedDict[str, None] = OrderedDict()
    chain: OrderedDict[str, None] = OrderedDict()
    for firing in firings:
        for fact in firing.matched:
            text = describe_fact(fact, facts)
            if isinstance(fact, DerivedFact):
                chain[fact.name] = None
                basis = leaves.get((fact.name, fact.by))
                if basis:
                    text += ", from: " + "; ".join(describe_fact(f, facts) for f in basis)
            lines[text] = None
    for text in negated_reasons(rule):
        lines[text] = None
    return list(lines), list(chain)


def replaced(rule: Rule, fired: dict[str, list[Firing]], kb: KnowledgeBase) -> list[str]:
    """The general findings, also given by the rules, that this more specific one stands in for."""
    out: list[str] = []
    todo = list(rule.supersedes)
    while todo:
        old = todo.pop(0)
        if old in fired and old not in out:
            out.append(old)
            todo.extend(kb.rule(old).supersedes)
    return out
