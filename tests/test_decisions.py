"""From findings to decisions: priorities, the plan, and memos a manager can act on (issue 11).

Every invariant is checked on the bundled examples, the scenarios, every case file and generated answers.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import given
from test_properties import SETTINGS, answer_files

from peeradvisor.answers import Answers, answers_from_data, load_answers
from peeradvisor.cases import load_folder
from peeradvisor.core import advise
from peeradvisor.core.decide import WHEN_ORDER, pooled_now
from peeradvisor.facts import build_facts
from peeradvisor.kb import KnowledgeBase
from peeradvisor.render import docx as docx_render
from peeradvisor.render import html as html_render
from peeradvisor.render import markdown as md_render
from peeradvisor.render.memo import WORD_LIMIT, build_memo, count_words
from peeradvisor.report import Report
from peeradvisor.yamlio import atomic_write

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SUBJECTS: list[tuple[str, Answers]] = [(p.stem, load_answers(p)) for p in EXAMPLES]
SUBJECTS += [(c.name, c.parsed()) for c in load_folder(ROOT / "knowledge" / "scenarios")]
SUBJECTS += [(c.name, c.parsed()) for c in load_folder(ROOT / "tests" / "cases")]
JARGON = re.compile(r"\b(?:risk|barrier|facilitator|context|responses)\.[a-z_]|\bscore:? \d|\[\d+\]\.")


def decision_problems(report: Report, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """Everything the contract (section 2b) and issue 11 promise about priorities and the plan."""
    problems: list[str] = []
    actionable = [f for f in report.findings if f.kind in ("warning", "recommendation")]
    n = len(report.priorities)
    if not (min(3, len(actionable)) <= n <= 5):
        problems.append(f"{n} priorities for {len(actionable)} warnings and recommendations")
    if [p.rank for p in report.priorities] != list(range(1, n + 1)):
        problems.append("priority ranks are not 1..n")
    ids = {f.id for f in report.findings}
    for p in report.priorities:
        if not p.findings or not set(p.findings) <= ids:
            problems.append(f"priority {p.rank} stands for findings not in the report")
        if JARGON.search(p.action + " " + p.why) or any(i in p.action + p.why for i in ids if i.count("-") > 1):
            problems.append(f"priority {p.rank} uses ids, fact names or field paths")
    orders = [(WHEN_ORDER[p.when], kb.points[p.point].order) for p in report.priorities]
    if orders != sorted(orders):
        problems.append("priorities are not in order: by when, then in the order the study implies")
    facts = build_facts(answers)
    items = [row.item for row in report.plan]
    if len(items) != len(set(items)):
        problems.append("an item has two plan rows")
    for row in report.plan:
        if row.now != pooled_now(facts, row.item):
            problems.append(f"plan {row.item}: now {row.now} is not the pooled answer")
        if row.now == "yes" and row.direction == "put_in_place":
            problems.append(f"plan {row.item}: put in place what is already happening")
        if row.now == "no" and row.direction == "avoid":
            problems.append(f"plan {row.item}: nothing to undo for what is not happening")
    return problems


def memo_problems(report: Report, answers: Answers, kb: KnowledgeBase) -> list[str]:
    """Start here before the Appendix, the word limit, and no jargon anywhere by default."""
    memo = build_memo(answers, report, kb, date=dt.date(2026, 11, 25))
    text = md_render.render(memo)
    problems: list[str] = []
    front, sep, _ = text.partition("\n# Appendix\n")
    if not sep or "## Start here" not in front:
        problems.append("Start here must come before the Appendix")
    if count_words(front) > WORD_LIMIT:
        problems.append(f"{count_words(front)} words before the Appendix")
    if JARGON.search(text):
        problems.append(f"jargon in the memo: {JARGON.search(text)}")
    long_ids = [f.id for f in report.findings if f.id.count("-") > 1 and re.search(rf"\b{re.escape(f.id)}\b", text)]
    if long_ids:
        problems.append(f"rule ids in the memo: {long_ids[:3]}")
    return problems


@pytest.mark.parametrize(("name", "answers"), SUBJECTS, ids=[n for n, _ in SUBJECTS])
def test_priorities_and_plan_keep_their_promises(name: str, answers: Answers, kb: KnowledgeBase) -> None:
    """3-5 ordered, plain priorities and a contradiction-free plan whose `now` is the pooled answer."""
    assert decision_problems(advise(answers, kb), answers, kb) == []


@pytest.mark.parametrize(("name", "answers"), SUBJECTS[:len(EXAMPLES) + 13], ids=[n for n, _ in SUBJECTS][:16])
def test_memo_keeps_its_promises(name: str, answers: Answers, kb: KnowledgeBase) -> None:
    """Every bundled example and scenario: Start here first, at most 1,500 words before the Appendix, no jargon."""
    assert memo_problems(advise(answers, kb), answers, kb) == []


@SETTINGS
@given(data=answer_files())
def test_generated_answers_keep_every_promise(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    """For any valid answers file: the priority and plan rules, the memo's word limit and no jargon."""
    answers = answers_from_data(data, "generated.yaml")
    report = advise(answers, kb)
    assert decision_problems(report, answers, kb) + memo_problems(report, answers, kb) == []


def test_central_disagreement_is_a_priority(kb: KnowledgeBase) -> None:
    """Where groups disagree about something central (here the shared understanding), that is a priority."""
    report = advise(load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml"), kb)
    assert any(p.point == "differing-views" for p in report.priorities)


def test_priorities_come_in_the_order_to_do_them(kb: KnowledgeBase) -> None:
    """Preparing managers (now) comes before protecting the role in practice (ongoing work)."""
    report = advise(load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml"), kb)
    points = [p.point for p in report.priorities]
    assert points.index("manager-preparation") < points.index("protect-peer-work")


def test_detail_brings_the_analysts_view_back(kb: KnowledgeBase) -> None:
    """--detail adds rule ids and scores to the memo; by default there are none."""
    answers = load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml")
    report = advise(answers, kb)
    plain = md_render.render(build_memo(answers, report, kb, date=dt.date(2026, 11, 25)))
    detailed = md_render.render(build_memo(answers, report, kb, date=dt.date(2026, 11, 25), detail=True))
    top = report.findings[0].id
    assert top not in plain and f"rule {top}" in detailed and "score " in detailed


def test_docx_is_a4_with_page_numbers_and_a_plan_table(kb: KnowledgeBase) -> None:
    """The Word memo: A4 pages, organisation and date in the header, a PAGE field in the footer."""
    answers = load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml")
    memo = build_memo(answers, advise(answers, kb), kb, date=dt.date(2026, 11, 25))
    document = docx.Document(io.BytesIO(docx_render.render(memo)))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert "Riverside NHS Trust" in section.header.paragraphs[0].text and "2026" in section.header.paragraphs[0].text
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Item", "What to do", "Now", "Who", "When"] in headers


def test_html_memo_has_the_contracts_order(kb: KnowledgeBase) -> None:
    """The HTML memo's sections come in the contract's order, the Appendix last."""
    answers = load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml")
    out = html_render.render(build_memo(answers, advise(answers, kb), kb, date=dt.date(2026, 11, 25)))
    order = ["start-here", "context", "points", "plan", "ask-next", "limits", "appendix", "findings"]
    positions = [out.index(f'id="{name}"') for name in order]
    assert positions == sorted(positions)


def test_written_files_honour_the_umask(tmp_path: Path) -> None:
    """A memo written under umask 022 is 0644; replacing a file keeps the mode it had."""
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "memo.md"
        atomic_write(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "shared.md"
        kept.write_text("old")
        kept.chmod(0o664)
        atomic_write(kept, "new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o664 and kept.read_text() == "new"
    finally:
        os.umask(old)
