"""Trainer scenarios: every one loads and meets its expectations; list, show and run (step by step)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.analysis.steps import Shown, Step, build_steps, fact_label
from peeradvisor.analysis.trace import trace_of
from peeradvisor.cases import Case, load_folder, scenarios_folder
from peeradvisor.cli import app
from peeradvisor.core import advise, engine_for
from peeradvisor.facts import build_facts
from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.evidence_check import Study, norm

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT.parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"
SCENARIOS = load_folder(scenarios_folder(ROOT))
NAMES = [c.name for c in SCENARIOS]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _shared_kb(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands reuse the session's knowledge base (and its compiled engine) instead of rebuilding it."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin)


def steps_of(case: Case, kb: KnowledgeBase) -> list[Step]:
    facts = build_facts(case.parsed())
    return build_steps(engine_for(kb).steps(facts), kb, facts)


def view_of(case: Case, kb: KnowledgeBase) -> list[Shown]:
    return trace_of(dict(case.answers), case.name, kb).view()


def chained(kb: KnowledgeBase) -> tuple[Case, Step]:
    """A scenario with a step that uses a fact a derive rule concluded at an earlier step."""
    for case in SCENARIOS:
        for step in steps_of(case, kb):
            if any(link.step is not None for link in step.links):
                return case, step
    raise AssertionError("no scenario shows a derived fact being used")


class TestLibrary:
    """The scenario files themselves."""

    def test_enough_scenarios(self) -> None:
        """At least ten scenarios, with unique names matching their file names."""
        assert len(SCENARIOS) >= 10
        assert len(set(NAMES)) == len(NAMES)
        assert {p.stem for p in scenarios_folder(ROOT).glob("*.yaml")} == set(NAMES)

    def test_cover_employers_and_settings(self) -> None:
        """Between them the scenarios cover all three employers and all three study settings."""
        contexts = [c.parsed().context for c in SCENARIOS]
        assert {x.employer for x in contexts} >= {"nhs", "voluntary", "partnership"}
        assert {x.setting for x in contexts} >= {"inpatient", "community", "bme"}

    @pytest.mark.parametrize("case", SCENARIOS, ids=NAMES)
    def test_complete_for_a_trainer(self, case: Case) -> None:
        """Each has a title, a story, where it comes from, 2-4 questions and expectations both ways."""
        assert case.title and len(case.story.split()) >= 40
        assert case.based_on
        assert 2 <= len(case.discussion) <= 4
        assert case.expect.present and case.expect.absent

    @pytest.mark.parametrize("case", SCENARIOS, ids=NAMES)
    def test_based_on_the_study(self, case: Case) -> None:
        """Every locator is made of the report's own headings; every excerpt is verbatim."""
        if not STUDY.exists():
            pytest.skip("study text not available")
        study = Study.read(STUDY)
        assert [e.locator for e in case.based_on if not study.locator_ok(e.locator)] == []
        assert [e.excerpt for e in case.based_on if e.excerpt and not study.excerpt_ok(e.excerpt)] == []

    @pytest.mark.parametrize("case", SCENARIOS, ids=NAMES)
    def test_meets_expectations(self, case: Case, kb: KnowledgeBase) -> None:
        """The scenario's answers give the findings it lists as present and none it lists as absent."""
        known = {r.id for r in kb.rules}
        unknown = [x for x in (*case.expect.present, *case.expect.absent) if x not in known]
        assert not unknown, f"expectations name unknown rules: {unknown}"
        assert case.check(advise(case.parsed(), kb)) == []

    def test_several_respondents_disagree_somewhere(self) -> None:
        """Some scenarios set stakeholder groups against each other on the same item."""
        divergent = [c.name for c in SCENARIOS
                     if any(s.divergent for s in build_facts(c.parsed()).items.values())]
        assert len(divergent) >= 3


class TestListAndShow:
    """`scenarios list` and `scenarios show`."""

    def test_list_table(self) -> None:
        """The table lists every scenario by name."""
        result = invoke("scenarios", "list")
        assert result.exit_code == 0, result.stderr
        assert all(name in result.stdout for name in NAMES)

    def test_list_json_contract(self) -> None:
        """JSON is exactly {"scenarios": [{"name", "title", "employer", "setting", ...}]}."""
        result = invoke("scenarios", "list", "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert list(data) == ["scenarios"]
        assert [s["name"] for s in data["scenarios"]] == NAMES
        for row in data["scenarios"]:
            assert {"name", "title", "employer", "setting"} <= set(row)
            assert row["employer"] in {"nhs", "voluntary", "partnership"}

    def test_show_tells_the_story(self) -> None:
        """`show` prints the title, story, discussion questions and the study locators."""
        case = SCENARIOS[0]
        result = invoke("scenarios", "show", case.name)
        assert result.exit_code == 0, result.stderr
        flat = " ".join(result.stdout.split())
        assert case.title in flat and "For discussion:" in flat and "Based on:" in flat
        assert " ".join(case.discussion[0].split()) in flat
        assert case.based_on[0].locator.split(" › ")[0] in flat
        assert max(len(line) for line in result.stdout.splitlines()) <= 80

    def test_show_json(self) -> None:
        """`show --format json` carries the story, questions, locators and the answers."""
        result = invoke("scenarios", "show", NAMES[1], "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["name"] == NAMES[1] and data["story"] and data["discussion"] and data["based_on"]
        assert data["answers"]["format"] == "peeradvisor/answers@1"

    @pytest.mark.parametrize("command", ["show", "run"])
    def test_unknown_scenario(self, command: str) -> None:
        """An unknown name is exit 2 with the known names listed."""
        result = invoke("scenarios", command, "no-such-scenario")
        assert result.exit_code == 2
        assert "no scenario named 'no-such-scenario'" in result.stderr and NAMES[0] in result.stderr


class TestRun:
    """`scenarios run`: the report, and the reasoning step by step."""

    @pytest.mark.parametrize("name", NAMES[:3])
    def test_run_json_is_the_report(self, name: str, kb: KnowledgeBase) -> None:
        """`run --format json` prints the contract report, the same as advising on the answers."""
        result = invoke("scenarios", "run", name, "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        case = next(c for c in SCENARIOS if c.name == name)
        assert data["format"] == "peeradvisor/report@1"
        assert [f["id"] for f in data["findings"]] == [f.id for f in advise(case.parsed(), kb).findings]

    def test_run_text_and_md(self) -> None:
        """The text view is the terminal report; md is the Markdown report."""
        text = invoke("scenarios", "run", NAMES[0])
        assert text.exit_code == 0 and " 1. " in text.stdout and "Why:" in text.stdout
        md = invoke("scenarios", "run", NAMES[0], "--format", "md")
        assert md.exit_code == 0 and md.stdout.startswith("# Advice for")

    def test_step_shows_the_chain(self, kb: KnowledgeBase) -> None:
        """--step --no-pause shows each step in plain words and links a conclusion to the step that drew it."""
        case, _ = chained(kb)
        view = view_of(case, kb)
        shown = next(v for v in view if any(at is not None for _, at in v.uses))
        name, at = next((n, a) for n, a in shown.uses if a is not None)
        result = invoke("scenarios", "run", case.name, "--step", "--no-pause")
        assert result.exit_code == 0, result.stderr
        flat = " ".join(result.stdout.split())
        label = fact_label(name, kb)
        assert f"Step {at} of {len(view)}" in flat and f"Concludes: {label}" in flat
        assert f"builds on step {at}: {label}" in flat
        assert f"Done: {len(view)} steps" in flat
        assert max(len(line) for line in result.stdout.splitlines()) <= 80

    def test_step_detail_names_rules_and_facts(self, kb: KnowledgeBase) -> None:
        """--detail adds the rule id and the analyst's wording of what matched; plain words leave them out."""
        case = SCENARIOS[0]
        first = steps_of(case, kb)[0]
        plain = " ".join(invoke("scenarios", "run", case.name, "--step", "--no-pause").stdout.split())
        detail = " ".join(invoke("scenarios", "run", case.name, "--step", "--no-pause", "--detail").stdout.split())
        assert first.title in plain and first.rule_id not in plain
        assert first.rule_id in detail and all(fact in detail for fact in first.matched)

    def test_step_pauses_and_q_stops(self, kb: KnowledgeBase) -> None:
        """Paced by the trainer: Enter goes on, `q` stops at that step."""
        case = SCENARIOS[0]
        total = len(view_of(case, kb))
        result = invoke("scenarios", "run", case.name, "--step", stdin="\nq\n")
        assert result.exit_code == 0, result.stderr
        assert f"Step 2 of {total}" in result.stdout and f"Step 3 of {total}" not in result.stdout
        assert f"Stopped at step 2 of {total}." in result.stdout
        assert "Enter next · b back" in result.stderr

    def test_step_runs_on_at_end_of_input(self) -> None:
        """When input ends (a pipe, a script) the steps run on to the end instead of hanging."""
        result = invoke("scenarios", "run", NAMES[0], "--step", stdin="")
        assert result.exit_code == 0 and "Done:" in result.stdout

    def test_step_json(self, kb: KnowledgeBase) -> None:
        """--step --format json lists the steps with their links."""
        case, step = chained(kb)
        result = invoke("scenarios", "run", case.name, "--step", "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["format"] == "peeradvisor/steps@1" and data["scenario"] == case.name
        row = data["steps"][step.number - 1]
        assert row["rule"] == step.rule_id and any(u["step"] is not None for u in row["uses"])

    @pytest.mark.parametrize("case", SCENARIOS, ids=NAMES)
    def test_steps_are_the_run(self, case: Case, kb: KnowledgeBase) -> None:
        """Stepping shows exactly the firings of a normal run, in the same order (none cut short)."""
        facts = build_facts(case.parsed())
        assert list(engine_for(kb).steps(facts)) == engine_for(kb).run(facts)

    def test_forward_links(self, kb: KnowledgeBase) -> None:
        """A step that concluded a fact lists the later steps that used it (and only those)."""
        for case in SCENARIOS[:4]:
            steps = steps_of(case, kb)
            for step in steps:
                users = {s.number for s in steps for x in s.links if x.step == step.number}
                assert set(step.used_by) == users
                assert all(n > step.number for n in users)


def test_every_number_is_a_step() -> None:
    """Step numbers in the text view run 1..n without gaps."""
    result = invoke("scenarios", "run", NAMES[0], "--step", "--no-pause")
    numbers = [int(m) for m in re.findall(r"^Step (\d+) of ", result.stdout, flags=re.M)]
    assert len(numbers) > 5
    assert numbers == list(range(1, len(numbers) + 1))


def _section_holds(study: Study, locator: str, excerpt: str) -> bool:
    """The excerpt is in the section the locator names: after its last heading, within a few pages."""
    heading = norm(locator.split(" › ")[-1])
    first = next(p.strip(" ,;:") for p in norm(excerpt).split("\u2026") if len(p.split()) >= 3)
    at = study.text.find(first)
    starts = [m.start() for m in re.finditer(re.escape(heading), study.text)]
    return at >= 0 and any(0 <= at - s < 20_000 for s in starts)


class TestFacilitator:
    """Each scenario's note for the trainer, and the handout for the room."""

    @pytest.mark.parametrize("case", SCENARIOS, ids=NAMES)
    def test_note_is_complete(self, case: Case) -> None:
        """Timing, two to four points to draw out, and a passage to read aloud of 30 words or more."""
        note = case.facilitator
        assert note is not None
        assert 10 <= note.minutes <= 40 and 2 <= len(note.points) <= 4
        assert len(note.read_aloud.excerpt.split()) >= 30

    @pytest.mark.parametrize("case", SCENARIOS, ids=NAMES)
    def test_passage_is_the_studys(self, case: Case) -> None:
        """The passage is verbatim, its locator is the report's headings, and it sits in that section."""
        if not STUDY.exists():
            pytest.skip("study text not available")
        study = Study.read(STUDY)
        passage = case.facilitator.read_aloud  # type: ignore[union-attr]
        assert study.locator_ok(passage.locator), passage.locator
        assert study.excerpt_ok(passage.excerpt), passage.excerpt[:60]
        assert _section_holds(study, passage.locator, passage.excerpt), passage.locator

    def test_section_check_can_fail(self) -> None:
        """A true excerpt under the wrong heading is caught."""
        if not STUDY.exists():
            pytest.skip("study text not available")
        passage = next(c for c in SCENARIOS if c.name == "extra-pair-of-hands").facilitator.read_aloud  # type: ignore
        wrong = "Chapter 3 › Peer workers and diversity › Language and the peer worker role"
        assert not _section_holds(Study.read(STUDY), wrong, passage.excerpt)

    def test_notes_text(self) -> None:
        """`show --notes` gives the timing, every point and the passage with its locator, in 80 columns."""
        case = next(c for c in SCENARIOS if c.name == "ward-round-language")
        result = invoke("scenarios", "show", case.name, "--notes")
        assert result.exit_code == 0, result.stderr
        flat = " ".join(result.stdout.split())
        note = case.facilitator
        assert note and f"about {note.minutes} minutes" in flat
        assert all(" ".join(p.split()) in flat for p in note.points)
        assert note.read_aloud.excerpt in flat and note.read_aloud.locator in flat
        assert max(len(line) for line in result.stdout.splitlines()) <= 80

    @pytest.mark.parametrize("case", SCENARIOS, ids=NAMES)
    def test_handout_gives_nothing_away(self, case: Case, kb: KnowledgeBase) -> None:
        """The handout has the story, the questions and the study's words, but no finding, rule id or the
        trainer's points; the trainer's copy (--notes) adds the points."""
        result = invoke("scenarios", "show", case.name, "--handout")
        assert result.exit_code == 0, result.stderr
        text = result.stdout
        flat = " ".join(text.replace("\\", "").split())  # Markdown escapes [ ] and *
        assert text.startswith(f"# {case.title}") and "## For discussion" in text
        assert all(" ".join(q.split()) in flat for q in case.discussion)
        assert case.facilitator and case.facilitator.read_aloud.excerpt in flat
        given = advise(case.parsed(), kb).findings
        assert [f.title for f in given if f.title in flat] == []
        assert [r.id for r in kb.rules if re.search(rf"(?<![\w-]){re.escape(r.id)}(?![\w-])", text)] == []
        assert not any(p in flat for p in case.facilitator.points)
        copy = " ".join(invoke("scenarios", "show", case.name, "--handout", "--notes").stdout.replace("\\", "").split())
        assert all(p in copy for p in case.facilitator.points)

    def test_handout_html(self, tmp_path: Path) -> None:
        """--format html writes a standalone page with the same sections (to a file with --output)."""
        target = tmp_path / "handout.html"
        result = invoke("scenarios", "show", "extra-pair-of-hands", "--handout", "-f", "html", "-o", str(target))
        assert result.exit_code == 0, result.stderr
        html = target.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and "<h2>For discussion</h2>" in html
        assert "@page { size: A4" in html

    def test_handout_json_refused(self) -> None:
        """A handout is a document: --format json is refused with exit 2."""
        result = invoke("scenarios", "show", "extra-pair-of-hands", "--handout", "-f", "json")
        assert result.exit_code == 2 and "--format md or --format html" in result.stderr

    def test_show_json_has_the_note(self) -> None:
        """`show --format json` carries the facilitator's note."""
        data = json.loads(invoke("scenarios", "show", "extra-pair-of-hands", "-f", "json").stdout)
        assert data["facilitator"]["minutes"] and data["facilitator"]["read_aloud"]["locator"]
