"""The memo model: what build_memo says about an assessment, and the comparison with an earlier one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from peeradvisor import vocab
from peeradvisor.analysis.since import compare, since_data
from peeradvisor.answers import Answers, answers_from_data, answers_to_data, load_answers
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase
from peeradvisor.render.memo import (
    STUDY_CITATION,
    STUDY_DOI,
    STUDY_TITLE,
    Memo,
    Previous,
    build_memo,
    clean,
    memo_date,
)
from peeradvisor.render.memo.words import LABELS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STUDY = ROOT.parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"
DATE = dt.date(2026, 12, 1)
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def memo_for(answers: Answers, kb: KnowledgeBase, previous: Previous | None = None) -> Memo:
    return build_memo(answers, advise(answers, kb), kb, date=DATE, previous=previous)


def changed(answers: Answers, **fields: object) -> Answers:
    data = answers_to_data(answers)
    data.update(fields)
    return answers_from_data(data, "<test>")


@pytest.fixture(scope="module")
def nhs() -> Answers:
    return load_answers(EXAMPLES / "nhs-inpatient-new.yaml")


def test_study_title_is_the_reports_own() -> None:
    """The citation's title is word for word the title in the study text's first lines."""
    if not STUDY.exists():
        pytest.skip("study text not available")
    head = " ".join(STUDY.read_text(encoding="utf-8")[:3000].split())
    assert STUDY_TITLE in head
    assert f"DOI: {STUDY_DOI}" in head
    assert STUDY_CITATION.startswith("Gillard S, et al. New ways of working")
    assert STUDY_CITATION.endswith("Health Serv Deliv Res 2014;2(19)")


def test_date_prefers_given_then_assessed_on_then_today(nhs: Answers) -> None:
    """--date wins, then the answers' assessed_on, then today."""
    today = dt.date(2030, 1, 1)
    assert memo_date(nhs, DATE, today) == DATE
    assert memo_date(nhs, None, today) == nhs.assessed_on
    assert memo_date(changed(nhs, assessed_on=None), None, today) == today


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_memo_covers_every_part(path: Path, kb: KnowledgeBase) -> None:
    """Each example gives a memo with title, summary, context, priorities, findings and limits."""
    answers = load_answers(path)
    memo = memo_for(answers, kb)
    assert memo.organisation in memo.title and memo.date == DATE
    assert memo.organisation in memo.summary and "warning(s)" in memo.summary
    assert 1 <= len(memo.priorities) <= 5
    assert [f.rank for f in memo.findings] == list(range(1, len(memo.findings) + 1))
    assert all(f.evidence and f.advice for f in memo.findings)
    assert [s.id for s in memo.standing] == [d.id for d in kb.domains]
    assert any("10 cases" in line and "89 people" in line for line in memo.limits)
    assert any("not a statistical" in line for line in memo.limits)
    assert len(memo.answers) == len(answers.responses)


def test_start_here_is_the_reports_priorities(nhs: Answers, kb: KnowledgeBase) -> None:
    """Start here lists the report's priorities, in order, each with its action, why, owner and when."""
    memo = memo_for(nhs, kb)
    report = advise(nhs, kb)
    assert [p.action for p in memo.priorities] == [p.action for p in report.priorities]
    assert all(p.why and p.owner and p.when for p in memo.priorities)


def test_context_lists_unknown_fields_as_not_known(kb: KnowledgeBase) -> None:
    """Fields not given are listed as not known; partner and led_by only where they apply."""
    answers = load_answers(EXAMPLES / "partnership-bme-planning.yaml")
    lines = {c.field: c for c in memo_for(answers, kb).context}
    assert lines["staffing_pressure"].value is None
    assert lines["partner"].value == "a voluntary sector organisation"
    assert lines["led_by"].value == "professionally led"
    nhs_lines = {c.field for c in memo_for(load_answers(EXAMPLES / "nhs-inpatient-new.yaml"), kb).context}
    assert "partner" not in nhs_lines and "led_by" not in nhs_lines


def test_context_labels_cover_every_contract_field() -> None:
    """The memo has words for every context field a rule may test."""
    assert set(LABELS) == set(vocab.CONTEXT_FIELDS)


def test_action_plan_is_the_reports_plan_in_words(nhs: Answers, kb: KnowledgeBase) -> None:
    """One plan row per item, in the report's order, with what to do, the answer now, who and when in words."""
    memo = memo_for(nhs, kb)
    report = advise(nhs, kb)
    assert [r.item for r in memo.plan] == [row.item for row in report.plan]
    for view, row in zip(memo.plan, report.plan, strict=True):
        assert view.short == kb.items[row.item].short
        assert view.do != "Put in place" or row.now != "yes"


def test_importance_compares_with_appendix_4(nhs: Answers, kb: KnowledgeBase) -> None:
    """Local pooled means sit beside the study's context (by employer) and setting means."""
    memo = memo_for(nhs, kb)
    imp = memo.importance
    assert imp.context_column == "NHS" and imp.setting_column == "Inpatient"
    row = next(r for r in imp.rows if r.item == "2.1")
    assert row.local == pytest.approx(3.67) and row.ratings == 3
    assert row.context == kb.study.importance["context"].means["nhs"]["2.1"]
    assert row.setting == kb.study.importance["setting"].means["inpatient"]["2.1"]


def test_other_setting_has_no_setting_column_and_says_so(nhs: Answers, kb: KnowledgeBase) -> None:
    """A setting the study did not cover gets no setting means, and a limit that says why."""
    context = answers_to_data(nhs)["context"] | {"setting": "other", "setting_detail": "crisis house"}
    memo = memo_for(changed(nhs, context=context), kb)
    assert memo.importance.setting_column is None
    assert all(r.setting is None for r in memo.importance.rows)
    assert any("did not cover crisis house" in line for line in memo.limits)


def test_user_text_is_put_on_one_line() -> None:
    """Control characters and line breaks in free text become single spaces."""
    assert clean("Ward\n# 4\x07\t<b>") == "Ward # 4 <b>"


def test_build_memo_is_deterministic(nhs: Answers, kb: KnowledgeBase) -> None:
    """The same answers and date always give the same memo."""
    assert memo_for(nhs, kb) == memo_for(nhs, kb)


def test_since_reports_resolved_new_and_moved_findings(nhs: Answers, kb: KnowledgeBase) -> None:
    """Against an earlier assessment: resolved, new and unchanged findings, improved and worsened items."""
    old = changed(nhs, assessed_on="2026-05-01")
    data = answers_to_data(nhs)
    data["responses"][0]["inventory"]["2.1"] = {"happening": "yes", "importance": 4}
    data["responses"][1]["inventory"]["6.1"] = {"happening": "no", "importance": 4}
    new = answers_from_data(data, "<test>")
    since = compare(old, advise(old, kb), new, advise(new, kb), kb)
    assert [c.item for c in since.worsened] == ["6.1"] and since.worsened[0].after == "partly"
    assert [c.item for c in since.improved] == ["2.1"] and since.improved[0].after == "yes"
    old_ids = {f.id for f in advise(old, kb).findings}
    new_ids = {f.id for f in advise(new, kb).findings}
    assert {c.id for c in since.resolved} == old_ids - new_ids
    assert {c.id for c in since.new} == new_ids - old_ids
    assert {c.id for c in since.unchanged} == old_ids & new_ids
    assert since.previous_date == "2026-05-01" and since.same_organisation


def test_since_of_identical_assessments_changes_nothing(nhs: Answers, kb: KnowledgeBase) -> None:
    """The same answers twice: nothing resolved, new or moved, and the memo says so in its summary."""
    report = advise(nhs, kb)
    since = compare(nhs, report, nhs, report, kb)
    assert not since.resolved and not since.new and not since.answers and not since.moved
    assert all(c.move == 0 for c in since.unchanged)
    data = since_data(since)
    assert set(data) >= {"previous", "resolved", "new", "unchanged", "improved", "worsened", "context",
                         "rules_changed"}
    memo = memo_for(nhs, kb, previous=Previous(nhs, report))
    assert memo.since is not None and not memo.since.resolved and not memo.since.new
    assert "no answer changed; no finding came or went; Start here is the same." in memo.summary


def test_since_notices_another_organisation(nhs: Answers, kb: KnowledgeBase) -> None:
    """An earlier file for another organisation is flagged, not refused."""
    other = changed(nhs, organisation="Somewhere else")
    since = compare(other, advise(other, kb), nhs, advise(nhs, kb), kb)
    assert not since.same_organisation


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_plan_leaves_out_now_when_nobody_answered(fmt: str, tmp_path: Path) -> None:
    """A plan where no item is answered (a service still planning) has no column of 'not known': it says
    once why; a plan with answers keeps the Now column."""
    def plan_header(example: str) -> tuple[list[str], str]:
        out = tmp_path / f"{example}.{fmt}"
        result = CliRunner().invoke(app, ["advise", str(ROOT / "examples" / f"{example}.yaml"), "-f", fmt,
                                          "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        if fmt == "docx":
            document = docx.Document(str(out))
            table = next(t for t in document.tables if t.rows[0].cells[0].text == "Item")
            return [c.text for c in table.rows[0].cells], "\n".join(p.text for p in document.paragraphs)
        text = out.read_text(encoding="utf-8")
        plan = text.partition("Action plan")[2].partition("What to ask next")[0]
        return re.findall(r"Item|What to do|Now|Who|When", plan.split("Managed")[0].split("Manager")[0]), text

    header, text = plan_header("partnership-bme-planning")
    assert "Now" not in header and "not known" not in text.partition("Action plan")[2].partition("What to ask")[0]
    assert "Nobody has answered the study's 40 questions yet" in text
    header, text = plan_header("nhs-inpatient-new")
    assert "Now" in header and "Nobody has answered" not in text
