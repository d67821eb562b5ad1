"""What running the cases and scenarios says about the rules: findings only ever tested as forbidden."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .checks import Problem, about

if TYPE_CHECKING:
    from .loader import KnowledgeBase


@dataclass(frozen=True)
class CaseRun:
    """What one case or scenario expects, and which rules fired on its answers."""

    name: str
    source: str
    fired: frozenset[str]
    named: tuple[str, ...]  # every rule id its expectations name
    absent: tuple[str, ...]


def case_coverage(kb: KnowledgeBase, runs: list[CaseRun]) -> tuple[list[Problem], list[str]]:
    """Warnings from running the cases (a finding only ever tested as forbidden, a case naming no rule),
    and the finding rules that no case or scenario gives."""
    problems: list[Problem] = []
    known = {r.id for r in kb.rules}
    for run in runs:
        for rule_id in dict.fromkeys(x for x in run.named if x not in known):
            problems.append(Problem(run.source, run.name, f"names {rule_id!r}, which is no rule", "warning"))
    fired = {rule_id for run in runs for rule_id in run.fired}
    never = [r.id for r in kb.findings_rules if r.id not in fired]
    for rule_id in never:
        forbidding = [run.name for run in runs if rule_id in run.absent]
        if forbidding:
            shown = ", ".join(forbidding[:3]) + (f" and {len(forbidding) - 3} more" if len(forbidding) > 3 else "")
            problems.append(about(kb, kb.rule(rule_id), "", f"no case or scenario gives this finding; "
                                  f"it is only tested as absent ({shown}): add a case where it must appear",
                                  "warning"))
    return problems, never
