"""The questionnaire model, input parsing and the state machine behind `assess` (pure: no terminal)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peeradvisor import vocab
from peeradvisor.answers import answers_from_data
from peeradvisor.assess.parse import AnswerError, command, parse, parse_items
from peeradvisor.assess.session import Session, SessionError
from peeradvisor.core import advise
from peeradvisor.errors import KnowledgeError
from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.evidence_check import Study
from peeradvisor.kb.question_checks import contract_values
from peeradvisor.kb.questions import Questionnaire, load_questionnaire, questions_path

STUDY = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"
SERVICE = [("organisation", "Riverside Trust — Ward 4"), ("context.employer", "nhs"),
           ("context.setting", "inpatient")]


@pytest.fixture(scope="module")
def questionnaire(kb: KnowledgeBase) -> Questionnaire:
    return load_questionnaire(kb)


def fresh(questionnaire: Questionnaire) -> Session:
    return Session.new(questionnaire, today=dt.date(2026, 11, 25))


def answer(session: Session, text: str) -> None:
    question = session.current()
    assert question is not None
    session.answer(parse(question, text, session.value))


def answer_until(session: Session, question_id: str, texts: dict[str, str]) -> None:
    """Answer (from `texts`, else skip) until the current question is `question_id`."""
    while (q := session.current()) is not None and q.id != question_id:
        if q.id in texts:
            answer(session, texts[q.id])
        else:
            session.skip()


class TestQuestionnaire:
    """knowledge/questions.yaml plus the 40 items make one ordered questionnaire."""

    def test_order_and_size(self, questionnaire: Questionnaire) -> None:
        """Service, support and culture questions, then group, label, 40 items × A/B, then top3."""
        ids = [q.id for q in questionnaire.questions]
        assert ids[:3] == ["organisation", "context.employer", "context.setting"]
        assert ids[ids.index("respondent.group"):ids.index("respondent.group") + 4] == [
            "respondent.group", "respondent.label", "inventory.1.1.happening", "inventory.1.1.importance"]
        assert ids[-1] == "top3" and len(ids) == 26 + 2 + 80 + 1
        sections = [questionnaire.get(i).section for i in ids]
        assert list(dict.fromkeys(sections)) == ["service", "support", "culture", "inventory", "top3"]

    def test_every_context_field_is_asked(self, questionnaire: Questionnaire) -> None:
        """Each contract context field has a question whose id is its field path."""
        for field in vocab.CONTEXT_FIELDS:
            assert questionnaire.has("stage" if field == "stage" else f"context.{field}"), field

    def test_choices_are_the_contracts_words(self, questionnaire: Questionnaire) -> None:
        """A choice question offers exactly the values the contract allows, nothing else."""
        for question in questionnaire.questions:
            expected = contract_values(question.id)
            if question.kind == "choice" and expected is not None:
                assert sorted(map(repr, (c.value for c in question.choices))) == sorted(map(repr, expected))

    def test_items_use_the_studys_wording(self, questionnaire: Questionnaire, kb: KnowledgeBase) -> None:
        """Inventory questions show the item's text; planning services get a question about intentions."""
        question = questionnaire.get("inventory.1.1.happening")
        assert question.statement_for("new") == kb.items["1.1"].text
        assert question.statement_for("planning") == ("Will peer workers be recruited through a formal "
                                                       "recruitment process?")
        assert question.prompt_for("new") == "A. Is this happening here?"
        assert all(q.statement_for("planning").endswith("?") for q in questionnaire.questions if q.item)

    def test_every_question_has_help(self, questionnaire: Questionnaire) -> None:
        """Help says what a question means and why it is asked."""
        for question in questionnaire.questions:
            assert question.help.what and question.help.why, question.id

    @pytest.mark.skipif(not STUDY.exists(), reason="study text not available")
    def test_help_sources_exist_in_the_study(self, questionnaire: Questionnaire) -> None:
        """Every 'where in the study' locator names headings that exist in the report."""
        study = Study.read(STUDY)
        bad = {loc for q in questionnaire.questions for loc in q.help.source if not study.locator_ok(loc)}
        assert not bad

    def test_bad_choices_are_refused_with_the_path(self, kb: KnowledgeBase, tmp_path: Path) -> None:
        """A question file whose choices differ from the contract is refused, naming the field path."""
        text = questions_path(kb).read_text(encoding="utf-8").replace("{value: nhs,", "{value: nhs_trust,", 1)
        path = tmp_path / "questions.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(KnowledgeError) as err:
            load_questionnaire(kb, path)
        assert err.value.path == "questions[1].choices" and "contract's words" in err.value.message


class TestParse:
    """What people type becomes the contract's words, or a message saying what to type."""

    @pytest.mark.parametrize(("qid", "text", "value"), [
        ("context.employer", "nhs", "nhs"), ("context.employer", "NHS", "nhs"),
        ("context.employer", "2", "voluntary"), ("context.employer", "part", "partnership"),
        ("context.staffing_pressure", "yes", True), ("context.staffing_pressure", "false", False),
        ("context.culture.reflective_practice", "Don't know", "dont_know"),
        ("inventory.2.1.happening", "not relevant", "not_relevant"), ("inventory.2.1.importance", "4", 4),
        ("inventory.2.1.importance", "quite", 3), ("context.team_size", "18", 18),
    ])
    def test_accepted(self, questionnaire: Questionnaire, qid: str, text: str, value: object) -> None:
        """Contract words, unambiguous prefixes and listed numbers are accepted."""
        assert parse(questionnaire.get(qid), text, lambda _: None) == [(qid, value)]

    @pytest.mark.parametrize(("qid", "text", "words"), [
        ("context.employer", "maybe", "nhs, voluntary, partnership"),
        ("context.employer", "7", "1-3"),
        ("inventory.2.1.happening", "n", "could be no or not_relevant"),
        ("inventory.2.1.happening", "4", "yes 4"),
        ("context.team_size", "eighteen", "whole number"),
        ("context.team_size", "0", "at least 1"),
    ])
    def test_refused(self, questionnaire: Questionnaire, qid: str, text: str, words: str) -> None:
        """Anything else is refused with a message naming what would do."""
        with pytest.raises(AnswerError, match=words):
            parse(questionnaire.get(qid), text, lambda _: None)

    def test_a_and_b_together(self, questionnaire: Questionnaire) -> None:
        """'yes 4' at question A answers A and B of the item."""
        assert parse(questionnaire.get("inventory.5.2.happening"), "partly 3", lambda _: None) == [
            ("inventory.5.2.happening", "partly"), ("inventory.5.2.importance", 3)]

    def test_peer_workers_at_most_team_size(self, questionnaire: Questionnaire) -> None:
        """peer_workers above the team size is refused with the reason."""
        with pytest.raises(AnswerError, match=r"more than the team size you gave \(18\)"):
            parse(questionnaire.get("context.peer_workers"), "20", {"context.team_size": 18}.get)

    def test_top3(self) -> None:
        """Up to three distinct, known item ids."""
        assert parse_items("2.1, 5.8 5.2") == ["2.1", "5.8", "5.2"]
        for bad, words in [("2.1 2.1", "once"), ("9.9", "not an item"), ("1.1 1.2 1.3 1.4", "at most three")]:
            with pytest.raises(AnswerError, match=words):
                parse_items(bad)

    def test_commands(self) -> None:
        """The five commands are recognised whatever the case; answers are not commands."""
        assert [command(t) for t in ("?", "BACK", " skip ", "review", "quit", "yes")] == [
            "help", "back", "skip", "review", "quit", None]


class TestSession:
    """Position, answers, skip logic, back/jump/review and the saved form."""

    def test_skip_logic_partner_and_led_by(self, questionnaire: Questionnaire) -> None:
        """partner only for partnerships; led_by only when the employer or the partner is voluntary."""
        session = fresh(questionnaire)
        answer(session, "X")
        answer(session, "nhs")
        answer(session, "inpatient")
        assert session.current().id == "context.setting_detail"  # type: ignore[union-attr]
        for employer, partner, asked in [("voluntary", None, ["context.led_by"]),
                                         ("partnership", "social_care", ["context.partner"]),
                                         ("partnership", "voluntary", ["context.partner", "context.led_by"])]:
            session.data["context"]["employer"] = employer
            if partner:
                session.data["context"]["partner"] = partner
            shown = {q.id for q in questionnaire.questions if session.applies(q)}
            assert {"context.partner", "context.led_by"} & shown == set(asked), employer

    def test_changing_employer_drops_partner(self, questionnaire: Questionnaire) -> None:
        """An answer that no longer applies is removed (absent means not known)."""
        session = fresh(questionnaire)
        for text in ("X", "partnership", "inpatient", "voluntary", "peer"):
            answer(session, text)
        assert session.value("context.led_by") == "peer"
        session.jump("context.employer")
        answer(session, "nhs")
        assert session.value("context.partner") is None and session.value("context.led_by") is None
        assert session.current().id == "context.setting_detail"  # type: ignore[union-attr]

    def test_edit_asks_newly_needed_questions_then_returns(self, questionnaire: Questionnaire) -> None:
        """Changing the employer to partnership from the review asks the partner, then goes back."""
        session = fresh(questionnaire)
        answer_until(session, "context.funding", {"organisation": "X", "context.employer": "nhs",
                                                  "context.setting": "community"})
        session.jump("context.employer")
        answer(session, "partnership")
        assert session.current().id == "context.partner"  # type: ignore[union-attr]
        answer(session, "social_care")
        assert session.current().id == "context.funding"  # type: ignore[union-attr]

    def test_group_given_from_the_review_opens_the_inventory_as_a_first_pass(
            self, questionnaire: Questionnaire) -> None:
        """Skipping who is answering reaches the review; giving the group from there goes on through the
        respondent's questions as a first pass would (so `--quick` can order the items), ending at the review."""
        session = Session.new(questionnaire, today=dt.date(2026, 11, 25), quick=True)
        answer_until(session, "respondent.group", {"organisation": "X", "context.employer": "nhs",
                                                   "context.setting": "inpatient", "stage": "new"})
        session.skip()
        assert session.at_end
        session.jump("respondent.group")
        answer(session, "line_manager")
        assert session.returning is None and not session.pending
        session.skip()  # the label
        assert session.in_items()  # where a quick assessment reorders what follows
        while not session.at_end:
            session.skip()
        assert session.value("respondent.group") == "line_manager"

    def test_an_edit_that_opens_questions_before_it_still_returns(self, questionnaire: Questionnaire) -> None:
        """Other edits from the review keep asking what they made necessary, then return to the review."""
        session = fresh(questionnaire)
        answer_until(session, "respondent.group", {"organisation": "X", "context.employer": "nhs",
                                                   "context.setting": "community", "stage": "new"})
        session.skip()
        session.jump("context.employer")
        answer(session, "partnership")
        assert session.current().id == "context.partner"  # type: ignore[union-attr]
        answer(session, "social_care")
        assert session.at_end

    def test_lowering_team_size_reasks_peer_workers(self, questionnaire: Questionnaire) -> None:
        """team_size below the peer workers drops peer_workers and asks it again before returning."""
        session = fresh(questionnaire)
        answer_until(session, "context.funding", {"organisation": "X", "context.employer": "nhs",
                                                  "context.setting": "community", "context.team_size": "10",
                                                  "context.peer_workers": "6"})
        session.jump("context.team_size")
        answer(session, "4")
        assert session.value("context.peer_workers") is None
        assert session.current().id == "context.peer_workers"  # type: ignore[union-attr]
        answer(session, "2")
        assert session.current().id == "context.funding"  # type: ignore[union-attr]

    def test_back_and_required(self, questionnaire: Questionnaire) -> None:
        """back goes to the previous question that applies; required questions cannot be skipped."""
        session = fresh(questionnaire)
        assert not session.back()
        with pytest.raises(SessionError, match="needed"):
            session.skip()
        answer(session, "X")
        answer(session, "voluntary")
        answer(session, "community")
        assert session.current().id == "context.led_by"  # type: ignore[union-attr]
        assert session.back() and session.current().id == "context.setting"  # type: ignore[union-attr]

    def test_progress(self, questionnaire: Questionnaire) -> None:
        """Progress counts the questions that apply, the inventory included before it starts."""
        session = fresh(questionnaire)
        assert str(session.progress()) == "Section 1/5 · The service · question 1 of 107"
        texts = {"organisation": "X", "context.employer": "nhs", "context.setting": "bme"}
        answer_until(session, "context.supervision.one_to_one", texts)
        assert str(session.progress()) == "Section 2/5 · Supervision and support · question 15 of 107"

    def test_saved_data_is_valid_and_resumes(self, questionnaire: Questionnaire, kb: KnowledgeBase) -> None:
        """Once writable the data is a valid answers file at every step, and resuming continues in place."""
        session = fresh(questionnaire)
        texts = {q: v for q, v in SERVICE} | {"stage": "new", "respondent.group": "peer_worker"}
        steps = 0
        while (question := session.current()) is not None:
            if question.id in texts or question.item:
                answer(session, texts.get(question.id, "partly 3"))
            else:
                session.skip()
            steps += 1
            if session.writable():
                data = session.to_data()
                answers_from_data(data, "t.yaml")
                resumed = Session.resume(questionnaire, data)
                assert resumed.position == session.position
        assert steps == 24 + 2 + 40 + 1  # service (nhs: no partner, led_by), group+label, items, top3
        session.finish()
        data = session.to_data()
        assert "session" not in data and data["assessed_on"] == "2026-11-25"
        report = advise(answers_from_data(data, "t.yaml"), kb)
        assert report.findings and report.respondents == 1

    def test_skipped_item_is_left_out(self, questionnaire: Questionnaire) -> None:
        """Skipping an item's A leaves the item out and goes to the next item (B is not asked); A alone is kept."""
        session = fresh(questionnaire)
        answer_until(session, "inventory.1.1.happening", dict(SERVICE) | {"respondent.group": "coworker"})
        session.skip()
        assert session.current().id == "inventory.1.2.happening"  # type: ignore[union-attr]
        answer(session, "yes")
        session.skip()
        assert session.data["responses"][0]["inventory"] == {"1.2": {"happening": "yes"}}

    def test_skipping_the_group_leaves_out_the_inventory(self, questionnaire: Questionnaire) -> None:
        """skip at the respondent group goes straight to the end, with no response recorded."""
        session = fresh(questionnaire)
        answer_until(session, "respondent.group", dict(SERVICE))
        session.skip()
        assert session.at_end and "responses" not in session.data

    def test_add_respondent(self, questionnaire: Questionnaire) -> None:
        """A second respondent is asked only the inventory, into a new response."""
        data = {"format": vocab.ANSWERS_FORMAT, "organisation": "X",
                "context": {"employer": "nhs", "setting": "inpatient"},
                "responses": [{"respondent": {"group": "line_manager"}, "inventory": {}, "top3": []}]}
        session = Session.add_respondent(questionnaire, data, "peer_worker")
        assert session.current().id == "respondent.label"  # type: ignore[union-attr]
        assert all(questionnaire.questions[i].scope == "response" for i in session.applicable())
        session.skip()
        answer(session, "no 4")
        assert session.data["responses"][1]["inventory"] == {"1.1": {"happening": "no", "importance": 4}}
        assert session.writable() and session.data["context"] == {"employer": "nhs", "setting": "inpatient"}
        assert data["responses"][0]["inventory"] == {}
        assert session.to_data()["session"]["scope"] == "respondent"
