"""Build a memo from an assessment, its report and the knowledge base. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peeradvisor import vocab
from peeradvisor.analysis.since import Since, compare
from peeradvisor.answers import Answers
from peeradvisor.facts import build_facts
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.report import Finding, Report

from . import words
from .model import (
    Action,
    ActionDomain,
    AnswerRow,
    Importance,
    ImportanceRow,
    Memo,
    MemoFinding,
    MemoItem,
    Previous,
    RespondentAnswers,
    Standing,
)
from .words import ANSWER_WORDS, DIRECTION_LABEL, GROUP_WORDS, KIND_LABEL, clean

PRIORITIES = 5


def memo_date(answers: Answers, given: dt.date | None, today: dt.date) -> dt.date:
    """The memo's date: the one given, else the assessment's, else today."""
    return given or answers.assessed_on or today


def build_memo(answers: Answers, report: Report, kb: KnowledgeBase, *, date: dt.date,
               previous: Previous | None = None) -> Memo:
    """Everything a memo says, in a fixed order, ready for any renderer."""
    facts = build_facts(answers)
    happening = {i: s.happening for i, s in facts.items.items()}
    findings = [_finding(f, kb) for f in report.findings]
    actionable = [f for f in findings if f.kind in ("warning", "recommendation")] or findings
    priorities = actionable[:PRIORITIES]
    org = clean(answers.organisation)
    detail = clean(answers.context.setting_detail) if answers.context.setting_detail else None
    return Memo(
        title=f"Advice memo: {org}", organisation=org, date=date, stage=answers.stage,
        employer=report.employer, setting=report.setting, setting_detail=detail,
        summary=words.summary(answers, report, priorities, len(facts.items)),
        counts=report.counts(), context=words.context_lines(answers),
        priorities=priorities, findings=findings,
        actions=_actions(report.findings, kb, happening), standing=_standing(kb, happening),
        importance=_importance(answers, kb, {i: s.importance for i, s in facts.items.items()}),
        answers=_answers(answers, kb),
        since=_since(answers, report, kb, previous),
        limits=words.limits(answers),
    )


def _since(answers: Answers, report: Report, kb: KnowledgeBase, previous: Previous | None) -> Since | None:
    if previous is None:
        return None
    names = {i: item.short for i, item in kb.items.items()}
    return compare(previous.answers, previous.report, answers, report, names)


def _finding(f: Finding, kb: KnowledgeBase) -> MemoFinding:
    items = [MemoItem(id=i.id, short=kb.items[i.id].short, text=kb.items[i.id].text, direction=i.direction)
             for i in f.items if i.id in kb.items]
    themes = [kb.themes[t].title if t in kb.themes else t for t in f.themes]
    return MemoFinding(rank=f.rank, id=f.id, kind=f.kind, kind_label=KIND_LABEL.get(f.kind, f.kind.title()),
                       title=f.title, advice=f.advice, themes=themes, items=items,
                       because=[clean(b) for b in f.because], evidence=f.evidence)


def _now(value: str | None) -> str:
    return ANSWER_WORDS.get(value, "not answered") if value else "not answered"


def _actions(findings: list[Finding], kb: KnowledgeBase,
             happening: dict[str, str | None]) -> list[ActionDomain]:
    wanted: dict[tuple[str, str], list[int]] = {}
    for f in findings:
        for ref in f.items:
            ranks = wanted.setdefault((ref.direction, ref.id), [])
            if f.rank not in ranks:
                ranks.append(f.rank)
    out: list[ActionDomain] = []
    for domain in kb.domains:
        lists: dict[str, list[Action]] = {d: [] for d in DIRECTION_LABEL}
        for item_id in (i for i in vocab.ITEM_IDS if kb.items[i].domain == domain.id):
            for direction, actions in lists.items():
                if (direction, item_id) in wanted:
                    item = kb.items[item_id]
                    actions.append(Action(item=item_id, short=item.short, text=item.text,
                                          now=_now(happening.get(item_id)),
                                          findings=sorted(wanted[(direction, item_id)])))
        if any(lists.values()):
            out.append(ActionDomain(id=domain.id, title=domain.heading, **lists))
    return out


def _standing(kb: KnowledgeBase, happening: dict[str, str | None]) -> list[Standing]:
    out = []
    for domain in kb.domains:
        ids = [i for i in vocab.ITEM_IDS if kb.items[i].domain == domain.id]
        answers = [happening.get(i) for i in ids]
        counts = {k: sum(1 for a in answers if a == k) for k in ("yes", "partly", "no")}
        other = sum(1 for a in answers if a in ("dont_know", "not_relevant"))
        out.append(Standing(id=domain.id, title=domain.heading, items=len(ids), other=other, **counts))
    return out


def _tables(tables: list[int]) -> str:
    return f"Tables {tables[0]}-{tables[-1]}" if len(tables) > 1 else f"Table {tables[0]}"


def _importance(answers: Answers, kb: KnowledgeBase, local: dict[str, float | None]) -> Importance:
    employer, setting = answers.context.employer, answers.context.setting
    ctx = kb.study.importance["context"]
    by_setting = kb.study.importance.get("setting") if setting in vocab.STUDY_SETTINGS else None
    counts = _rating_counts(answers)
    rows = [
        ImportanceRow(item=i, short=kb.items[i].short, local=value, ratings=counts.get(i, 0),
                      context=ctx.means.get(employer, {}).get(i),
                      setting=by_setting.means.get(setting, {}).get(i) if by_setting else None)
        for i in vocab.ITEM_IDS if (value := local.get(i)) is not None
    ]
    return Importance(
        context_column=ctx.columns.get(employer, employer), context_tables=_tables(ctx.tables),
        setting_column=by_setting.columns.get(setting, setting) if by_setting else None,
        setting_tables=_tables(by_setting.tables) if by_setting else None, rows=rows)


def _rating_counts(answers: Answers) -> dict[str, int]:
    counts: dict[str, int] = {}
    for response in answers.responses:
        for item_id, answer in response.inventory.items():
            if isinstance(answer.importance, int):
                counts[item_id] = counts.get(item_id, 0) + 1
    return counts


def _importance_words(value: Any) -> str:
    if isinstance(value, int):
        return f"{value} ({vocab.IMPORTANCE_WORDS[value].removesuffix(' important')})"
    return ANSWER_WORDS.get(value, "") if value else ""


def _answers(answers: Answers, kb: KnowledgeBase) -> list[RespondentAnswers]:
    out = []
    for n, response in enumerate(answers.responses, start=1):
        group = GROUP_WORDS.get(response.respondent.group, response.respondent.group)
        label = clean(response.respondent.label or "") or f"Respondent {n}"
        top3 = set(response.top3)
        ids = [i for i in vocab.ITEM_IDS if i in response.inventory or i in top3]
        rows = []
        for item_id in ids:
            answer = response.inventory.get(item_id)
            rows.append(AnswerRow(
                item=item_id, short=kb.items[item_id].short,
                happening=ANSWER_WORDS.get(answer.happening, "") if answer and answer.happening else "",
                importance=_importance_words(answer.importance) if answer else "", top3=item_id in top3))
        out.append(RespondentAnswers(label=label, group=group, rows=rows))
    return out


