"""Step mode on any answers file: folding, plain words, keys (forward, back, jump), what-if, the JSON trace."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.analysis.steps import FACT_LABELS, fact_label
from peeradvisor.analysis.trace import lookup, trace_of
from peeradvisor.cases import load_folder, scenarios_folder
from peeradvisor.cli import app
from peeradvisor.commands.step_mode import Navigator
from peeradvisor.kb import KnowledgeBase
from peeradvisor.yamlio import load_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SCENARIOS = load_folder(scenarios_folder(ROOT))
NHS = ROOT / "examples" / "nhs-inpatient-new.yaml"
runner = CliRunner()
SOURCES = [(c.name, dict(c.answers)) for c in SCENARIOS] + [(p.stem, load_file(p)) for p in EXAMPLES]


@pytest.fixture(autouse=True)
def _shared_kb(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands reuse the session's knowledge base (and its compiled engine) instead of rebuilding it."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin)


def flat(text: str) -> str:
    return " ".join(text.split())


def shown_steps(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^Step (\d+) of \d+", text, flags=re.M)]


class TestFold:
    """The trainer's view folds repeats into the step that first reached them, and loses nothing."""

    @pytest.mark.parametrize(("name", "data"), SOURCES, ids=[n for n, _ in SOURCES])
    def test_every_firing_once_and_links_point_back(self, name: str, data: dict, kb: KnowledgeBase) -> None:
        """Each firing is shown or folded exactly once; each conclusion is drawn at one step; a step only
        builds on earlier steps."""
        trace = trace_of(data, name, kb)
        view = trace.view()
        numbers = sorted(s.number for v in view for s in (v.step, *v.also))
        assert numbers == [s.number for s in trace.steps]
        concluded = [v.step.concluded for v in view if v.step.concluded]
        assert len(concluded) == len(set(concluded))
        assert len({v.step.rule_id for v in view if not v.step.concluded}) == sum(
            1 for v in view if not v.step.concluded)
        for shown in view:
            assert all(at is None or at < shown.number for _, at in shown.uses), shown
            assert all(n > shown.number for n in shown.used_by)

    def test_folding_shortens_the_long_scenario(self, kb: KnowledgeBase) -> None:
        """extra-pair-of-hands: far fewer steps than firings; --all-steps gives one step per firing."""
        case = next(c for c in SCENARIOS if c.name == "extra-pair-of-hands")
        trace = trace_of(dict(case.answers), case.name, kb)
        assert len(trace.view()) < 0.75 * len(trace.steps)
        assert len(trace.view(every=True)) == len(trace.steps)

    def test_replaced_findings_are_marked(self, kb: KnowledgeBase) -> None:
        """A finding that fired but was replaced names the finding that replaced it, which is in the report."""
        trace = trace_of(load_file(NHS), "nhs", kb)
        replaced = [v for v in trace.view() if v.replaced_by]
        assert replaced
        for shown in replaced:
            assert shown.rank is None and trace.report.finding(shown.replaced_by) is not None

    def test_every_conclusion_has_a_plain_label(self, kb: KnowledgeBase) -> None:
        """Every fact a derive rule concludes has a label in the table, in words without dots or underscores."""
        concluded = {r.concludes for r in kb.rules if r.concludes}
        assert concluded <= set(FACT_LABELS)
        assert all("." not in fact_label(n, kb) and "_" not in fact_label(n, kb) for n in concluded)


class TestPlainWords:
    """The default view speaks the team's language; --detail adds the analyst's."""

    @pytest.mark.parametrize("name", ["extra-pair-of-hands", "ward-round-language"])
    def test_no_rule_ids_or_fact_names(self, name: str, kb: KnowledgeBase) -> None:
        """No rule id, derived-fact name or context field path appears in the plain step view."""
        out = invoke("scenarios", "run", name, "--step", "--no-pause").stdout
        ids = [r.id for r in kb.rules if re.search(rf"(?<![\w-]){re.escape(r.id)}(?![\w-])", out)]
        assert ids == []
        assert not re.search(r"\b(barrier|facilitator|risk)\.\w+|context\.\w+|inventory \d\.\d:", out)

    def test_header_says_what_the_step_adds(self) -> None:
        """Derive steps say which kind of conclusion they draw, in words, and what it is."""
        out = flat(invoke("scenarios", "run", "extra-pair-of-hands", "--step", "--no-pause").stdout)
        assert "Recognises a barrier" in out and "Gives a warning" in out
        assert "Concludes: the team lacks a shared understanding of the role" in out
        assert "Also concluded by" in out

    def test_replaced_finding_says_so(self, kb: KnowledgeBase) -> None:
        """A replaced finding's step says it is not in the report and which step replaces it."""
        trace = trace_of(load_file(NHS), "nhs", kb)
        shown = next(v for v in trace.view() if v.replaced_by)
        by = next(v for v in trace.view() if v.step.rule_id == shown.replaced_by)
        out = flat(invoke("advise", str(NHS), "--step", "--no-pause").stdout)
        assert f"Not in the report: the more specific finding (step {by.number}) replaces it" in out


class TestNavigator:
    """The keys, as a pure state machine: forward, back, jump, and what does nothing."""

    def test_forward_back_and_the_ends(self) -> None:
        """Enter/space go on, b goes back; back at the start and on past the end are handled."""
        nav = Navigator(total=5)
        assert nav.press("b") == ("status", "This is the start.") and nav.at == 0
        for key in ("enter", "space", "right"):
            assert nav.press(key) == ("show", "")
        assert nav.at == 3
        assert nav.press("b") == ("show", "") and nav.at == 2
        nav.at = nav.last
        assert nav.press("enter") == ("finish", "")
        presenting = Navigator(total=5, at=6, stay=True)
        assert presenting.press("enter")[0] == "status" and presenting.at == 6

    def test_jump(self) -> None:
        """Digits then Enter go to that step; a number out of range says the range and stays."""
        nav = Navigator(total=38)
        assert nav.press("1")[0] == "status" and nav.press("2")[1].startswith("Go to step 12")
        assert nav.press("enter") == ("show", "") and nav.at == 12
        for key in ("9", "9", "enter"):
            action, message = nav.press(key)
        assert (action, nav.at) == ("status", 12) and "the steps run from 1 to 38" in message

    def test_other_keys(self) -> None:
        """s, ?, q and e do what the footer says; any other key moves nowhere and points to ?."""
        nav = Navigator(total=4, at=2)
        assert [nav.press(k)[0] for k in ("s", "?", "q")] == ["facts", "help", "quit"]
        assert nav.press("x") == ("status", "“x” does nothing here; ? shows the keys.") and nav.at == 2
        assert nav.press("e") == ("show", "") and nav.at == 5


class TestLineKeys:
    """Keys typed as lines (a pipe, a script): the same moves as at a terminal."""

    def test_back_repeats_the_step(self) -> None:
        """Enter, Enter, b: steps 1, 2, 3 and then 2 again."""
        result = invoke("scenarios", "run", "extra-pair-of-hands", "--step", stdin="\n\nb\nq\n")
        assert result.exit_code == 0, result.stderr
        assert shown_steps(result.stdout) == [1, 2, 3, 2]

    def test_jump_and_facts(self) -> None:
        """A number goes to that step; s lists the conclusions drawn so far and the answers."""
        result = invoke("scenarios", "run", "extra-pair-of-hands", "--step", stdin="20\ns\nq\n")
        assert shown_steps(result.stdout) == [1, 20]
        out = flat(result.stdout)
        assert "What the engine knows at step 20" in out and "Concluded so far:" in out
        assert "Often short-staffed: yes" in out

    def test_unknown_key_moves_nowhere(self) -> None:
        """An unknown key is answered on the prompt line and the step stays."""
        result = invoke("scenarios", "run", "extra-pair-of-hands", "--step", stdin="x\nq\n")
        assert shown_steps(result.stdout) == [1]
        assert "does nothing here; ? shows the keys" in result.stderr

    def test_present_screens_fit(self) -> None:
        """--present draws 24-row screens of at most 80 columns with the step and the keys in the footer."""
        result = invoke("scenarios", "run", "extra-pair-of-hands", "--present", stdin="\n\nb\nq\n")
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        screens = [lines[i:i + 24] for i in range(0, 24 * 4, 24)]
        assert max(len(line) for line in lines) <= 80
        assert [s[-2].split(" ━")[0].split(" ─")[0] for s in screens] == [
            "── Introduction", "── Step 1 of 38", "── Step 2 of 38", "── Step 1 of 38"]
        assert all(s[-1].startswith("Enter next · b back") for s in screens)


class TestAdviseStep:
    """`advise FILE --step` on any answers file, with what-if and JSON."""

    def test_any_answers_file(self) -> None:
        """An answers file steps like a scenario: its organisation and context open the trace."""
        result = invoke("advise", str(NHS), "--step", "--no-pause")
        assert result.exit_code == 0, result.stderr
        out = flat(result.stdout)
        assert out.startswith("Riverside NHS Trust") and "3 people answered" in out
        assert shown_steps(result.stdout)[-1] > 10 and "Done:" in out

    def test_detail_and_all_steps(self, kb: KnowledgeBase) -> None:
        """--detail names rules and facts for an analyst; --all-steps shows one step per firing."""
        trace = trace_of(load_file(NHS), str(NHS), kb)
        out = invoke("advise", str(NHS), "--step", "--no-pause", "--detail", "--all-steps").stdout
        assert shown_steps(out) == list(range(1, len(trace.steps) + 1))
        first = trace.steps[0]
        assert re.search(rf"^Step 1 of {len(trace.steps)} · [A-Z][a-z ]+ · {re.escape(first.rule_id)}$", out, re.M)
        assert f"({first.concluded})" in flat(out)

    @pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
    def test_json_trace(self, example: Path, kb: KnowledgeBase) -> None:
        """The JSON trace holds the answers, the facts, every firing (replaced ones marked) and the findings."""
        result = invoke("advise", str(example), "--step", "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        trace = trace_of(load_file(example), str(example), kb)
        assert data["format"] == "peeradvisor/steps@1" and data["source"] == str(example)
        assert data["answers"]["organisation"] == trace.answers.organisation
        assert {f["type"] for f in data["facts"]} >= {"context", "measure"}
        assert [s["rule"] for s in data["steps"]] == [f.rule_id for f in trace.firings]
        assert [f["id"] for f in data["findings"]] == [f.id for f in trace.report.findings]
        replaced = {old for f in trace.report.findings for old in f.replaces}
        for row in data["steps"]:
            if row["kind"] != "derive":
                assert (row["replaced_by"] is not None) == (row["rule"] in replaced)
                assert (row["in_report"] is None) == (row["rule"] in replaced)

    def test_what_if_banner_and_comparison(self) -> None:
        """With --set, the banner names the change in words and the end compares before and after."""
        result = invoke("advise", str(NHS), "--step", "--no-pause", "--set", "context.staffing_pressure=false")
        assert result.exit_code == 0, result.stderr
        out = flat(result.stdout)
        assert "What if: Often short-staffed: no (was yes)" in out
        assert "Before and after" in out and "Disappear (" in out
        assert "context.staffing_pressure" not in out

    def test_what_if_json(self) -> None:
        """The JSON trace of a what-if names the changes and carries the comparison."""
        result = invoke("advise", str(NHS), "--step", "-f", "json", "--set", "context.staffing_pressure=false")
        data = json.loads(result.stdout)
        assert data["changes"] == [{"path": "context.staffing_pressure", "value": "false"}]
        assert data["answers"]["context"]["staffing_pressure"] is False
        assert data["whatif"]["disappeared"]

    @pytest.mark.parametrize(("args", "message"), [
        (["--format", "md"], "--format text or --format json"),
        (["--present", "--no-pause"], "leave out --no-pause"),
        (["--since", str(NHS)], "leave out --all, --date and --since"),
    ])
    def test_refused(self, args: list[str], message: str) -> None:
        """Combinations step mode cannot honour are refused with exit 2 and what to do."""
        result = invoke("advise", str(NHS), "--step", *args)
        assert result.exit_code == 2 and message in result.stderr

    def test_folder_refused(self) -> None:
        """A folder is refused: step mode goes through one file."""
        result = invoke("advise", str(ROOT / "examples"), "--step")
        assert result.exit_code == 2 and "one answers file" in result.stderr

    def test_output_file(self, tmp_path: Path) -> None:
        """--output writes the trace (JSON or the printed steps) to a file."""
        target = tmp_path / "trace.json"
        result = invoke("advise", str(NHS), "--step", "-f", "json", "-o", str(target))
        assert result.exit_code == 0, result.stderr
        assert json.loads(target.read_text(encoding="utf-8"))["format"] == "peeradvisor/steps@1"
        text = tmp_path / "steps.txt"
        assert invoke("advise", str(NHS), "--step", "-o", str(text)).exit_code == 0
        assert "Step 1 of" in text.read_text(encoding="utf-8")


def test_lookup_reads_what_a_set_replaces() -> None:
    """lookup follows --set paths, inventory shorthand and unquoted item keys included."""
    data = {"context": {"staffing_pressure": True},
            "responses": [{"inventory": {2.1: "partly", "4.4": {"happening": "no", "importance": 3}}}]}
    assert lookup(data, "context.staffing_pressure") is True
    assert lookup(data, "responses[0].inventory.2.1") == "partly"
    assert lookup(data, "responses[0].inventory.4.4.importance") == 3
    assert lookup(data, "responses[3].inventory.4.4") is None


def test_cli_import_stays_light() -> None:
    """Loading the command line does not load the step view, the engine or rich (help stays fast)."""
    import subprocess
    import sys

    code = ("import sys, peeradvisor.cli; heavy = [m for m in ('peeradvisor.render.steps', 'peeradvisor.core', "
            "'peeradvisor.analysis.trace', 'experta') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
