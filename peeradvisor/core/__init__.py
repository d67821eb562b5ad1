"""The pure core: answers + knowledge base in, ranked and explained findings out. No I/O."""

from __future__ import annotations

from collections import OrderedDict

from ..answers import Answers
from ..engine import DerivedFact, Fact, Firing, engine_for
from ..facts import FactSet, build_facts
from ..kb.loader import KnowledgeBase
from ..kb.models import Rule
from ..report import EvidenceOut, Finding, ItemOut, Report
from .describe import describe_fact, negated_reasons
from .ranking import KIND_WEIGHT, score, study_ratings

__all__ = ["advise", "build_report", "derivations", "engine_for", "run_engine"]


def run_engine(answers: Answers, kb: KnowledgeBase) -> tuple[FactSet, list[Firing]]:
    facts = build_facts(answers)
    return facts, engine_for(kb).run(facts)


def advise(answers: Answers, kb: KnowledgeBase) -> Report:
    """Run the rules over one assessment and return the ranked, evidence-linked findings."""
    facts, firings = run_engine(answers, kb)
    return build_report(answers, kb, facts, firings)


def derivations(firings: list[Firing], facts: FactSet) -> dict[tuple[str, str], list[str]]:
    """For each derived fact (name, rule), the answers it rests on, followed through every chain."""
    direct: dict[tuple[str, str], list[Fact]] = {}
    for firing in firings:
        if firing.concluded:
            direct.setdefault((firing.concluded, firing.rule_id), []).extend(firing.matched)

    def leaves(key: tuple[str, str], seen: frozenset[tuple[str, str]]) -> list[str]:
        out: list[str] = []
        for fact in direct.get(key, []):
            if isinstance(fact, DerivedFact):
                sub = (fact.name, fact.by)
                found = leaves(sub, seen | {key}) if sub not in seen else []
            else:
                found = [describe_fact(fact, facts)]
            out.extend(x for x in found if x not in out)
        return out

    return {key: leaves(key, frozenset()) for key in direct}


def _because(rule: Rule, firings: list[Firing], facts: FactSet,
             derived: dict[tuple[str, str], list[str]]) -> tuple[list[str], list[str]]:
    because: OrderedDict[str, None] = OrderedDict()
    chain: OrderedDict[str, None] = OrderedDict()
    for firing in firings:
        for fact in firing.matched:
            text = describe_fact(fact, facts)
            if isinstance(fact, DerivedFact):
                chain[fact.name] = None
                basis = derived.get((fact.name, fact.by))
                if basis:
                    text += ", from: " + "; ".join(basis)
            because[text] = None
    for text in negated_reasons(rule):
        because[text] = None
    return list(because), list(chain)


def _replaced(rule: Rule, fired: dict[str, list[Firing]], kb: KnowledgeBase) -> list[str]:
    """The general findings, also given by the rules, that this more specific one stands in for."""
    out: list[str] = []
    todo = list(rule.supersedes)
    while todo:
        old = todo.pop(0)
        if old in fired and old not in out:
            out.append(old)
            todo.extend(kb.rule(old).supersedes)
    return out


def build_report(answers: Answers, kb: KnowledgeBase, facts: FactSet, firings: list[Firing]) -> Report:
    by_rule: OrderedDict[str, list[Firing]] = OrderedDict()
    for firing in firings:
        by_rule.setdefault(firing.rule_id, []).append(firing)
    employer, setting = answers.context.employer, answers.context.setting
    drafts = []
    derived = derivations(firings, facts)
    # a more specific finding replaces a general one on the same point when both are given
    superseded = {old for rule_id in by_rule for old in kb.rule(rule_id).supersedes}
    for rule_id, rule_firings in by_rule.items():
        rule = kb.rule(rule_id)
        if rule.kind == "derive" or rule_id in superseded:
            continue
        ratings = study_ratings(kb, [ref.id for ref in rule.items], employer, setting)
        because, chain = _because(rule, rule_firings, facts, derived)
        drafts.append((score(rule, facts, ratings), rule, because, chain, ratings))
    drafts.sort(key=lambda d: (-d[0], -KIND_WEIGHT.get(d[1].kind, 0), d[1].id))
    findings = [
        Finding(
            id=rule.id, kind=rule.kind, rank=rank, score=value,  # type: ignore[arg-type]
            title=rule.title, advice=rule.advice.strip(),
            themes=list(rule.themes), items=[ItemOut(id=i.id, direction=i.direction) for i in rule.items],
            because=because, evidence=[EvidenceOut(locator=e.locator, excerpt=e.excerpt) for e in rule.evidence],
            chain=chain, study=ratings, replaces=_replaced(rule, by_rule, kb),
        )
        for rank, (value, rule, because, chain, ratings) in enumerate(drafts, start=1)
    ]
    concluded = sorted({f.concluded for f in firings if f.concluded})
    return Report(kb=kb.stamp(), organisation=answers.organisation, stage=answers.stage, employer=employer,
                  setting=setting,
                  respondents=len(answers.responses), findings=findings, derived=concluded)
