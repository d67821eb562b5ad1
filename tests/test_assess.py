"""`peeradvisor assess`, driven through CliRunner `input=` as a service lead would type at a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from peeradvisor.answers import load_answers
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase

runner = CliRunner()

SERVICE = ["Riverside Trust — Ward 4", "nhs", "inpatient", "acute admissions", "new", "paid", "18", "1",
           "agenda_for_change", "open", "no", "yes", "yes", "pilot"]
SUPPORT = ["ad_hoc", "no", "no", "no"]
CULTURE = ["partly", "no", "partly", "no", "no", "partly"]
RESPONDENT = ["line_manager", "Ward manager"]
# 8 items per round, 5 rounds: A and B together, or A then B, or A then skip B
ITEMS = ["yes 4", "no 3", "partly 4", "dont_know", "2", "not_relevant not_relevant", "no 4", "yes 1",
         "partly", "skip"] * 5
END = ["2.1 5.8 5.2", "", "1", ""]  # top3, review: Enter, finding 1: why, Enter: finish


def lines(*parts: list[str]) -> str:
    return "\n".join(x for part in parts for x in part) + "\n"


FULL = lines(SERVICE, SUPPORT, CULTURE, RESPONDENT, ITEMS, END)


def assess(*args: str, input: str = ""):  # type: ignore[no-untyped-def]  # noqa: A002
    return runner.invoke(app, ["assess", *args], input=input)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def flat(text: str) -> str:
    """The output with line wrapping undone, to find messages whatever the width."""
    return " ".join(text.split())


def saved(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_full_session_writes_a_valid_file_that_advise_runs_on(tmp_path: Path, kb: KnowledgeBase) -> None:
    """A whole session in the contract's words gives a valid answers file, findings and the memo command."""
    result = assess(input=FULL)
    assert result.exit_code == 0, result.output
    path = tmp_path / "answers-riverside-trust-ward-4.yaml"
    answers = load_answers(path)
    assert answers.context.employer == "nhs" and answers.context.supervision.one_to_one == "ad_hoc"
    assert answers.context.partner is None and answers.context.led_by is None
    response = answers.responses[0]
    assert response.respondent.group == "line_manager" and response.top3 == ["2.1", "5.8", "5.2"]
    assert response.inventory["1.1"].happening == "yes" and response.inventory["1.1"].importance == 4
    assert response.inventory["1.4"].happening == "dont_know" and response.inventory["1.4"].importance == 2
    assert response.inventory["1.8"].importance is None  # B skipped: not known
    assert answers.session is None  # finished: no position left in the file
    assert advise(answers, kb).findings
    out = result.stdout
    assert "Section 2/5 · Supervision and support · question 15 of 107" in out
    assert "Review your answers" in out and " 1. " in out and "Why:" in out
    assert "peeradvisor advise answers-riverside-trust-ward-4.yaml --format html --output memo.html" in out


def test_plain_80_columns_no_colour() -> None:
    """With NO_COLOR and 80 columns: no escape codes, and question screens fit the width."""
    result = assess(input=FULL)
    assert "\x1b[" not in result.stdout
    wide = [ln for ln in result.stdout.splitlines() if len(ln) > 80 and "peeradvisor " not in ln]
    assert not wide


def test_back_changes_the_previous_answer(tmp_path: Path) -> None:
    """`back` returns to the previous question; the new answer replaces the old."""
    result = assess("t.yaml", input=lines(["X", "nhs", "back", "voluntary", "community", "peer", "quit"]))
    assert result.exit_code == 0, result.output
    context = saved(tmp_path / "t.yaml")["context"]
    assert context == {"employer": "voluntary", "setting": "community", "led_by": "peer"}


def test_review_jumps_to_edit_and_returns(tmp_path: Path) -> None:
    """`review` lists the answers; choosing one edits it, newly needed questions follow, then we carry on."""
    typed = ["X", "nhs", "community", "skip", "new", "review", "2", "partnership", "voluntary", "peer",
             "paid", "quit"]
    result = assess("t.yaml", input=lines(typed))
    assert result.exit_code == 0, result.output
    assert "Your answers so far" in result.stdout and "2. Employer: nhs" in result.stdout
    data = saved(tmp_path / "t.yaml")
    assert data["context"]["employer"] == "partnership" and data["context"]["partner"] == "voluntary"
    assert data["context"]["led_by"] == "peer" and data["context"]["employment"] == "paid"
    assert data["session"]["at"] == "context.team_size"


def test_partner_only_for_partnerships() -> None:
    """The partner question is not asked of an NHS employer, and is asked for a partnership."""
    nhs = assess("a.yaml", input=lines(["X", "nhs", "inpatient", "quit"]))
    assert "Who is the partner" not in nhs.stdout and "peer led or professionally" not in nhs.stdout
    partnership = assess("b.yaml", input=lines(["X", "partnership", "inpatient", "social_care", "quit"]))
    assert "Who is the partner" in partnership.stdout
    assert "peer led or professionally" not in partnership.stdout  # led_by: only with a voluntary partner


def test_bad_input_is_asked_again(tmp_path: Path) -> None:
    """An answer outside the contract, or peer workers above team size, is refused and asked again."""
    typed = ["X", "maybe", "nhs", "inpatient", "skip", "skip", "skip", "18", "20", "2", "quit"]
    result = assess("t.yaml", input=lines(typed))
    out = flat(result.stdout)
    assert "Not recorded: 'maybe' is not an answer here; type one of: nhs, voluntary, partnership" in out
    assert "Not recorded: 20 is more than the team size you gave (18)" in out
    context = saved(tmp_path / "t.yaml")["context"]
    assert context["team_size"] == 18 and context["peer_workers"] == 2


def test_help_explains_the_question() -> None:
    """`?` shows what the question means, why it is asked, what the study found and where."""
    result = assess("t.yaml", input=lines(["X", "?", "quit"]))
    out = result.stdout
    assert "What it means:" in out and "Why it is asked:" in out and "What the study found:" in out
    assert "Where in the study: Chapter 2 › Settings" in out


def test_interrupted_then_resumed(tmp_path: Path, kb: KnowledgeBase) -> None:
    """Input ending mid-way exits 130 with the resume command; the file holds every answer so far."""
    cut = len(SERVICE) + len(SUPPORT) + 3
    first = assess("t.yaml", input=lines((SERVICE + SUPPORT + CULTURE)[:cut]))
    assert first.exit_code == 130
    assert "peeradvisor assess --resume t.yaml" in first.stderr
    data = saved(tmp_path / "t.yaml")
    assert data["context"]["culture"] == {"open_about_mental_health": "partly", "reflective_practice": "no",
                                          "lived_experience_valued": "partly"}
    assert data["session"]["at"] == "context.culture.peer_voice_heard"
    load_answers(tmp_path / "t.yaml")  # valid under the contract even half done
    rest = lines(CULTURE[3:], RESPONDENT, ITEMS, END)
    second = assess("--resume", "t.yaml", input=rest)
    assert second.exit_code == 0, second.output
    assert "Can peer workers speak up" in second.stdout.split("Section")[1]  # resumed at the next question
    answers = load_answers(tmp_path / "t.yaml")
    assert answers.session is None and len(answers.responses[0].inventory) == 40


def test_unfinished_file_is_named_by_its_question(tmp_path: Path) -> None:
    """Adding a respondent to an unfinished file is refused, naming where it stopped in the question's
    own words (not the field path) and how to finish it."""
    cut = len(SERVICE) - 6  # stopped before the pay question
    assert assess("t.yaml", input=lines(SERVICE[:cut])).exit_code == 130
    assert saved(tmp_path / "t.yaml")["session"]["at"] == "context.pay_framework"
    result = assess("--respondent", "peer_worker", "t.yaml")
    assert result.exit_code == 2
    message = flat(result.stderr)
    assert "it stopped at “How are the peer workers paid?”" in message
    assert "context.pay_framework" not in message and "peeradvisor assess --resume t.yaml" in message


def test_interrupted_before_anything_could_be_saved(tmp_path: Path) -> None:
    """Stopping before employer and setting are known writes nothing and says so."""
    result = assess("t.yaml", input=lines(["X", "nhs"]))
    assert result.exit_code == 130
    assert "Nothing was saved" in result.stderr and not (tmp_path / "t.yaml").exists()


def test_respondent_adds_a_second_response(tmp_path: Path) -> None:
    """--respondent GROUP FILE adds a response without asking about the service again."""
    assert assess("t.yaml", input=FULL).exit_code == 0
    result = assess("--respondent", "peer_worker", "t.yaml", input=lines(["skip"], ITEMS[:5], ["quit"]))
    assert result.exit_code == 0, result.output
    assert "Who employs" not in result.stdout and "Section 1/2 · The inventory" in result.stdout
    answers = load_answers(tmp_path / "t.yaml")
    assert [r.respondent.group for r in answers.responses] == ["line_manager", "peer_worker"]
    assert len(answers.responses[1].inventory) == 4
    finish = assess("--resume", "t.yaml", input=lines(ITEMS[5:], ["skip", "", ""]))  # no top3
    assert finish.exit_code == 0, finish.output
    answers = load_answers(tmp_path / "t.yaml")
    assert len(answers.responses[1].inventory) == 40 and answers.session is None


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    """An existing FILE (given or default) is never overwritten without --resume: exit 2, file unchanged."""
    (tmp_path / "t.yaml").write_text("keep me\n")
    result = assess("t.yaml", input=lines(["X"]))
    assert result.exit_code == 2 and "t.yaml already exists" in result.stderr
    assert "--resume t.yaml" in result.stderr and (tmp_path / "t.yaml").read_text() == "keep me\n"
    (tmp_path / "answers-x.yaml").write_text("keep me too\n")
    result = assess(input=lines(["X", "nhs"]))
    assert result.exit_code == 2 and "answers-x.yaml already exists" in result.stderr
    assert (tmp_path / "answers-x.yaml").read_text() == "keep me too\n"


@pytest.mark.parametrize(("args", "words"), [
    (["--respondent", "nurse", "t.yaml"], "must be one of peer_worker"),
    (["--respondent", "coworker"], "needs the answers FILE"),
    (["--resume", "t.yaml", "other.yaml"], "give no other FILE"),
    (["--resume", "missing.yaml"], "missing.yaml: no such file"),
])
def test_usage_errors_exit_2(args: list[str], words: str) -> None:
    """Wrong combinations and unknown groups exit 2 with one Error line naming the problem."""
    result = assess(*args)
    assert result.exit_code == 2 and words in result.stderr and result.stderr.startswith("Error: ")


def test_resume_a_finished_file_opens_at_the_review(tmp_path: Path) -> None:
    """A file with no position left (e.g. hand-written) opens at the review; unchanged, it is kept as is."""
    example = Path(__file__).resolve().parents[1] / "examples" / "nhs-inpatient-new.yaml"
    path = tmp_path / "mine.yaml"
    path.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    result = assess("--resume", "mine.yaml", input="\n\n")
    assert result.exit_code == 0, result.output
    assert "Review your answers" in result.stdout and "Why:" not in result.stdout.split("Review")[0]
    assert path.read_text(encoding="utf-8") == example.read_text(encoding="utf-8")  # comments kept
    edited = assess("--resume", "mine.yaml", input=lines(["2", "voluntary", "peer", "", ""]))
    assert edited.exit_code == 0, edited.output
    answers = load_answers(path)
    assert answers.context.employer == "voluntary" and answers.context.led_by == "peer"
    assert answers.session is None and answers.responses == load_answers(example).responses
