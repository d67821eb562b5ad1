"""Turn the engine's firings into numbered steps that show how each conclusion feeds the next (pure).

A trainer steps through these one at a time (`peeradvisor scenarios run NAME --step`); `why` walks the
same links backwards from a finding to the answers it rests on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.describe import describe_fact, negated_reasons
from ..engine import DerivedFact, Firing
from ..facts import FactSet
from ..kb.loader import KnowledgeBase


@dataclass(frozen=True)
class Link:
    """A derived fact a step used, and the step that concluded it."""

    name: str
    by: str  # the rule that concluded it
    step: int | None  # its step number (None if it was concluded outside this trace)


@dataclass(frozen=True)
class Step:
    """One rule firing, in words: what matched, what it used from earlier steps, what it concluded."""

    number: int
    rule_id: str
    kind: str
    title: str
    matched: tuple[str, ...]  # the answers that matched, described
    links: tuple[Link, ...]  # derived facts concluded at earlier steps
    holds: tuple[str, ...] = ()  # negative conditions, which hold because nothing matched them
    concluded: str | None = None  # the derived fact this step added (derive rules only)
    used_by: tuple[int, ...] = field(default=())  # later steps that used what this step concluded
    repeat: bool = False  # the same rule fired before, on another combination of facts
    already: int | None = None  # the step that first concluded the same fact (a repeat adds nothing new)


def build_steps(firings: Iterable[Firing], kb: KnowledgeBase, facts: FactSet) -> list[Step]:
    """Number the firings in the order the engine made them and link each derived fact to its source."""
    concluded_at: dict[tuple[str, str], int] = {}
    seen_rules: set[str] = set()
    drafts: list[Step] = []
    for number, firing in enumerate(firings, start=1):
        rule = kb.rule(firing.rule_id)
        matched: list[str] = []
        links: list[Link] = []
        for fact in firing.matched:
            if isinstance(fact, DerivedFact):
                key = (fact.name, fact.by)
                links.append(Link(key[0], key[1], concluded_at.get(key)))
            else:
                text = describe_fact(fact, facts)
                if text not in matched:
                    matched.append(text)
        key = (firing.concluded or "", firing.rule_id)
        already = concluded_at.get(key) if firing.concluded else None
        drafts.append(Step(number, rule.id, rule.kind, rule.title, tuple(matched), tuple(links),
                           tuple(negated_reasons(rule)), firing.concluded, (), rule.id in seen_rules,
                           already))
        seen_rules.add(rule.id)
        if firing.concluded:
            concluded_at.setdefault(key, number)
    return _with_forward_links(drafts)


def _with_forward_links(steps: list[Step]) -> list[Step]:
    users: dict[int, list[int]] = {}
    for step in steps:
        for link in step.links:
            if link.step is not None:
                users.setdefault(link.step, []).append(step.number)
    return [Step(s.number, s.rule_id, s.kind, s.title, s.matched, s.links, s.holds, s.concluded,
                 tuple(sorted(set(users.get(s.number, [])))), s.repeat, s.already) for s in steps]


def steps_for(steps: list[Step], rule_id: str) -> list[Step]:
    return [s for s in steps if s.rule_id == rule_id]


def ancestors(steps: list[Step], rule_id: str) -> list[Step]:
    """Every step that concluded something the rule's firings built on, nearest first (no repeats)."""
    by_number = {s.number: s for s in steps}
    out: list[Step] = []
    queue = [link.step for s in steps_for(steps, rule_id) for link in s.links]
    seen: set[int] = set()
    while queue:
        number = queue.pop(0)
        if number is None or number in seen:
            continue
        seen.add(number)
        step = by_number[number]
        out.append(step)
        queue.extend(link.step for link in step.links)
    return out


def link_text(link: Link) -> str:
    """`uses barrier.x concluded at step 3 (rule-id)`"""
    where = f"concluded at step {link.step}" if link.step is not None else "concluded earlier"
    return f"uses {link.name} {where} ({link.by})"


def step_data(step: Step) -> dict[str, object]:
    """A step as plain data for JSON output."""
    return {
        "step": step.number, "rule": step.rule_id, "kind": step.kind, "title": step.title,
        "matched": list(step.matched), "holds": list(step.holds),
        "uses": [{"name": x.name, "by": x.by, "step": x.step} for x in step.links],
        "concluded": step.concluded, "already": step.already, "used_by": list(step.used_by),
    }
