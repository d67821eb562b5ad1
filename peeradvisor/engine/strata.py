"""Stratify rules so that every derived fact is settled before any rule that tests it fires."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import KnowledgeError
from ..kb.conditions import derived_names
from ..kb.models import Rule


def levels(rules: Sequence[Rule]) -> dict[str, int]:
    """Each rule's stratum: 1 + the highest stratum of the rules concluding facts it tests (iterative)."""
    producers: dict[str, list[str]] = {}
    for rule in rules:
        if rule.concludes:
            producers.setdefault(rule.concludes, []).append(rule.id)
    needs = {rule.id: [p for c in rule.conditions() for name in derived_names(c)
                       for p in producers.get(name, [])] for rule in rules}
    out: dict[str, int] = {}
    for start in needs:
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            rule_id, index = stack.pop()
            if index == 0:
                if rule_id in out:
                    continue
                if rule_id in path:
                    cycle = " -> ".join((*path[path.index(rule_id):], rule_id))
                    raise KnowledgeError("rules", f"derived facts form a cycle: {cycle}", rule_id)
                path.append(rule_id)
            deps = needs[rule_id]
            if index < len(deps):
                stack.append((rule_id, index + 1))
                stack.append((deps[index], 0))
                continue
            out[rule_id] = 1 + max((out[d] for d in deps), default=0)
            path.pop()
    return out
