"""What every inference engine offers: run the rules over an assessment's facts, at once or a step at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..facts import FactSet
from .facts import DerivedFact, Fact


@dataclass(frozen=True)
class Firing:
    """One rule firing: which rule, the facts that matched its conditions, and what it concluded."""

    rule_id: str
    matched: tuple[Fact, ...]
    concluded: str | None = None

    def derived(self) -> tuple[DerivedFact, ...]:
        return tuple(f for f in self.matched if isinstance(f, DerivedFact))


@runtime_checkable
class RuleEngine(Protocol):
    """A compiled rule set. Each call is one run with its own working memory, so calls may overlap
    (threads, or a step-through left half way while another assessment runs)."""

    def run(self, facts: FactSet) -> list[Firing]:
        """Every firing, in the order the rules fired."""
        ...

    def steps(self, facts: FactSet) -> Iterator[Firing]:
        """The same firings, yielded one at a time as the engine makes them."""
        ...
