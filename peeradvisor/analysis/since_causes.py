"""Why a finding appeared or went between two assessments: which answers changed under it. Pure: no I/O.

An assessment's answers are read as a flat *state*: one key per thing a rule can test (a context answer,
an item's pooled answer, its importance, its top-three count, one group's answers, a disagreement, how many
people answered). A finding's cause is, in this order: the keys under the facts it rests on that differ
(`core.trace`), else the keys its rule's conditions mention, negated and derived ones included, that differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .. import vocab
from ..engine import ContextFact, DivergentFact, Fact, GroupAnswerFact, ItemFact, MeasureFact
from ..facts import FactSet
from ..kb.conditions import (
    AnyCondition,
    ContextCondition,
    DerivedCondition,
    DivergentCondition,
    ItemCondition,
    MeasureCondition,
    walk,
)
from ..kb.loader import KnowledgeBase

Key = tuple[str, ...]
ChangeKind = Literal["context", "item", "importance", "top3", "group", "disagreement", "respondents"]
CONTEXT_ORDER = {field: n for n, field in enumerate(vocab.CONTEXT_FIELDS)}
_MEASURE_KEYS: dict[str, tuple[Key, ...]] = {
    "team_size": (("context", "team_size"),), "peer_workers": (("context", "peer_workers"),),
    "peer_share": (("context", "team_size"), ("context", "peer_workers")),
    "respondents": (("respondents",),), "groups": (("respondents",),), "items_answered": (("respondents",),),
}


class AnswerChange(BaseModel):
    """One answer that differs between the earlier assessment and this one (None: not given then / now)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ChangeKind
    field: str | None = None  # context field, as in the answers file: "supervision.one_to_one"
    item: str | None = None  # inventory item id
    group: str | None = None  # the stakeholder group whose answers changed
    before: Any = None
    after: Any = None


def state(facts: FactSet) -> dict[Key, Any]:
    """Everything a rule can test about an assessment, one key each."""
    out: dict[Key, Any] = {("context", field): value for field, value in facts.context.items()}
    for item_id, s in facts.items.items():
        out[("item", item_id)] = s.happening
        out[("importance", item_id)] = s.importance
        out[("top3", item_id)] = s.top3 or None
        out[("divergent", item_id)] = s.divergent or None
        for group, answers in s.group_answers.items():
            out[("group", item_id, group)] = "/".join(sorted(answers))
    out[("respondents",)] = int(facts.measures.get("respondents", 0))
    return out


def fact_keys(fact: Fact) -> tuple[Key, ...]:
    """The state keys an engine fact stands on."""
    if isinstance(fact, ContextFact):
        return (("context", fact.field),)
    if isinstance(fact, ItemFact):
        return (("item", fact.id), ("importance", fact.id), ("top3", fact.id))
    if isinstance(fact, GroupAnswerFact):
        return (("group", fact.item, fact.group),)
    if isinstance(fact, DivergentFact):
        return (("divergent", fact.item),)
    if isinstance(fact, MeasureFact):
        return _MEASURE_KEYS.get(fact.name, ())
    return ()  # a derived fact: its leaves are followed by core.trace


def _condition_keys(cond: AnyCondition, kb: KnowledgeBase, seen: set[str]) -> list[Key]:
    out: list[Key] = []
    for _, c in walk(cond):
        if isinstance(c, ContextCondition):
            out.append(("context", c.context))
        elif isinstance(c, MeasureCondition):
            out.extend(_MEASURE_KEYS.get(c.measure, ()))
        elif isinstance(c, ItemCondition):
            if c.group is not None:
                out.append(("group", c.item, c.group))
            else:
                out += [("item", c.item)] if c.happening is not None else []
                out += [("importance", c.item)] if c.importance_ge is not None or c.importance_le is not None else []
                out += [("top3", c.item)] if c.top3 is not None else []
        elif isinstance(c, DivergentCondition):
            out.append(("divergent", c.divergent))
        elif isinstance(c, DerivedCondition) and c.derived not in seen:
            seen.add(c.derived)
            for rule in kb.rules:
                if rule.concludes == c.derived:
                    out += rule_keys(rule.id, kb, seen)
    return out


def rule_keys(rule_id: str, kb: KnowledgeBase, seen: set[str] | None = None) -> list[Key]:
    """Every state key the rule's conditions mention (negated ones and those of derived facts included)."""
    rule = kb.rule(rule_id)
    seen = set() if seen is None else seen
    out: list[Key] = [("context", "stage")] if set(rule.stages) != set(vocab.STAGES) else []
    for cond in [*rule.when, *rule.any]:
        out += _condition_keys(cond, kb, seen)
    return out


def _differs(key: Key, before: dict[Key, Any], after: dict[Key, Any]) -> bool:
    if key == ("divergent", "any"):
        return any(k[0] == "divergent" and before.get(k) != after.get(k) for k in {*before, *after})
    return before.get(key) != after.get(key)


def _change(key: Key, before: dict[Key, Any], after: dict[Key, Any]) -> list[AnswerChange]:
    if key == ("divergent", "any"):
        keys = sorted(k for k in {*before, *after} if k[0] == "divergent" and before.get(k) != after.get(k))
        return [c for k in keys for c in _change(k, before, after)]
    old, new = before.get(key), after.get(key)
    kind = key[0]
    if kind == "context":
        return [AnswerChange(kind="context", field=key[1], before=old, after=new)]
    if kind == "group":
        return [AnswerChange(kind="group", item=key[1], group=key[2], before=old, after=new)]
    if kind == "respondents":
        return [AnswerChange(kind="respondents", before=old, after=new)]
    named: dict[str, ChangeKind] = {"item": "item", "importance": "importance", "top3": "top3",
                                    "divergent": "disagreement"}
    return [AnswerChange(kind=named[kind], item=key[1], before=old, after=new)]


def changes_among(keys: Iterable[Key], before: dict[Key, Any], after: dict[Key, Any]) -> list[AnswerChange]:
    """The changes of these keys, each once, in the order given."""
    out: list[AnswerChange] = []
    for key in dict.fromkeys(keys):
        if _differs(key, before, after):
            out += [c for c in _change(key, before, after) if c not in out]
    return out


def listed_changes(before: dict[Key, Any], after: dict[Key, Any]) -> list[AnswerChange]:
    """The changes a reader is shown: context answers (in the contract's order), how many people answered,
    and each item's pooled answer (in the study's order). Importance, top-three and group answers stay out:
    they are named only where they explain a finding."""
    context = sorted({k for k in (*before, *after) if k[0] == "context"}, key=lambda k: CONTEXT_ORDER.get(k[1], 99))
    items = [("item", i) for i in vocab.ITEM_IDS]
    changes = changes_among([*context, ("respondents",), *items], before, after)
    return [c for c in changes if not _follows_employer(c, changes)]


def _follows_employer(change: AnswerChange, changes: list[AnswerChange]) -> bool:
    """A partner or leadership answer that came or went only because the employer (or partner) changed: the
    contract reads it only where it applies, so it is no news of its own."""
    if change.field not in ("partner", "led_by") or None not in (change.before, change.after):
        return False
    return any(c.field in ("employer", "partner") and c is not change for c in changes)


def cause_changes(rule_id: str, leaves: list[Fact], kb: KnowledgeBase,
                  before: dict[Key, Any], after: dict[Key, Any]) -> list[AnswerChange]:
    """The answer changes that explain why a rule's finding is given on one side and not on the other.

    LEAVES are the facts the finding rests on on the side where it was given; BEFORE and AFTER are the
    earlier and the present state."""
    tested = rule_keys(rule_id, kb)
    under = [k for fact in leaves for k in fact_keys(fact)]
    for keys in ([k for k in under if k in set(tested)], under, tested):  # what the rule tests first
        found = changes_among(keys, before, after)
        if found:
            return found
    return []
