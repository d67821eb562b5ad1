"""Re-assessment (`advise FILE --since OLD_FILE`, issue 18): what changed, and why each finding came or went."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, answer_files
from typer.testing import CliRunner

from peeradvisor import vocab
from peeradvisor.analysis.since import compare
from peeradvisor.answers import Answers, answers_from_data, answers_to_data, load_answers
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase
from peeradvisor.render import markdown as md_render
from peeradvisor.render.memo import WORD_LIMIT, Previous, build_memo, count_words
from peeradvisor.render.since_words import cause_sentence, change_line, moved_line, rules_note
from peeradvisor.report import Report

ROOT = Path(__file__).resolve().parents[1]
NHS = ROOT / "examples" / "nhs-inpatient-new.yaml"
LATER = ROOT / "examples" / "since" / "nhs-inpatient-new-later.yaml"
PLANNING = ROOT / "examples" / "partnership-bme-planning.yaml"
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def edited(answers: Answers, path: str, value: Any) -> Answers:
    """The answers with one context field (a dotted path under `context`) set to VALUE."""
    data = answers_to_data(answers)
    *parents, last = path.split(".")
    node = data["context"]
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return answers_from_data(data, "<test>")


def write(tmp_path: Path, name: str, answers: Answers) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(answers_to_data(answers), default=str), encoding="utf-8")
    return path


def test_context_change_is_listed_and_explains_each_new_finding(kb: KnowledgeBase, tmp_path: Path) -> None:
    """One-to-one supervision none → ad hoc is listed in words, and every new finding says it appeared because of it."""
    before = load_answers(PLANNING)  # one-to-one supervision: none
    now = edited(before, "supervision.one_to_one", "ad_hoc")
    since = compare(before, advise(before, kb), now, advise(now, kb), kb)
    assert [change_line(c, kb) for c in since.context] == ["One-to-one supervision: none → ad hoc"]
    assert since.new, "the planning example gains findings when supervision is no longer none"
    for change in since.new:
        assert cause_sentence(change, kb) == "Appeared because one-to-one supervision changed from none to ad hoc."
    result = invoke("advise", str(write(tmp_path, "now.json", now)), "--since", str(PLANNING))
    assert result.exit_code == 0, result.stderr
    assert "One-to-one supervision: none → ad hoc" in result.stdout
    assert "Appeared because one-to-one supervision changed from none to ad hoc." in result.stdout
    assert "supervision.one_to_one" not in result.stdout and "ad_hoc" not in result.stdout


def test_an_improved_item_explains_the_warning_it_brings(kb: KnowledgeBase) -> None:
    """6.1 no → yes ends one warning and brings another; both name the item in words, not its id."""
    now = load_answers(NHS)
    data = answers_to_data(now)
    for response in data["responses"]:
        if "6.1" in response["inventory"]:
            response["inventory"]["6.1"]["happening"] = "no"
    before = answers_from_data(data, "<test>")
    since = compare(before, advise(before, kb), now, advise(now, kb), kb)
    new = {c.id: c for c in since.new}
    assert "top-support-not-reaching-front-line" in new
    text = cause_sentence(new["top-support-not-reaching-front-line"], kb)
    assert text == "Appeared because “Top-level support” changed from no to yes."
    assert all(cause_sentence(c, kb).startswith("Because “Top-level support”") for c in since.resolved)


def test_a_finding_that_stood_in_for_another_is_named(kb: KnowledgeBase) -> None:
    """A second peer worker ends the lone-worker cover warning; the general cover warning it stood in for says so."""
    before, now = load_answers(NHS), load_answers(LATER)
    since = compare(before, advise(before, kb), now, advise(now, kb), kb)
    cover = next(c for c in since.new if c.id == "cover-lacking")
    assert cover.cause is not None and cover.cause.kind == "replaced"
    assert cause_sentence(cover, kb) == (
        "Said before, more specifically, as “With one peer worker, the peer part of the work may go uncovered”, "
        "which no longer applies because the number of peer workers went from 1 to 2.")


def _shuffled(report: Report, moves: dict[int, int]) -> Report:
    """The report with findings moved (index -> new index), re-ranked: an earlier report to compare with."""
    order = list(report.findings)
    for old, new in moves.items():
        order.insert(new, order.pop(old))
    return report.model_copy(update={"findings": [f.model_copy(update={"rank": n})
                                                  for n, f in enumerate(order, start=1)]})


def test_small_rank_moves_are_not_listed(kb: KnowledgeBase) -> None:
    """Moves of one or two places are left out; three places or more are listed."""
    answers = load_answers(NHS)
    report = advise(answers, kb)
    earlier = _shuffled(report, {12: 11, 20: 18, 25: 15})  # was 1, 2 and 10 places higher than it is now
    since = compare(answers, earlier, answers, report, kb)
    assert [c.id for c in since.moved] == [report.findings[25].id]
    assert since.moved[0].shift == -10 and moved_line(since.moved[0]).startswith("Down 10 places: ")
    small = {abs(c.shift) for c in since.unchanged if c.shift and c not in since.moved}
    assert small == {1, 2}


def test_a_finding_joining_the_priorities_is_listed(kb: KnowledgeBase) -> None:
    """A finding that moved into Start here is listed even when it moved by one place."""
    answers = load_answers(NHS)
    report = advise(answers, kb)
    joined = report.priorities[1].findings[-1]
    earlier_priorities = [p.model_copy(update={"findings": [i for i in p.findings if i != joined]})
                          for p in report.priorities]
    earlier = report.model_copy(update={"priorities": earlier_priorities})
    since = compare(answers, earlier, answers, report, kb)
    assert [(c.id, c.priority, c.previous_priority) for c in since.moved] == [(joined, True, False)]


def test_nothing_changed_lists_nothing(kb: KnowledgeBase) -> None:
    """The same answers twice: no answers, findings, priorities or moves to list."""
    answers = load_answers(NHS)
    report = advise(answers, kb)
    since = compare(answers, report, answers, report, kb)
    assert (since.answers, since.new, since.resolved, since.moved, since.priorities_new) == ([], [], [], [], [])


def _older_rules(report: Report, drop: str) -> Report:
    """REPORT as if older rules had made it: another stamp and no finding DROP."""
    stamp = report.kb.model_copy(update={"version": "0.1.0", "rules": report.kb.rules - 1, "sha256": "0" * 64})
    kept = [f for f in report.findings if f.id != drop]
    return report.model_copy(update={"kb": stamp, "findings": [f.model_copy(update={"rank": n})
                                                               for n, f in enumerate(kept, start=1)]})


def test_different_rules_give_a_note_and_a_cause(kb: KnowledgeBase) -> None:
    """Two kb stamps: the note names both; a new finding whose answers did not change came with the rules."""
    answers = load_answers(NHS)
    report = advise(answers, kb)
    dropped = report.findings[3].id
    since = compare(answers, _older_rules(report, dropped), answers, report, kb)
    assert since.rules_changed
    assert [c.id for c in since.new] == [dropped]
    assert cause_sentence(since.new[0], kb) == "Appeared with the changed rules, not a change in the answers."
    note = rules_note(since)
    assert "The rules have changed" in note and "0.1.0" in note and report.kb.version in note
    assert "1 finding came or went with the rules rather than the answers, and says so" in note
    same = compare(answers, report, answers, report, kb)
    assert "same rules" in rules_note(same) and not same.rules_changed


def test_a_saved_report_compares_with_the_rules_it_was_made_with(tmp_path: Path) -> None:
    """--since REPORT.json: the saved report's rules stamp and findings are used as they were."""
    saved = json.loads(invoke("advise", str(NHS), "-f", "json").stdout)
    dropped = saved["findings"].pop(5)
    saved["kb"] = {"version": "0.1.0", "rules": saved["kb"]["rules"] - 1, "sha256": "0" * 64}
    path = tmp_path / "november.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    result = invoke("advise", str(LATER), "--since", str(path), "--all")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Note: The rules have changed since the earlier report" in out
    assert f"+ {dropped['title']} Appeared with the changed rules, not a change in the answers." in out
    memo = invoke("advise", str(LATER), "--since", str(path), "-f", "md").stdout
    assert "\n**Note:** The rules have changed since the earlier report: it was made with peeradvisor 0.1.0" in memo
    data = json.loads(invoke("advise", str(LATER), "--since", str(path), "-f", "json").stdout)["since"]
    assert data["rules_changed"] and data["kb"]["previous"]["version"] == "0.1.0"
    assert {c["field"] for c in data["context"]} >= {"supervision.one_to_one", "peer_workers"}


def test_a_saved_report_without_its_answers_is_refused(tmp_path: Path) -> None:
    """A report saved without an `answers` key cannot be compared: exit 2, naming the key and what to give."""
    saved = json.loads(invoke("advise", str(NHS), "-f", "json").stdout)
    del saved["answers"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    result = invoke("advise", str(LATER), "--since", str(path))
    assert result.exit_code == 2
    assert f"{path}: answers:" in result.stderr and "earlier answers file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_answer_inside_a_saved_report_names_its_path(tmp_path: Path) -> None:
    """An invalid answer in a saved report's `answers` is named by its path inside the report."""
    saved = json.loads(invoke("advise", str(NHS), "-f", "json").stdout)
    saved["answers"]["context"]["funding"] = "lots"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    result = invoke("advise", str(LATER), "--since", str(path))
    assert result.exit_code == 2 and f"{path}: answers.context.funding:" in result.stderr


def test_the_comparison_comes_first_on_the_terminal() -> None:
    """On screen: the header, then what changed, then Start here."""
    result = invoke("advise", str(LATER), "--since", str(NHS))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("peeradvisor — ") and lines[3] == "What changed since 25 November 2026"
    assert lines.index("What changed since 25 November 2026") < lines.index("Start here")
    assert "9 answers changed; 4 findings no longer apply and 1 is new; Start here is the same." in \
        " ".join(result.stdout.split())
    assert "… and 3 more: add --all" in result.stdout


def test_files_given_the_other_way_round_are_noticed() -> None:
    """An earlier file dated after the assessment gets a note asking whether the two were swapped."""
    result = invoke("advise", str(NHS), "--since", str(LATER))
    assert result.exit_code == 0, result.stderr
    assert "were the two files given the other way round?" in " ".join(result.stdout.split())
    assert "other way round" not in invoke("advise", str(LATER), "--since", str(NHS)).stdout


def test_all_shows_every_changed_answer() -> None:
    """--all lists every changed answer instead of the first few."""
    result = invoke("advise", str(LATER), "--since", str(NHS), "--all")
    assert "Manager skills for peer teams: no → partly" in result.stdout and "more: add --all" not in result.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_memos_show_the_comparison_after_start_here(fmt: str) -> None:
    """Memos: the gist in the opening summary, Start here, then the section with answers and reasons."""
    result = invoke("advise", str(LATER), "--since", str(NHS), "-f", fmt)
    assert result.exit_code == 0, result.stderr
    text = re.sub(r"<[^>]+>", " ", result.stdout) if fmt == "html" else result.stdout
    text = " ".join(text.replace("&#34;", '"').split())
    assert "Since 25 November 2026, 9 answers changed;" in text
    assert text.index("Start here") < text.index("What changed since 25 November 2026") < text.index(
        "The context as understood")
    assert "One-to-one supervision: ad hoc → regular" in text
    assert "Because now peer workers can meet and support one another." in text


def test_the_comparison_keeps_the_memo_within_its_word_limit(kb: KnowledgeBase) -> None:
    """Against a very different earlier file, everything before the Appendix stays within 1,500 words."""
    for old_path, new_path in ((PLANNING, NHS), (NHS, PLANNING), (NHS, LATER)):
        old, new = load_answers(old_path), load_answers(new_path)
        memo = build_memo(new, advise(new, kb), kb, date=dt.date(2027, 3, 18),
                          previous=Previous(old, advise(old, kb)))
        front = md_render.render(memo).partition("\n# Appendix\n")[0]
        assert count_words(front) <= WORD_LIMIT, (old_path.name, new_path.name, count_words(front))
        assert memo.since is not None and memo.points


def test_new_priorities_are_marked_in_start_here(kb: KnowledgeBase) -> None:
    """A priority that was not there before is marked (new) in the memo's Start here and listed as changed."""
    before = load_answers(NHS)
    now = edited(before, "culture.personal_boundaries_supported", "yes")
    memo = build_memo(now, advise(now, kb), kb, date=dt.date(2027, 3, 18),
                      previous=Previous(before, advise(before, kb)))
    assert [p.new for p in memo.priorities].count(True) == 1
    assert memo.since is not None and any(line.startswith("New in Start here: ") for line in memo.since.priorities)
    whole = memo.since_full or memo.since  # the front may keep only the first change; the Appendix has all
    assert any(line.startswith("No longer in Start here: ") and line.endswith("(its findings no longer apply)")
               for line in whole.priorities)
    assert "(new)" in md_render.render(memo).partition("## What changed")[0]


def test_a_trimmed_comparison_is_whole_in_the_appendix(kb: KnowledgeBase) -> None:
    """When the word budget trims the comparison at the front, the Appendix lists every change, and the
    front says where the rest are."""
    memo = build_memo(load_answers(LATER), advise(load_answers(LATER), kb), kb, date=dt.date(2027, 3, 18),
                      previous=Previous(load_answers(NHS), advise(load_answers(NHS), kb)))
    assert memo.since is not None and memo.since_full is not None
    assert memo.since.more_answers and not memo.since_full.more_answers
    assert len(memo.since_full.answers) == len(memo.since.answers) + memo.since.more_answers
    front, _, appendix = md_render.render(memo).partition("\n# Appendix\n")
    assert f"and {memo.since.more_answers} more (all in the Appendix)" in front
    assert all(line in appendix for line in memo.since_full.answers)


CHANGEABLE = [(field, value) for field, values in vocab.CONTEXT_FIELDS.items() if values
              for value in values if field not in ("stage", "employer", "setting")]


@SETTINGS
@given(data=answer_files(), change=st.sampled_from(CHANGEABLE), item=st.sampled_from(vocab.ITEM_IDS),
       answer=st.sampled_from(["yes", "partly", "no", "dont_know"]))
def test_every_finding_that_comes_or_goes_is_explained(kb: KnowledgeBase, data: dict[str, Any],
                                                       change: tuple[str, Any], item: str, answer: str) -> None:
    """For any answers file and one changed context answer and item answer, each new or departed finding names
    an answer that changed (or the finding that stood in for it)."""
    before = answers_from_data(data, "generated.yaml")
    now = edited(before, *change)
    if now.responses:
        changed = answers_to_data(now)
        changed["responses"][0]["inventory"][item] = {"happening": answer}
        now = answers_from_data(changed, "generated.yaml")
    since = compare(before, advise(before, kb), now, advise(now, kb), kb)
    for finding in (*since.new, *since.resolved):
        assert finding.cause is not None and finding.cause.kind in ("answers", "replaced"), finding.id
        if finding.cause.kind == "answers":
            assert finding.cause.changes, finding.id
