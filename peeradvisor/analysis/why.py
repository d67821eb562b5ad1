"""Why a finding was given (its reasons and the chain of conclusions behind it) or why it was not (pure).

`explain_why` and `explain_why_not` take an assessment and a rule id; they run the engine once and read the
answer from its trace, the report and the rule's conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..answers import Answers
from ..core import build_report, derivations, run_engine
from ..engine import Firing
from ..errors import UsageError
from ..facts import FactSet
from ..kb.loader import KnowledgeBase
from ..kb.models import Evidence, Rule
from ..report import Finding, Report
from .steps import Step, ancestors, build_steps, steps_for
from .whynot import Verdict, explain


@dataclass(frozen=True)
class Replacement:
    """The more specific finding that replaced a rule which fired (its `supersedes` names the rule)."""

    id: str
    title: str
    rank: int


@dataclass(frozen=True)
class ChainLink:
    """A derived fact a finding built on: which rule concluded it, at which step, and from what."""

    name: str
    by: str
    title: str
    step: int
    because: tuple[str, ...]
    uses: tuple[tuple[str, str, int | None], ...]  # (name, by, step) of the facts it used in turn
    rests_on: tuple[str, ...]  # the answers underneath, followed through every chain


@dataclass(frozen=True)
class Why:
    """Why a rule fired for an assessment."""

    id: str
    kind: str
    title: str
    rank: int | None  # its rank in the report (None when it was replaced or is a derive rule)
    because: tuple[str, ...]
    concludes: str | None
    chain: tuple[ChainLink, ...]
    evidence: tuple[Evidence, ...]
    replaced_by: Replacement | None = None


@dataclass(frozen=True)
class WhyNot:
    """Whether a rule fired for an assessment, each of its conditions checked, and what replaced it."""

    verdict: Verdict
    fired: bool
    replaced_by: Replacement | None = None


@dataclass(frozen=True)
class Run:
    """One assessment run through the engine, kept for explanations."""

    answers: Answers
    facts: FactSet
    firings: list[Firing]
    report: Report

    @classmethod
    def of(cls, answers: Answers, kb: KnowledgeBase) -> Run:
        facts, firings = run_engine(answers, kb)
        return cls(answers, facts, firings, build_report(answers, kb, facts, firings))

    def fired(self, rule_id: str) -> bool:
        return any(f.rule_id == rule_id for f in self.firings)


def replacement(report: Report, rule_id: str) -> Replacement | None:
    """The finding in the report that replaced this rule's finding, if any."""
    finding: Finding | None = next((f for f in report.findings if rule_id in f.replaces), None)
    return None if finding is None else Replacement(finding.id, finding.title, finding.rank)


def _reasons(steps: list[Step], first: Step) -> tuple[str, ...]:
    """The reasons of every firing that reached the same conclusion by the same rule (first, repeats)."""
    same = [s for s in steps if s.rule_id == first.rule_id and s.concluded == first.concluded]
    return tuple(dict.fromkeys(x for s in same for x in (*s.matched, *s.holds)))


def why_of(rule: Rule, run: Run, kb: KnowledgeBase) -> Why:
    """The reasons a rule that fired gives, the conclusions it built on, and its evidence."""
    if not run.fired(rule.id):
        raise UsageError(f"{rule.id} did not fire; `peeradvisor why-not {rule.id} FILE` shows which "
                         "conditions are not met")
    finding = run.report.finding(rule.id)
    steps = build_steps(run.firings, kb, run.facts)
    own = steps_for(steps, rule.id)
    because = tuple(finding.because) if finding else tuple(dict.fromkeys(x for s in own for x in s.matched))
    rests_on = derivations(run.firings, run.facts)
    chain = tuple(
        ChainLink(s.concluded or "", s.rule_id, s.title, s.number, _reasons(steps, s),
                  tuple((x.name, x.by, x.step) for x in s.links),
                  tuple(rests_on.get((s.concluded or "", s.rule_id), [])))
        for s in ancestors(steps, rule.id))
    return Why(rule.id, rule.kind, rule.title, finding.rank if finding else None, because, rule.concludes,
               chain, tuple(rule.evidence), replacement(run.report, rule.id))


def why_not_of(rule: Rule, run: Run, kb: KnowledgeBase) -> WhyNot:
    """Each condition of the rule checked against the assessment, and the finding that replaced it."""
    verdict = explain(rule, run.facts, set(run.report.derived), kb)
    return WhyNot(verdict, run.fired(rule.id), replacement(run.report, rule.id))


def find_rule(kb: KnowledgeBase, rule_id: str) -> Rule:
    """The rule with this id, or a usage error suggesting close ids."""
    import difflib

    ids = [r.id for r in kb.rules]
    if rule_id in ids:
        return kb.rule(rule_id)
    close = difflib.get_close_matches(rule_id, ids, n=3, cutoff=0.5)
    close += [i for i in ids if rule_id and rule_id in i and i not in close][: 3 - len(close)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `peeradvisor rules` lists every rule id"
    raise UsageError(f"unknown finding id {rule_id!r}{hint}")


def why_data(why: Why) -> dict[str, Any]:
    """`why --format json` (`peeradvisor/why@1`)."""
    data: dict[str, Any] = {
        "format": "peeradvisor/why@1", "id": why.id, "kind": why.kind, "title": why.title, "rank": why.rank,
        "because": list(why.because), "concludes": why.concludes,
        "chain": [{"name": c.name, "by": c.by, "title": c.title, "step": c.step, "because": list(c.because),
                   "uses": [{"name": n, "by": b, "step": s} for n, b, s in c.uses],
                   "rests_on": list(c.rests_on)} for c in why.chain],
        "evidence": [e.model_dump(exclude_none=True) for e in why.evidence],
    }
    if why.replaced_by is not None:
        data["replaced_by"] = {"id": why.replaced_by.id, "title": why.replaced_by.title,
                               "rank": why.replaced_by.rank}
    return data
