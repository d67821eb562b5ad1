"""Next questions: which unanswered question would change the advice, and exactly how (contract section 2b)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peeradvisor import vocab
from peeradvisor.analysis.whatif import Change, apply_sets, revalidate
from peeradvisor.answers import Answers, answers_from_data
from peeradvisor.cases import load_folder, scenarios_folder
from peeradvisor.cli import app
from peeradvisor.core import advise, build_report, run_engine
from peeradvisor.kb import KnowledgeBase
from peeradvisor.report import Report
from peeradvisor.yamlio import load_file, parse_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASES = load_folder(ROOT / "tests" / "cases") + load_folder(scenarios_folder(ROOT))
runner = CliRunner()


def files() -> list[tuple[str, dict[str, Any]]]:
    """Every bundled example, test case and scenario, as answers data."""
    out = [(path.name, load_file(path)) for path in EXAMPLES]
    return out + [(case.name, dict(case.answers)) for case in CASES]


def with_set_report(data: dict[str, Any], path: str, value: str, kb: KnowledgeBase) -> Report:
    """The report of `advise FILE --set PATH=VALUE` (its next questions aside): the answers changed as --set
    changes them, and a full engine run."""
    answers = with_set(data, path, value)
    facts, firings = run_engine(answers, kb)
    return build_report(answers, kb, facts, firings, questions=False)


def leads(report: Report) -> list[tuple[str, str]]:
    """Each priority as what it asks and which finding leads it, in order."""
    return [(p.point, p.findings[0]) for p in report.priorities]


def moved(before: list[tuple[str, str]], after: list[tuple[str, str]]) -> int:
    """How many priorities differ: new or gone (the larger), or 1 when only their order changed."""
    if before == after:
        return 0
    return max(len(set(after) - set(before)), len(set(before) - set(after))) or 1


def check_file(name: str, data: dict[str, Any], kb: KnowledgeBase) -> tuple[int, list[str]]:
    """Every outcome of every next question of one file, re-run in full: (how many, those whose findings or
    count of changed priorities differ)."""
    report = advise(answers_from_data(data, name), kb)
    given = {f.id for f in report.findings}
    checked, wrong = 0, []
    for question in report.next_questions:
        for outcome in question.outcomes:
            again = with_set_report(data, question.path, outcome.value, kb)
            if {f.id for f in again.findings} != (given | set(outcome.appear)) - set(outcome.go):
                wrong.append(f"{name}: {question.path}={outcome.value}: findings")
            if moved(leads(report), leads(again)) != outcome.priorities:
                wrong.append(f"{name}: {question.path}={outcome.value}: priorities")
            checked += 1
    return checked, wrong


_SHARED: dict[str, Any] = {}


def _check_share(share: int) -> tuple[int, list[str]]:
    """One worker's share of the files (a forked process: the knowledge base and engine come with it)."""
    kb, todo = _SHARED["kb"], _SHARED["files"]
    checked, wrong = 0, []
    for name, data in todo[share::WORKERS]:
        n, bad = check_file(name, data, kb)
        checked, wrong = checked + n, wrong + bad
    return checked, wrong


WORKERS = 2


def with_set(data: dict[str, Any], path: str, value: str) -> Answers:
    """The answers as `advise FILE --set PATH=VALUE` reads them."""
    changes = [Change(path, parse_text(value, "--set"), value)]
    return revalidate(apply_sets(data, changes), "test", changes)


THIN = {
    "format": "peeradvisor/answers@1", "organisation": "Thin ward", "stage": "new",
    "context": {"employer": "nhs", "setting": "inpatient"},
    "responses": [{"respondent": {"group": "line_manager"},
                   "inventory": {"1.1": "yes", "2.1": "partly", "5.2": "no"}}],
}


def test_every_listed_outcome_is_what_set_gives(kb: KnowledgeBase) -> None:
    """Over every example, case and scenario: `--set PATH=VALUE` gives the findings plus appear minus go, and
    changes as many priorities as claimed (the proof that re-evaluating only what an answer touches equals a
    full engine run). Two processes share the work."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from peeradvisor.core import engine_for

    engine_for(kb).warm()  # built once, before the workers are forked
    _SHARED.update(kb=kb, files=files())
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        results = list(pool.map(_check_share, range(WORKERS)))
    wrong = [w for _, bad in results for w in bad]
    assert not wrong, wrong[:10]
    assert sum(n for n, _ in results) > 3000


def test_many_unknowns_give_questions_most_first(kb: KnowledgeBase) -> None:
    """A thin file gets at least three questions, each changing the advice, ordered by how much."""
    report = advise(answers_from_data(THIN, "thin"), kb)
    questions = report.next_questions
    assert 3 <= len(questions) <= 5
    for question in questions:
        assert any(o.appear or o.go or o.priorities for o in question.outcomes)
        assert question.path.startswith(("context.", "responses[0].inventory."))
    weights = [max(o.priorities for o in q.outcomes) for q in questions]
    assert weights == sorted(weights, reverse=True)


def test_a_context_question_lists_every_answer_in_its_own_words(kb: KnowledgeBase) -> None:
    """A choice question's outcomes cover each of the contract's answers; the text is the question asked."""
    report = advise(answers_from_data(THIN, "thin"), kb)
    prepared = next(q for q in report.next_questions if q.path == "context.supervision.manager_prepared")
    assert [o.value for o in prepared.outcomes] == ["yes", "partly", "no", "dont_know"]
    assert prepared.question == "Is the peer workers' manager prepared to give support specific to the peer role?"


def test_nothing_unanswered_means_no_questions(kb: KnowledgeBase) -> None:
    """When every question that could matter is answered, next_questions is empty."""
    data = copy.deepcopy(THIN)
    data["context"] = load_file(ROOT / "examples" / "nhs-inpatient-new.yaml")["context"]
    data["responses"][0]["inventory"] = {i: "partly" for i in vocab.ITEM_IDS}
    assert advise(answers_from_data(data, "full"), kb).next_questions == []


def test_an_item_is_asked_of_someone_who_has_not_answered_it(kb: KnowledgeBase) -> None:
    """With several respondents, the path names one who has not answered the item, and the text says who."""
    data = load_file(ROOT / "examples" / "nhs-inpatient-new.yaml")
    report = advise(answers_from_data(data, "nhs"), kb)
    items = [q for q in report.next_questions if ".inventory." in q.path]
    assert items
    for question in items:
        index = int(question.path.split("[")[1].split("]")[0])
        item = question.path.rsplit("inventory.", 1)[1]
        response = data["responses"][index]
        assert item not in response["inventory"]
        assert question.question.endswith(f"(ask: {response['respondent']['label']})")


def test_numbers_are_tried_where_the_rules_thresholds_fall(kb: KnowledgeBase) -> None:
    """An unknown peer worker count is tried at the values either side of the rules' thresholds."""
    data = copy.deepcopy(THIN)
    data["context"]["team_size"] = 20
    report = advise(answers_from_data(data, "thin"), kb)
    peers = next(q for q in report.next_questions + _all(data, kb) if q.path == "context.peer_workers")
    values = [int(o.value) for o in peers.outcomes]
    assert values[0] == 0 and values == sorted(values) and all(v <= 20 for v in values)


def _all(data: dict[str, Any], kb: KnowledgeBase) -> list[Any]:
    from peeradvisor.core import probing
    from peeradvisor.core.questions import context_candidates, ranked, tried
    from peeradvisor.report import NextQuestion

    answers = answers_from_data(data, "x")
    _, probe = probing(answers, kb)
    return [NextQuestion(path=t.candidate.path, question=t.candidate.question, outcomes=t.outcomes())
            for t in ranked(tried(probe, c) for c in context_candidates(answers, kb, probe))]


def test_json_report_carries_next_questions(tmp_path: Path, kb: KnowledgeBase,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`advise --format json` has next_questions with path, question and outcomes (value, appear, go)."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)
    path = tmp_path / "thin.yaml"
    path.write_text(json.dumps(THIN), encoding="utf-8")
    result = runner.invoke(app, ["advise", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    question = json.loads(result.stdout)["next_questions"][0]
    assert set(question) == {"path", "question", "outcomes"}
    assert {"value", "appear", "go"} <= set(question["outcomes"][0])


@pytest.mark.parametrize("fmt", ["md", "text"])
def test_what_to_ask_next_says_the_effect_in_plain_words(tmp_path: Path, kb: KnowledgeBase, fmt: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo and the screen show the question and "If …: N more warnings …", never ids or paths."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)
    path = tmp_path / "thin.yaml"
    path.write_text(json.dumps(THIN), encoding="utf-8")
    result = runner.invoke(app, ["advise", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    section = result.stdout.split("What to ask next", 1)[1][:2500]
    flat = " ".join(section.split())
    assert "If " in flat and ("more warning" in flat or "fewer warning" in flat)
    report = advise(answers_from_data(THIN, "thin"), kb)
    for question in report.next_questions:
        assert question.path not in flat
        for outcome in question.outcomes:
            assert not any(i in flat for i in outcome.appear + outcome.go)


def survey(people: int) -> Answers:
    """PEOPLE respondents over the six groups, each leaving most items unanswered, some rating importance."""
    responses = []
    for n in range(people):
        items = [vocab.ITEM_IDS[(n * 7 + k * 3) % 40] for k in range(4)]
        inventory: dict[str, Any] = {i: ("yes", "no", "partly")[(n + k) % 3] for k, i in enumerate(items)}
        inventory[vocab.ITEM_IDS[(n * 11) % 40]] = {"importance": n % 4 + 1}  # rated, not answered
        responses.append({"respondent": {"group": vocab.GROUPS[n % 6]}, "inventory": inventory})
    return answers_from_data({"format": vocab.ANSWERS_FORMAT, "organisation": "Survey", "stage": "established",
                              "context": {"employer": "nhs", "setting": "community"}, "responses": responses},
                             "survey")


def test_alike_respondents_are_tried_once_and_would_change_the_same(kb: KnowledgeBase) -> None:
    """Respondents of one group who gave an item the same importance are alike: whoever of them answers, the
    advice changes the same way; only the first is a candidate."""
    from peeradvisor.core import probing
    from peeradvisor.core.edits import Edit
    from peeradvisor.core.questions import item_candidates

    answers = survey(60)
    _, probe = probing(answers, kb)
    tried_paths = {c.path for c in item_candidates(answers, kb, probe)}
    checked = 0
    for item_id in vocab.ITEM_IDS[:12]:
        alike: dict[tuple[str, object], list[int]] = {}
        for index, response in enumerate(answers.responses):
            given = response.inventory.get(item_id)
            if given is None or given.happening is None:
                alike.setdefault((response.respondent.group, given.importance if given else None), []).append(index)
        for indices in alike.values():
            if len(indices) < 2 or f"responses[{indices[0]}].inventory.{item_id}" not in tried_paths:
                continue
            assert not any(f"responses[{i}].inventory.{item_id}" in tried_paths for i in indices[1:])
            for value in ("yes", "no"):
                first, other = (probe.effect([Edit(f"responses[{i}].inventory.{item_id}", value)])
                                for i in (indices[0], indices[-1]))
                assert (first.appear, first.go, first.priorities) == (other.appear, other.go, other.priorities)
                checked += 1
    assert checked > 10


def test_a_large_survey_has_few_candidates(kb: KnowledgeBase) -> None:
    """Thousands of respondents give at most one candidate per item, group and importance: next questions
    stay quick for a survey export of any size."""
    from peeradvisor.core import probing
    from peeradvisor.core.questions import item_candidates

    answers = survey(3000)
    _, probe = probing(answers, kb)
    assert len(item_candidates(answers, kb, probe)) <= len(vocab.ITEM_IDS) * len(vocab.GROUPS) * 5
