"""Build a memo from an assessment, its report and the knowledge base. Pure: no I/O.

Everything before the Appendix stays within WORD_LIMIT words for any answers file (contract section 2c):
the priorities, the context, the plan and the limits always appear; the main points get the lead
finding's advice only while the budget allows, and points beyond MAX_POINTS (or beyond the budget) are
left to the Appendix, which holds every finding in full.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from typing import Any

from peeradvisor import vocab
from peeradvisor.analysis.since import FindingChange, Since, compare
from peeradvisor.answers import Answers
from peeradvisor.facts import build_facts
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.render.effects import question_effects
from peeradvisor.render.prepared import memo_date
from peeradvisor.report import Finding, Report

__all__ = ["build_memo", "count_words", "front_words", "memo_date"]

from . import words
from .model import (
    NOT_KNOWN,
    AnswerRow,
    GroupAnswers,
    GroupRow,
    Importance,
    ImportanceRow,
    Memo,
    MemoFinding,
    MemoItem,
    PlanView,
    PointView,
    Previous,
    PriorityView,
    QuestionView,
    RespondentAnswers,
    SinceFinding,
    SinceView,
    Standing,
)
from .words import ANSWER_WORDS, GROUP_WORDS, KIND_LABEL, OWNER_WORDS, SUPPORT_WORDS, clean

WORD_LIMIT = 1500
LIST_RESPONDENTS = 12  # more than this many people: the Appendix summarises answers by stakeholder group
BUDGET = 1400  # what the model may use; the renderers' headings and labels take the rest
MAX_POINTS = 12
ACTIONABLE = ("warning", "recommendation")
# The comparison with an earlier assessment: at most this many answers, findings gone, new findings and
# moves, fewer while the front of the memo would leave less than POINTS_ROOM words for the main points.
SINCE_CAPS = ((12, 6, 8, 8, 4), (8, 4, 5, 5, 3), (5, 3, 3, 3, 2), (3, 2, 2, 2, 1), (2, 1, 1, 1, 0))
POINTS_ROOM = 150
EVERYTHING = (10**6,) * 5  # the Appendix lists the whole comparison when the front had to trim it
SINCE_LABELS = "Answers that changed No longer applies New Moved and more"  # the renderers' labels


def build_memo(answers: Answers, report: Report, kb: KnowledgeBase, *, date: dt.date,
               previous: Previous | None = None, detail: bool = False) -> Memo:
    """Everything a memo says, in the contract's order, ready for any renderer."""
    facts = build_facts(answers)
    happening = {i: s.happening for i, s in facts.items.items()}
    findings = [_finding(f, kb, report) for f in report.findings]
    org = clean(answers.organisation)
    detail_text = clean(answers.context.setting_detail) if answers.context.setting_detail else None
    listed = len(answers.responses) <= LIST_RESPONDENTS
    base = Memo(
        title=f"Advice memo: {org}", organisation=org, date=date, stage=answers.stage,
        employer=report.employer, setting=report.setting, setting_detail=detail_text,
        summary=words.summary(answers, report, len(facts.items)), kb=report.kb, detail=detail,
        priorities=_priorities(report, answers.stage), context=words.context_lines(answers),
        points=[], more_points=0, strengths=[f.title for f in report.findings if f.kind == "strength"],
        plan=_plan(report, kb, answers.stage), questions=_questions(report, kb),
        limits=words.limits(answers), caveats=[f.title for f in report.findings if f.kind == "caveat"],
        findings=findings, standing=_standing(kb, happening),
        importance=_importance(answers, kb, {i: s.importance for i, s in facts.items.items()}),
        respondents=len(answers.responses), answers=_answers(answers, kb) if listed else [],
        answer_groups=[] if listed else _answer_groups(answers, kb),
        answers_note="" if listed else words.answers_note(len(answers.responses)),
        since=None,
    )
    if previous is not None:
        since = compare(previous.answers, previous.report, answers, report, kb)
        base = _with_since(base, since, kb)
    return _fit(base, _points(report, kb), {p.title for p in base.priorities})


WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")  # a run of letters or digits: table rules and pipes are not words


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def front_words(memo: Memo) -> int:
    """Words in everything before the Appendix (as the model holds them; renderers add headings)."""
    parts: list[str] = [memo.title, memo.summary]
    parts += [f"{p.title} {p.action} {p.why} {p.owner} {p.when}" for p in memo.priorities]
    parts += [f"{c.label} {c.value or ''}" for c in memo.context]
    parts += [f"{p.title} {p.lead} {p.kind_label} {p.support} {p.advice or ''} {' '.join(p.also)}"
              for p in memo.points]
    parts += memo.strengths
    parts += [f"{r.short} {r.do} {r.now} {r.owner} {r.when}" for r in memo.plan]
    parts += [f"{q.question} {q.effect}" for q in memo.questions]
    parts += memo.limits + memo.caveats
    if memo.since is not None:
        s = memo.since
        parts += [SINCE_LABELS, s.heading, s.summary, s.organisation_note or "", s.rules_note]
        parts += s.answers + s.priorities + s.moved + [f"{f.title} {f.why}" for f in (*s.resolved, *s.new)]
    return sum(count_words(p) for p in parts)


def _fit(memo: Memo, points: list[PointView], covered: set[str]) -> Memo:
    """Main points within the word budget: first every point briefly (its lead finding's title and the
    related titles), up to MAX_POINTS; then the lead's advice, point by point, while the budget allows,
    starting with the points the priorities do not already cover."""
    kept: list[PointView] = []
    for point in points[:MAX_POINTS]:
        brief = point.model_copy(update={"advice": None})
        if front_words(memo.model_copy(update={"points": [*kept, brief]})) > BUDGET:
            break
        kept.append(brief)
    order = sorted(range(len(kept)), key=lambda i: (kept[i].title in covered, i))
    for index in order:
        trial = [*kept]
        trial[index] = points[index]
        if front_words(memo.model_copy(update={"points": trial})) <= BUDGET:
            kept = trial
    return memo.model_copy(update={"points": kept, "more_points": len(points) - len(kept)})


def _priorities(report: Report, stage: str) -> list[PriorityView]:
    rank = {f.id: f.rank for f in report.findings}
    return [PriorityView(rank=p.rank, title=p.title, action=p.action, why=p.why,
                         owner=OWNER_WORDS.get(p.owner, p.owner), when=words.when_words(p.when, stage),
                         findings=[rank[i] for i in p.findings if i in rank])
            for p in report.priorities]


def _points(report: Report, kb: KnowledgeBase) -> list[PointView]:
    """Actionable findings grouped by the point they make: the priorities' points first, then by rank."""
    groups: OrderedDict[str, list[Finding]] = OrderedDict()
    for p in report.priorities:
        groups[p.point] = []
    for f in report.findings:
        if f.kind in ACTIONABLE:
            groups.setdefault(f.point or f.id, []).append(f)
    out = []
    for point_id, group in groups.items():
        if not group:
            continue
        lead, rest = group[0], group[1:]
        point = kb.points.get(point_id)
        out.append(PointView(title=point.title if point else lead.title, lead=lead.title,
                             kind_label=KIND_LABEL.get(lead.kind, lead.kind.title()),
                             support=SUPPORT_WORDS[lead.support.level], advice=lead.advice,
                             also=[f.title for f in rest], findings=[f.rank for f in group]))
    return out


def _plan(report: Report, kb: KnowledgeBase, stage: str) -> list[PlanView]:
    return [PlanView(item=row.item, short=kb.items[row.item].short, text=kb.items[row.item].text,
                     do=words.do_words(row.direction, row.now), now=ANSWER_WORDS.get(row.now, NOT_KNOWN),
                     owner=OWNER_WORDS.get(row.owner, row.owner), when=words.when_words(row.when, stage))
            for row in report.plan if row.item in kb.items]


def _questions(report: Report, kb: KnowledgeBase) -> list[QuestionView]:
    """At most five, each with what its answers would change (the two largest effects)."""
    return [QuestionView(question=q.question, effect=" ".join(question_effects(q, report, kb, most=1)))
            for q in report.next_questions[:5]]


def _with_since(memo: Memo, since: Since, kb: KnowledgeBase) -> Memo:
    """The comparison: its gist in the opening summary, new priorities marked in Start here (so that page one
    alone tells what changed), and the section itself as long as the word budget leaves room for the main
    points, the longest lists first."""
    from peeradvisor.render import since_words as words

    added = {p.rank for p in since.priorities_new}
    memo = memo.model_copy(update={
        "summary": f"{memo.summary} {words.gist(since)}",
        "priorities": [p.model_copy(update={"new": p.rank in added}) for p in memo.priorities]})
    trial = memo
    for caps in SINCE_CAPS:
        trial = memo.model_copy(update={"since": _since_view(since, kb, caps)})
        if front_words(trial) <= BUDGET - POINTS_ROOM:
            break
    full = _since_view(since, kb, EVERYTHING)
    if trial.since != full:
        trial = trial.model_copy(update={"since_full": full.model_copy(update={"heading": f"{full.heading}, in full"})})
    return trial


def _since_view(since: Since, kb: KnowledgeBase, caps: tuple[int, int, int, int, int]) -> SinceView:
    from peeradvisor.render import since_words as words  # it reads memo.words: imported late, no cycle

    def listed(changes: list[FindingChange], cap: int) -> list[SinceFinding]:
        return [SinceFinding(title=c.title, why=words.cause_sentence(c, kb), rank=c.rank, id=c.id)
                for c in changes[:cap]]

    answers, priorities, resolved, new, moved = caps
    lines = [words.change_line(c, kb) for c in since.answers]
    moves = [words.moved_line(c) for c in since.moved]
    starts = [words.priority_line(p) for p in (*since.priorities_new, *since.priorities_dropped)]
    return SinceView(
        heading=words.heading(since), summary=words.summary(since),
        organisation_note=words.organisation_note(since), answers=lines[:answers],
        more_answers=max(0, len(lines) - answers), priorities=starts[:priorities],
        more_priorities=max(0, len(starts) - priorities),
        resolved=listed(since.resolved, resolved), more_resolved=max(0, len(since.resolved) - resolved),
        new=listed(since.new, new), more_new=max(0, len(since.new) - new),
        moved=moves[:moved], more_moved=max(0, len(moves) - moved),
        rules_note=words.rules_note(since), rules_changed=since.rules_changed)


def _finding(f: Finding, kb: KnowledgeBase, report: Report) -> MemoFinding:
    items = [MemoItem(id=i.id, short=kb.items[i.id].short, text=kb.items[i.id].text, direction=i.direction)
             for i in f.items if i.id in kb.items]
    themes = [kb.themes[t].title if t in kb.themes else t for t in f.themes]
    replaced = [kb.rule(r).title for r in f.replaces]
    return MemoFinding(rank=f.rank, id=f.id, kind=f.kind, kind_label=KIND_LABEL.get(f.kind, f.kind.title()),
                       title=f.title, advice=f.advice, support=SUPPORT_WORDS[f.support.level],
                       support_note=f.support.note, reasons=[clean(r) for r in f.reasons], themes=themes,
                       items=items, because=[clean(b) for b in f.because], score=f.score, replaces=replaced,
                       evidence=f.evidence)


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


def _answer_groups(answers: Answers, kb: KnowledgeBase) -> list[GroupAnswers]:
    """Each stakeholder group's answers, question by question, counted in one pass over the responses."""
    people: dict[str, int] = {}
    tally: dict[str, dict[str, dict[str, int]]] = {}  # group -> item -> counts
    for response in answers.responses:
        group = response.respondent.group
        people[group] = people.get(group, 0) + 1
        items = tally.setdefault(group, {})
        for item_id, answer in response.inventory.items():
            counts = items.setdefault(item_id, dict.fromkeys(_TALLY, 0))
            counts[_HAPPENING.get(answer.happening or "", "unanswered")] += 1
            if isinstance(answer.importance, int):
                counts["ratings"] += 1
                counts["rating_sum"] += answer.importance
        for item_id in response.top3:
            items.setdefault(item_id, dict.fromkeys(_TALLY, 0))["top3"] += 1
    out = []
    for name in (g for g in vocab.GROUPS if g in people):
        rows = [_group_row(i, kb, tally[name][i]) for i in vocab.ITEM_IDS if i in tally[name]]
        out.append(GroupAnswers(group=GROUP_WORDS[name], heading=words.group_heading(name, people[name]),
                                respondents=people[name], rows=rows))
    return out


_TALLY = ("yes", "partly", "no", "other", "unanswered", "ratings", "rating_sum", "top3")
_HAPPENING = {"yes": "yes", "partly": "partly", "no": "no", "dont_know": "other", "not_relevant": "other"}


def _group_row(item_id: str, kb: KnowledgeBase, counts: dict[str, int]) -> GroupRow:
    mean = counts["rating_sum"] / counts["ratings"] if counts["ratings"] else None
    return GroupRow(item=item_id, short=kb.items[item_id].short, yes=counts["yes"], partly=counts["partly"],
                    no=counts["no"], other=counts["other"], importance=mean, ratings=counts["ratings"],
                    top3=counts["top3"])
