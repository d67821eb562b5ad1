"""The pure core: answers + knowledge base in, ranked and explained findings out. No I/O."""

from __future__ import annotations

from collections import OrderedDict

from ..answers import Answers
from ..engine import Fact, Firing, engine_for
from ..facts import FactSet, build_facts
from ..kb.loader import KnowledgeBase
from ..kb.models import Rule
from ..report import EvidenceOut, Finding, ItemOut, Report, StudyRating, SupportOut
from ..vocab import Owner, When
from . import decide
from .plain import reasons
from .probe import Probe
from .questions import next_questions
from .ranking import KIND_WEIGHT, score, study_ratings
from .trace import because, derivations, derived_leaves, finding_leaves, replaced

DEFAULT_OWNER: Owner = "line_manager"  # for a finding that names no point
DEFAULT_WHEN: When = "ongoing"
__all__ = ["Probe", "advise", "build_report", "derivations", "engine_for", "finding_ids", "probing", "run_engine"]


def run_engine(answers: Answers, kb: KnowledgeBase) -> tuple[FactSet, list[Firing]]:
    facts = build_facts(answers)
    return facts, engine_for(kb).run(facts)


def advise(answers: Answers, kb: KnowledgeBase, *, questions: bool = True) -> Report:
    """Run the rules over one assessment and return the ranked, evidence-linked findings (and, unless QUESTIONS
    is false, the next questions to ask)."""
    facts, firings = run_engine(answers, kb)
    return build_report(answers, kb, facts, firings, questions=questions)


def probing(answers: Answers, kb: KnowledgeBase) -> tuple[Report, Probe]:
    """The report (without next questions) and a probe for asking what other answers would change."""
    facts, firings = run_engine(answers, kb)
    report = build_report(answers, kb, facts, firings, questions=False)
    return report, Probe(answers, kb, facts, firings, report.findings)


def finding_ids(firings: list[Firing], kb: KnowledgeBase) -> set[str]:
    """The findings a run gives: every rule that fired and is not a derive rule, except those a rule that fired
    supersedes (a more specific finding replaces a general one on the same point when both are given)."""
    fired = {f.rule_id for f in firings}
    superseded = {old for rule_id in fired for old in kb.rule(rule_id).supersedes}
    return {r for r in fired if kb.rule(r).kind != "derive" and r not in superseded}


def _finding(rank: int, value: float, rule: Rule, lines: tuple[list[str], list[str]], ratings: list[StudyRating],
             plain: list[str], replaces: list[str], kb: KnowledgeBase) -> Finding:
    point = kb.points.get(rule.point or "")
    assert rule.support is not None
    return Finding(
        id=rule.id, kind=rule.kind, rank=rank, score=value,  # type: ignore[arg-type]
        title=rule.title, advice=rule.advice.strip(),
        themes=list(rule.themes), items=[ItemOut(id=i.id, direction=i.direction) for i in rule.items],
        because=lines[0], evidence=[EvidenceOut(locator=e.locator, excerpt=e.excerpt) for e in rule.evidence],
        support=SupportOut(level=rule.support.level, note=rule.support.note),
        chain=lines[1], study=ratings, replaces=replaces, reasons=plain, point=rule.point, action=rule.action,
        owner=rule.owner or (point.owner if point else DEFAULT_OWNER),
        when=rule.timing or (point.when if point else DEFAULT_WHEN),
    )


def build_report(answers: Answers, kb: KnowledgeBase, facts: FactSet, firings: list[Firing], *,
                 questions: bool = True) -> Report:
    by_rule: OrderedDict[str, list[Firing]] = OrderedDict()
    for firing in firings:
        by_rule.setdefault(firing.rule_id, []).append(firing)
    employer, setting = answers.context.employer, answers.context.setting
    leaves = derived_leaves(firings)
    given = finding_ids(firings, kb)
    drafts = []
    rests_on: dict[str, list[Fact]] = {}
    for rule_id, rule_firings in by_rule.items():
        rule = kb.rule(rule_id)
        if rule_id not in given:
            continue
        ratings = study_ratings(kb, [ref.id for ref in rule.items], employer, setting)
        rests_on[rule_id] = finding_leaves(rule_firings, leaves)
        lines = because(rule, rule_firings, facts, leaves)
        drafts.append((score(rule, facts, ratings), rule, lines, ratings))
    drafts.sort(key=lambda d: (-d[0], -KIND_WEIGHT.get(d[1].kind, 0), d[1].id))
    findings = [_finding(rank, value, rule, lines, ratings, reasons(rests_on[rule.id], kb, facts),
                         replaced(rule, by_rule, kb), kb)
                for rank, (value, rule, lines, ratings) in enumerate(drafts, start=1)]
    concluded = sorted({f.concluded for f in firings if f.concluded})
    asked = next_questions(Probe(answers, kb, facts, firings, findings)) if questions else []
    return Report(kb=kb.stamp(), organisation=answers.organisation, stage=answers.stage, employer=employer,
                  setting=setting, respondents=len(answers.responses),
                  priorities=decide.priorities(findings, rests_on, kb, facts), plan=decide.plan(findings, facts),
                  next_questions=asked, findings=findings, derived=concluded)
