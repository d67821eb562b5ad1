"""The knowledge base as data: each rule for `rules --format json`, and what the rules reach of the study."""

from __future__ import annotations

from typing import Any

from .. import vocab
from ..core.describe import describe_condition
from ..kb import KnowledgeBase, Rule
from ..kb.checks import rule_conditions
from ..kb.conditions import item_of
from ..kb.evidence_check import CHAPTER5_SECTIONS, norm


def rule_data(rule: Rule, kb: KnowledgeBase) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id, "kind": rule.kind, "title": rule.title, "advice": rule.advice.strip(),
        "strength": rule.strength, "stages": list(rule.stages), "themes": list(rule.themes),
        "items": [i.model_dump() for i in rule.items],
        "evidence": [e.model_dump(exclude_none=True) for e in rule.evidence],
        "when": [describe_condition(c) for c in rule.when],
        "any": [describe_condition(c) for c in rule.any],
        "file": kb.rule_files.get(rule.id, ""),
    }
    if rule.concludes:
        data["concludes"] = rule.concludes
    if rule.supersedes:
        data["supersedes"] = list(rule.supersedes)
    return data


def coverage(kb: KnowledgeBase) -> dict[str, Any]:
    items: dict[str, list[str]] = {i: [] for i in vocab.ITEM_IDS}
    for rule in kb.rules:
        ids = {ref.id for ref in rule.items} | {item_of(c) or "" for _, c in rule_conditions(rule)}
        for item_id in ids & set(items):
            items[item_id].append(rule.id)
    themes = {t: [r.id for r in kb.rules if t in r.themes] for t in vocab.THEMES}
    cited = {norm(p.strip()) for r in kb.rules for e in r.evidence for p in e.locator.split("›")}
    sections = {s: norm(s) in cited for s in CHAPTER5_SECTIONS}
    kinds: dict[str, int] = {}
    for rule in kb.rules:
        kinds[rule.kind] = kinds.get(rule.kind, 0) + 1
    return {"items": items, "themes": themes, "chapter5_sections": sections, "kinds": kinds}
