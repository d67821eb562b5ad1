"""What-if: change answers with --set, re-validate, re-run, and compare the findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peeradvisor.analysis.whatif import (
    apply_sets,
    diff,
    load_data,
    parse_set,
    revalidate,
    run_whatif,
    split_path,
)
from peeradvisor.cases import load_folder, scenarios_folder
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.errors import InputError, UsageError
from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.models import Rule
from peeradvisor.render.whatif import render
from peeradvisor.report import Finding, KbStamp, Report, SupportOut

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {c.name: c for c in load_folder(scenarios_folder(ROOT))}
runner = CliRunner()


@pytest.fixture(autouse=True)
def _shared_kb(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands reuse the session's knowledge base (and its compiled engine) instead of rebuilding it."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)


def whatif(name: str, kb: KnowledgeBase, *specs: str):  # type: ignore[no-untyped-def]
    case = SCENARIOS[name]
    return run_whatif(dict(case.answers), name, list(specs), kb)


def requires_context(rule: Rule, field: str, value: Any) -> bool:
    return any(getattr(c, "context", None) == field and c.is_ == value for c in rule.when)


def report(*ids: str) -> Report:
    findings = [Finding(id=i, kind="warning", rank=n, score=1.0, title=i.upper(), advice="a", themes=[],
                        items=[], because=["x"], evidence=[], support=SupportOut(level="limited", note="A test."))
                for n, i in enumerate(ids, start=1)]
    stamp = KbStamp(version="0", rules=0, sha256="0" * 64)
    return Report(kb=stamp, organisation="o", stage="new", employer="nhs", setting="inpatient", respondents=1,
                  findings=findings)


class TestPaths:
    """--set PATH=VALUE: the path and the value."""

    @pytest.mark.parametrize(("path", "keys"), [
        ("context.staffing_pressure", ["context", "staffing_pressure"]),
        ("context.supervision.one_to_one", ["context", "supervision", "one_to_one"]),
        ("responses[0].inventory.4.4", ["responses", 0, "inventory", "4.4"]),
        ("responses[1].inventory.2.1.importance", ["responses", 1, "inventory", "2.1", "importance"]),
        ('responses[0].inventory["5.8"]', ["responses", 0, "inventory", "5.8"]),
        ("responses[2].top3", ["responses", 2, "top3"]),
    ])
    def test_split_path(self, path: str, keys: list[str | int]) -> None:
        """Paths are written as the contract's error paths; item ids keep their dot."""
        assert split_path(path) == keys

    @pytest.mark.parametrize(("spec", "value"), [
        ("context.staffing_pressure=false", False), ("context.team_size=12", 12),
        ("responses[0].inventory.4.4=yes", True), ("context.funding=pilot", "pilot"),
        ("context.funding=", None), ("context.funding=null", None),
        ("responses[0].top3=[2.1, 4.4]", [2.1, 4.4]),
    ])
    def test_values_are_yaml(self, spec: str, value: Any) -> None:
        """Values are read by the one YAML loader, so `yes` and `false` mean what they do in a file."""
        assert parse_set(spec).value == value

    def test_needs_an_equals_sign(self) -> None:
        """A --set without `=` is a usage error (exit 2) with an example."""
        with pytest.raises(UsageError, match="PATH=VALUE"):
            parse_set("context.staffing_pressure")


class TestApply:
    """Changing the answers data."""

    def test_does_not_touch_the_original(self) -> None:
        """apply_sets returns a changed copy."""
        data = dict(SCENARIOS["extra-pair-of-hands"].answers)
        before = json.dumps(data, sort_keys=True, default=str)
        apply_sets(data, [parse_set("context.staffing_pressure=false")])
        assert json.dumps(data, sort_keys=True, default=str) == before

    def test_item_keeps_its_importance(self) -> None:
        """Setting an item answered with A and B to a plain value changes question A only."""
        data = {"responses": [{"inventory": {"4.4": {"happening": "no", "importance": 4}}}]}
        out = apply_sets(data, [parse_set("responses[0].inventory.4.4=yes")])
        assert out["responses"][0]["inventory"]["4.4"] == {"happening": True, "importance": 4}

    def test_shorthand_and_float_keys(self) -> None:
        """A shorthand answer or an unquoted (float) key can still take an importance."""
        data = {"responses": [{"inventory": {2.1: "partly"}}]}
        out = apply_sets(data, [parse_set("responses[0].inventory.2.1.importance=3")])
        assert out["responses"][0]["inventory"] == {"2.1": {"happening": "partly", "importance": 3}}

    def test_null_removes(self) -> None:
        """`null` (or nothing) removes an answer, which then means *not known*."""
        data = {"context": {"staffing_pressure": True, "employer": "nhs"}}
        assert apply_sets(data, [parse_set("context.staffing_pressure=")])["context"] == {"employer": "nhs"}

    def test_bad_index_names_the_path(self) -> None:
        """An index past the respondents is an input error naming the path."""
        with pytest.raises(InputError) as err:
            apply_sets({"responses": [{}]}, [parse_set("responses[3].inventory.4.4=yes")])
        assert err.value.path == "responses[3].inventory.4.4" and "only 1" in err.value.message

    @pytest.mark.parametrize(("spec", "path"), [
        ("context.staffing_pressure=maybe", "context.staffing_pressure"),
        ("context.stafing_pressure=true", "context.stafing_pressure"),
        ("responses[0].inventory.4.4.importance=7", "responses[0].inventory.4.4.importance"),
        ("responses[0].inventory.9.9=yes", "responses[0].inventory"),
    ])
    def test_revalidated(self, spec: str, path: str) -> None:
        """The changed answers are validated again; the error names the field and the --set."""
        change = parse_set(spec)
        data = apply_sets(dict(SCENARIOS["extra-pair-of-hands"].answers), [change])
        with pytest.raises(InputError) as err:
            revalidate(data, "scenario x", [change])
        assert err.value.path == path and f"--set {change.path}" in str(err.value)


class TestDiff:
    """The pure comparison of two reports."""

    def test_disappear_appear_move(self) -> None:
        """Findings that go, come, or change place among the findings both reports share."""
        result = diff(report("a", "b", "c", "d"), report("a", "d", "c", "e"))
        assert [x[0] for x in result.disappeared] == ["b"]
        assert [x[0] for x in result.appeared] == ["e"]
        assert [(m.id, m.before, m.after) for m in result.moved] == [("d", 4, 2), ("c", 3, 3)]
        assert result.unchanged == 1

    def test_a_gap_is_not_a_move(self) -> None:
        """When one finding disappears, those below it do not count as moved."""
        result = diff(report("a", "b", "c"), report("a", "c"))
        assert not result.moved and result.unchanged == 2

    def test_nothing_changes(self) -> None:
        """The same report twice: nothing changed, and the text says so."""
        result = diff(report("a"), report("a"))
        assert not result.changed and "Nothing changes" in render(result)


class TestScenarios:
    """What-if on the trainer scenarios, asserting real behaviour of the knowledge base."""

    def test_no_staffing_pressure_removes_staffing_findings(self, kb: KnowledgeBase) -> None:
        """Without staffing pressure, every finding that requires it disappears from the ward scenario."""
        before = advise(SCENARIOS["extra-pair-of-hands"].parsed(), kb)
        staffing = [f.id for f in before.findings
                    if requires_context(kb.rule(f.id), "staffing_pressure", True)]
        assert staffing, "the short-staffed ward scenario should give a staffing finding"
        result = whatif("extra-pair-of-hands", kb, "context.staffing_pressure=false")
        assert set(staffing) <= {x[0] for x in result.disappeared}
        left = [f.id for f in result.report.findings
                if requires_context(kb.rule(f.id), "staffing_pressure", True)]
        assert left == []

    def test_open_culture_lifts_cultural_inflexibility(self, kb: KnowledgeBase) -> None:
        """When the ward's culture answers turn to yes, the cultural-inflexibility barrier and advice go."""
        specs = [f"context.culture.{k}=yes" for k in ("open_about_mental_health", "reflective_practice",
                 "lived_experience_valued", "peer_voice_heard", "personal_boundaries_supported",
                 "ready_for_change")]
        result = whatif("ward-round-language", kb, *specs)
        assert "barrier.cultural_inflexibility" in result.derived_lost
        gone = {x[0] for x in result.disappeared}
        needing = {r.id for r in kb.findings_rules
                   if any(getattr(c, "derived", None) == "barrier.cultural_inflexibility" for c in r.when)}
        before = {f.id for f in advise(SCENARIOS["ward-round-language"].parsed(), kb).findings}
        assert before & needing and before & needing <= gone

    def test_language_fits_the_community(self, kb: KnowledgeBase) -> None:
        """When everyone says the role's language fits the community, the language-gap chain goes."""
        case = SCENARIOS["formal-words-community-group"]
        specs = [f"responses[{i}].inventory.3.4=yes" for i in range(len(case.answers["responses"]))]
        result = whatif(case.name, kb, *specs)
        assert "risk.diversity.language_gap" in result.derived_lost
        assert "role-language-bme" in {x[0] for x in result.disappeared}

    def test_second_peer_worker(self, kb: KnowledgeBase) -> None:
        """A second peer worker in the big team removes the lone-peer-worker finding."""
        result = whatif("one-post-in-a-big-team", kb, "context.peer_workers=2")
        assert "risk.team.lone_peer_worker" in result.derived_lost
        assert "lone-peer-worker-cover" in {x[0] for x in result.disappeared}


class TestCommand:
    """`scenarios run NAME --set` and the helper for `advise FILE --set`."""

    def test_text(self) -> None:
        """The text comparison names the change in a trainer's words and what disappears, within 80 columns."""
        result = runner.invoke(app, ["scenarios", "run", "extra-pair-of-hands",
                                     "--set", "context.staffing_pressure=false"])
        assert result.exit_code == 0, result.stderr
        assert "What if: Often short-staffed: no (was yes)" in result.stdout
        assert "Disappear (" in result.stdout
        assert max(len(line) for line in result.stdout.splitlines()) <= 80

    def test_json(self) -> None:
        """--format json gives the changes, the comparison and the changed report."""
        result = runner.invoke(app, ["scenarios", "run", "extra-pair-of-hands", "--format", "json",
                                     "--set", "context.staffing_pressure=false",
                                     "--set", "responses[0].inventory.4.4=yes"])
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["format"] == "peeradvisor/whatif@1"
        assert [c["path"] for c in data["changes"]] == ["context.staffing_pressure",
                                                         "responses[0].inventory.4.4"]
        assert data["disappeared"] and {"id", "kind", "title", "rank"} <= set(data["disappeared"][0])
        assert data["report"]["format"] == "peeradvisor/report@1"

    def test_md(self) -> None:
        """--format md gives a Markdown section."""
        result = runner.invoke(app, ["scenarios", "run", "extra-pair-of-hands", "--format", "md",
                                     "--set", "context.staffing_pressure=false"])
        assert result.exit_code == 0 and result.stdout.startswith("## What if")

    @pytest.mark.parametrize(("spec", "words"), [
        ("context.staffing_pressure=maybe", "context.staffing_pressure"),
        ("responses[9].inventory.4.4=yes", "responses[9].inventory.4.4"),
        ("nonsense", "PATH=VALUE"),
    ])
    def test_bad_set_is_exit_2(self, spec: str, words: str) -> None:
        """A bad path or value is exit 2, with the path named on stderr and no traceback."""
        result = runner.invoke(app, ["scenarios", "run", "extra-pair-of-hands", "--set", spec])
        assert result.exit_code == 2
        assert words in result.stderr and "Traceback" not in result.stderr

    def test_step_with_set(self) -> None:
        """--step honours --set: the steps are those of the changed answers."""
        plain = runner.invoke(app, ["scenarios", "run", "extra-pair-of-hands", "--step", "--format", "json"])
        changed = runner.invoke(app, ["scenarios", "run", "extra-pair-of-hands", "--step", "--format", "json",
                                      "--set", "context.staffing_pressure=false"])
        assert changed.exit_code == 0, changed.stderr
        assert len(json.loads(changed.stdout)["steps"]) < len(json.loads(plain.stdout)["steps"])

    def test_answers_file_compared_with_its_changed_self(self, kb: KnowledgeBase) -> None:
        """An answers file (as for `advise FILE --set`) compares with its changed self."""
        data, source = load_data(str(ROOT / "examples" / "nhs-inpatient-new.yaml"), kb.root)
        result = json.loads(render(run_whatif(data, source, ["context.staffing_pressure=false"], kb), "json"))
        assert result["changes"] == [{"path": "context.staffing_pressure", "value": "false"}]
        assert result["disappeared"]
        text = render(run_whatif(data, source, ["context.setting=community"], kb), "text")
        assert text.startswith("What if context.setting = community")
