"""Levers: the single changes to answers already given that would most improve the advice, each exact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_questions import leads, moved
from typer.testing import CliRunner

from peeradvisor.analysis.levers import FIXED, find_levers
from peeradvisor.analysis.whatif import apply_sets, parse_set, revalidate
from peeradvisor.answers import answers_from_data
from peeradvisor.cases import load_folder, scenarios_folder
from peeradvisor.cli import app
from peeradvisor.core import advise, build_report, run_engine
from peeradvisor.kb import KnowledgeBase
from peeradvisor.yamlio import load_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nhs-inpatient-new.yaml"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _shared_kb(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands reuse the session's knowledge base (and its compiled engine) instead of rebuilding it."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)


def sources() -> list[tuple[str, dict[str, Any]]]:
    out = [(p.name, load_file(p)) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    return out + [(c.name, dict(c.answers)) for c in load_folder(scenarios_folder(ROOT))]


def test_every_lever_is_what_its_set_line_gives(kb: KnowledgeBase) -> None:
    """For the examples and scenarios, the lever's --set line gives the findings without `go`, with `appear`,
    and changes as many priorities as it says."""
    checked = 0
    for name, data in sources():
        answers = answers_from_data(data, name)
        report = advise(answers, kb)
        given = {f.id for f in report.findings}
        for lever in find_levers(answers, kb).levers:
            changes = [parse_set(spec.removeprefix("--set ")) for spec in lever.line.split(" --set ")]
            changed = revalidate(apply_sets(data, changes), name, changes)
            facts, firings = run_engine(changed, kb)
            again = build_report(changed, kb, facts, firings, questions=False)
            expected = (given - {c.id for c in lever.go}) | {c.id for c in lever.appear}
            assert {f.id for f in again.findings} == expected, f"{name}: {lever.line}"
            assert moved(leads(report), leads(again)) == lever.priorities, f"{name}: {lever.line}"
            checked += 1
    assert checked >= 50


def test_levers_improve_and_come_most_first(kb: KnowledgeBase) -> None:
    """Each lever means fewer warnings (or as many and fewer to act on); most warnings gone first."""
    levers = find_levers(answers_from_data(load_file(EXAMPLE), "nhs"), kb).levers
    assert len(levers) >= 3
    for lever in levers:
        warnings, _, actionable, _ = lever.gain
        assert warnings > 0 or (warnings == 0 and actionable > 0)
    assert [lv.gain for lv in levers] == sorted((lv.gain for lv in levers), reverse=True)


def test_levers_change_only_what_a_service_can_change(kb: KnowledgeBase) -> None:
    """No lever changes the employer, setting or stage, nor cuts the number of peer workers."""
    data = load_file(EXAMPLE)
    for lever in find_levers(answers_from_data(data, "nhs"), kb).levers:
        for edit in lever.edits:
            field = edit.path.removeprefix("context.")
            assert field not in FIXED
            if field == "peer_workers":
                assert int(edit.value) > data["context"]["peer_workers"]


def test_advise_levers_text_md_json() -> None:
    """`advise FILE --levers`: numbered changes with paste-ready --set lines; md; json key `levers`."""
    text = runner.invoke(app, ["advise", str(EXAMPLE), "--levers"])
    assert text.exit_code == 0, text.output
    assert "What would most improve the advice" in text.stdout and " 1. " in text.stdout
    assert "    --set " in text.stdout and "fewer warning" in text.stdout
    md = runner.invoke(app, ["advise", str(EXAMPLE), "--levers", "--format", "md"])
    assert md.exit_code == 0 and md.stdout.startswith("## What would most improve") and "`--set " in md.stdout
    data = json.loads(runner.invoke(app, ["advise", str(EXAMPLE), "--levers", "--format", "json"]).stdout)
    lever = data["levers"][0]
    assert data["format"] == "peeradvisor/levers@1"
    assert lever["line"] == " ".join(f"--set {s}" for s in lever["set"]) and lever["go"]


def test_scenario_levers() -> None:
    """`scenarios run NAME --levers` gives the scenario's levers, with the command they add to."""
    result = runner.invoke(app, ["scenarios", "run", "extra-pair-of-hands", "--levers"])
    assert result.exit_code == 0, result.output
    assert "peeradvisor scenarios run extra-pair-of-hands" in result.stdout and "--set " in result.stdout


@pytest.mark.parametrize("args", [["--format", "html"], ["--set", "context.funding=recurrent"]])
def test_levers_refuses_what_it_cannot_do(args: list[str]) -> None:
    """--levers with a memo format or with --set is a usage error (exit 2, one Error line)."""
    result = runner.invoke(app, ["advise", str(EXAMPLE), "--levers", *args])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")
