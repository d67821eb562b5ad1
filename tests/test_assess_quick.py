"""`assess --quick`, and what a new user met in `assess`, driven through the prompts as a person would answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from peeradvisor import vocab
from peeradvisor.answers import answers_from_data, load_answers
from peeradvisor.assess import fields
from peeradvisor.assess.terminal import STOP, Assessment
from peeradvisor.cli import app
from peeradvisor.core import probing
from peeradvisor.core.questions import item_order
from peeradvisor.kb import KnowledgeBase
from peeradvisor.yamlio import load_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = load_file(ROOT / "examples" / "nhs-inpatient-new.yaml")
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase) -> None:
    import peeradvisor.kb as kb_module

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)


def flat(text: str) -> str:
    return " ".join(text.split())


def person(data: dict[str, Any], respondent: int, asked: list[str], *, at_stop: str = "finish") -> Callable[..., str]:
    """Someone who reads each prompt and answers as the answers file DATA says (their own inventory is
    response RESPONDENT); unanswered questions are skipped. ASKED collects the questions shown."""
    source = data["responses"][respondent]

    def read(self: Assessment, prompt: str = "> ") -> str:
        if self.at_offer:
            asked.append("stop")
            return at_stop
        question = self.session.current()
        if question is None or not prompt.startswith(">"):
            return ""  # the review, then the findings: Enter
        asked.append(question.id)
        if question.scope == "service":
            value = fields.get(data, fields.path_of(question.id, 0))
        elif question.id.startswith("respondent."):
            value = source["respondent"].get(question.id.split(".")[1])
        elif question.id == "top3":
            value = " ".join(source.get("top3") or []) or None
        else:
            answer = source["inventory"].get(question.item)
            value = (answer if isinstance(answer, dict) else {"happening": answer}).get(question.part) \
                if answer is not None else None
        if value is None:
            return "skip"
        return {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)

    return read


def test_quick_orders_items_by_effect_and_stops_early(tmp_path: Path, kb: KnowledgeBase,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """On a bundled example: the context, then items most-changing first; it offers to stop well before the
    107 questions, and finishing gives the advice from what was answered."""
    asked: list[str] = []
    monkeypatch.setattr(Assessment, "_read", person(EXAMPLE, 0, asked))
    result = runner.invoke(app, ["assess", "--quick", "t.yaml"])
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert STOP in out and "Start here" in out and asked.count("stop") == 1
    questions = asked[:asked.index("stop")]
    assert len(questions) < 60 and not any(q.endswith(".importance") for q in questions)
    items = [q.split(".")[1] + "." + q.split(".")[2] for q in questions if q.startswith("inventory.")]
    context_only = {k: v for k, v in EXAMPLE.items() if k != "responses"}
    start = answers_from_data({**context_only, "responses": [
        {"respondent": EXAMPLE["responses"][0]["respondent"], "inventory": {}, "top3": []}]}, "start")
    _, probe = probing(start, kb)
    assert items[0] == item_order(probe, 0, list(vocab.ITEM_IDS))[0]
    saved = load_answers(tmp_path / "t.yaml")
    assert saved.session is None and set(saved.responses[0].inventory) <= set(items)
    assert "add --all" not in out and "type a main point's number below, or all" in out


def test_quick_go_on_keeps_asking_then_resumes_in_the_same_order(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Pressing Enter at the offer goes on with the next item; a quick file resumes quick, in its order."""
    asked: list[str] = []
    monkeypatch.setattr(Assessment, "_read", person(EXAMPLE, 0, asked, at_stop=""))
    result = runner.invoke(app, ["assess", "--quick", "t.yaml"], input="")
    assert result.exit_code == 0, result.output
    stop = asked.index("stop")
    assert asked[stop + 1].startswith("inventory.")  # went on
    assert asked.count("stop") == 1  # offered once while nothing changes
    assert "top3" in asked  # and on to the end


def test_quick_file_resumes_in_quick_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quitting a quick assessment saves its order; --resume carries on with the same next item."""
    asked: list[str] = []
    reader = person(EXAMPLE, 0, asked)

    def quit_after_three_items(self: Assessment, prompt: str = "> ") -> str:
        if sum(q.startswith("inventory.") for q in asked) >= 3:
            return "quit"
        return reader(self, prompt)

    monkeypatch.setattr(Assessment, "_read", quit_after_three_items)
    assert runner.invoke(app, ["assess", "--quick", "t.yaml"]).exit_code == 0
    session = yaml.safe_load((tmp_path / "t.yaml").read_text(encoding="utf-8"))["session"]
    assert session["quick"] is True and sorted(session["order"]) == sorted(vocab.ITEM_IDS)
    expected = session["at"]
    again: list[str] = []
    monkeypatch.setattr(Assessment, "_read", person(EXAMPLE, 0, again))
    result = runner.invoke(app, ["assess", "--resume", "t.yaml"])
    assert result.exit_code == 0, result.output
    assert again[0] == expected and "Resuming" in result.stdout


SERVICE = ["X", "nhs", "inpatient", "skip", "new"]


def lines(*parts: str) -> str:
    return "\n".join(parts) + "\n"


def test_skip_or_not_relevant_at_a_does_not_ask_b(tmp_path: Path) -> None:
    """Skipping an item's A, or answering not_relevant, goes to the next item's A, not to B."""
    typed = ["X", "nhs", "inpatient", "skip", "new", *["skip"] * 19, "line_manager", "skip",
             "skip", "not_relevant", "yes", "quit"]
    result = runner.invoke(app, ["assess", "t.yaml"], input=lines(*typed))
    assert result.exit_code == 0, result.output
    inventory = yaml.safe_load((tmp_path / "t.yaml").read_text(encoding="utf-8"))["responses"][0]["inventory"]
    assert inventory == {"1.2": {"happening": "not_relevant"}, "1.3": {"happening": "yes"}}
    screens = result.stdout.split("Section 4/5")
    assert "1.1" in screens[3] and "A. Is this" in screens[3]
    assert "1.2" in screens[4] and "1.3" in screens[5] and "B. How important" not in screens[4] + screens[5][:400]


def test_skip_is_offered_only_where_it_is_accepted() -> None:
    """Organisation and employer prompts do not offer skip; an optional question does."""
    result = runner.invoke(app, ["assess", "t.yaml"], input=lines("X", "nhs", "inpatient", "quit"))
    screens = result.stdout.split("Section 1/")
    assert "skip" not in screens[1] and "skip" not in screens[2]  # organisation, employer
    assert "· skip ·" in screens[4]  # setting detail (optional)


def test_resume_says_where_it_resumes(tmp_path: Path) -> None:
    """--resume opens with the organisation and how many answers are already given."""
    runner.invoke(app, ["assess", "t.yaml"], input=lines("Riverside", "nhs", "inpatient", "acute", "quit"))
    result = runner.invoke(app, ["assess", "--resume", "t.yaml"], input=lines("quit"))
    assert "Resuming Riverside (4 answers so far)" in flat(result.stdout)


def test_closing_suggests_a_group_not_yet_heard(tmp_path: Path) -> None:
    """After a peer worker's answers are added, the closing text suggests another group, not peer workers."""
    (tmp_path / "t.yaml").write_text(yaml.safe_dump({**EXAMPLE, "responses": EXAMPLE["responses"][:1]}),
                                     encoding="utf-8")
    result = runner.invoke(app, ["assess", "--resume", "t.yaml"], input=lines("", ""))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "--respondent coworker t.yaml" in out and "--respondent peer_worker" not in out


def test_end_of_input_is_reported_on_standard_error(tmp_path: Path) -> None:
    """Input running out exits 130; the message and the resume command go to standard error."""
    result = runner.invoke(app, ["assess", "t.yaml"], input=lines("X", "nhs", "inpatient"))
    assert result.exit_code == 130
    assert "End of input." in result.stderr and "peeradvisor assess --resume t.yaml" in result.stderr
    assert "--resume" not in result.stdout


def test_results_read_a_main_point_or_all_in_full(tmp_path: Path) -> None:
    """At the results, a main point's number shows its findings in full; all shows every finding."""
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(EXAMPLE), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--resume", "t.yaml"], input=lines("", "1", "99", "all", ""))
    assert result.exit_code == 0, result.output
    out = result.stdout.split("Type a main point's number", 1)[1]
    first, rest = out.split("Not recorded:", 1)
    assert "Study: Chapter" in first
    report = load_answers(tmp_path / "t.yaml")
    from peeradvisor.api import advise

    assert rest.count("Study: ") >= len(advise(report).findings)
