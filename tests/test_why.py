"""`why` and `why-not`: a finding's chain of reasons, and each unmet condition of a rule that did not fire."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from peeradvisor.analysis.whynot import evaluate, explain, holds, unmet
from peeradvisor.answers import Answers, answers_from_data, load_answers
from peeradvisor.cases import Case, load_folder, scenarios_folder
from peeradvisor.cli import app
from peeradvisor.core import run_engine
from peeradvisor.engine.experta_engine import ExpertaEngine as Engine
from peeradvisor.facts import build_facts
from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.conditions import DerivedCondition
from peeradvisor.kb.models import Rule

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = load_folder(scenarios_folder(ROOT))
BY_NAME = {c.name: c for c in SCENARIOS}
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
runner = CliRunner()


@pytest.fixture(autouse=True)
def _shared_kb(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands reuse the session's knowledge base (and its compiled engine) instead of rebuilding it."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def flat(text: str) -> str:
    return " ".join(text.split())


def fired(case: Case, kb: KnowledgeBase) -> tuple[Any, set[str], set[str]]:
    facts, firings = run_engine(case.parsed(), kb)
    return facts, {f.rule_id for f in firings}, {f.concluded for f in firings if f.concluded}


def chained_finding(case: Case, kb: KnowledgeBase) -> str | None:
    """A finding of this scenario that rests on a derived fact (so `why` has a chain to show)."""
    _, ids, _ = fired(case, kb)
    chained = (r.id for r in kb.findings_rules
               if r.id in ids and any(isinstance(c, DerivedCondition) for c in r.when))
    return next(chained, None)


class TestEvaluatorAgreesWithEngine:
    """whynot's evaluator mirrors inference.py: it says "would fire" exactly when the engine fires."""

    @pytest.mark.parametrize("case", SCENARIOS, ids=[c.name for c in SCENARIOS])
    def test_scenarios(self, case: Case, kb: KnowledgeBase) -> None:
        """For every scenario and every rule, would_fire == the engine fired it."""
        facts, ids, derived = fired(case, kb)
        disagree = [r.id for r in kb.rules if evaluate(r, facts, derived).would_fire != (r.id in ids)]
        assert disagree == []

    @pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
    def test_examples(self, example: Path, kb: KnowledgeBase) -> None:
        """The same holds for the example answers files."""
        facts, firings = run_engine(load_answers(example), kb)
        ids, derived = {f.rule_id for f in firings}, {f.concluded for f in firings if f.concluded}
        assert [r.id for r in kb.rules if evaluate(r, facts, derived).would_fire != (r.id in ids)] == []


CONDITIONS: list[dict[str, Any]] = [
    {"context": "staffing_pressure", "is": True}, {"context": "staffing_pressure", "is": False},
    {"context": "funding", "in": ["pilot", "none"]}, {"context": "funding", "not_in": ["pilot"]},
    {"context": "funding", "known": False}, {"context": "funding", "known": True},
    {"context": "setting_detail", "mentions": ["ACUTE", "forensic"]},
    {"context": "supervision.wellbeing_space", "is": "no"},
    {"measure": "peer_share", "lt": 0.1}, {"measure": "team_size", "eq": 18},
    {"measure": "peer_workers", "ge": 2},
    {"item": "2.1", "happening": ["no", "partly"]}, {"item": "2.1", "importance_ge": 3.5},
    {"item": "5.6", "importance_le": 2}, {"item": "5.8", "top3": True}, {"item": "5.8", "top3": False},
    {"item": "2.1", "happening": ["yes"], "group": "line_manager"},
    {"item": "5.5", "importance_ge": 3, "group": "coworker"},
    {"item": "4.4", "happening": ["no"], "importance_ge": 3},
    {"divergent": "2.1"}, {"divergent": "any"}, {"divergent": "6.4"},
    {"not": {"item": "2.1", "happening": ["yes"]}}, {"not": {"context": "funding", "in": ["pilot"]}},
    {"all": [{"item": "2.1", "happening": ["no", "partly"]}, {"not": {"measure": "team_size", "ge": 13}}]},
]


def _rule(data: dict[str, Any]) -> Rule:
    ev = [{"locator": "Chapter 3 › Expectations of the role › Managing boundaries"}]
    support = {"level": "limited", "note": "written for the test"}
    return Rule.model_validate({"title": "a test rule", "advice": "a", "evidence": ev, "support": support,
                                "point": "differing-views", **data})


def _rules(conditions: list[dict[str, Any]]) -> list[Rule]:
    return [_rule({"id": f"c{i}", "kind": "caveat", "when": [cond]}) for i, cond in enumerate(conditions)]


def _variants() -> list[Answers]:
    base = load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml")
    data = base.model_dump(mode="json", exclude_none=True)
    quiet = json.loads(json.dumps(data))
    quiet["context"] = {"employer": "voluntary", "setting": "community", "team_size": 4, "peer_workers": 3}
    return [base, answers_from_data(quiet, "variant"), *[load_answers(p) for p in EXAMPLES]]


@pytest.mark.parametrize("answers", _variants())
def test_every_condition_kind(answers: Answers) -> None:
    """Condition by condition, on rules written for the test, the evaluator and the engine agree."""
    rules = _rules(CONDITIONS)
    facts = build_facts(answers)
    ids = {f.rule_id for f in Engine(rules).run(facts)}
    assert [r.id for r in rules if holds(r.when[0], facts, set()) != (r.id in ids)] == []


def test_engine_negation_with_other_rules() -> None:
    """Regression (found by the meta-test): `target` must not fire once barrier.a is concluded, even when
    another rule's `any` holds two negated patterns (experta alone keeps the stale activation)."""
    rules = [_rule({"id": "derive-a", "kind": "derive", "concludes": "barrier.a",
                    "any": [{"context": "supervision.one_to_one", "is": "none"}]}),
             _rule({"id": "two-nots", "kind": "caveat", "stages": ["planning"],
                    "when": [{"not": {"derived": "barrier.b"}}],
                    "any": [{"context": "culture.peer_voice_heard", "known": False},
                            {"context": "culture.reflective_practice", "known": False}]}),
             _rule({"id": "derive-b", "kind": "derive", "concludes": "barrier.b",
                    "any": [{"context": "funding", "is": "none"}]}),
             _rule({"id": "plain", "kind": "caveat", "stages": ["planning"],
                    "when": [{"context": "stage", "is": "planning"}]}),
             _rule({"id": "target", "kind": "caveat", "stages": ["planning"],
                    "when": [{"not": {"derived": "barrier.a"}}]})]
    answers = answers_from_data({"format": "peeradvisor/answers@1", "organisation": "x", "stage": "planning",
                                 "context": {"employer": "nhs", "setting": "inpatient",
                                             "supervision": {"one_to_one": "none"}}}, "test")
    facts = build_facts(answers)
    firings = Engine(rules).run(facts)
    derived = {f.concluded for f in firings if f.concluded}
    assert not evaluate(rules[-1], facts, derived).would_fire
    assert "target" not in {f.rule_id for f in firings}


class TestWhy:
    """`peeradvisor why FINDING_ID FILE`."""

    @pytest.mark.parametrize("name", ["extra-pair-of-hands", "ward-round-language",
                                      "formal-words-community-group"])
    def test_chain_with_reasons(self, name: str, kb: KnowledgeBase) -> None:
        """The finding's reasons, then each derived fact with the rule that concluded it and why."""
        case = BY_NAME[name]
        finding = chained_finding(case, kb)
        assert finding, f"{name} should give a finding built on a derived fact"
        result = invoke("why", finding, f"scenario:{name}", "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        rule = kb.rule(finding)
        assert data["id"] == finding and data["because"] and data["evidence"]
        needed = {c.derived for c in rule.when if isinstance(c, DerivedCondition)}
        assert needed <= {link["name"] for link in data["chain"]}
        for link in data["chain"]:
            assert kb.rule(link["by"]).concludes == link["name"]
            assert link["because"] or link["uses"]
            assert isinstance(link["rests_on"], list)
        text = invoke("why", finding, f"scenario:{name}")
        assert text.exit_code == 0
        words = flat(text.stdout)
        assert f"concluded by {data['chain'][0]['by']}" in words and "Evidence:" in words
        assert max(len(line) for line in text.stdout.splitlines()) <= 80

    def test_answers_file(self) -> None:
        """FILE may be an answers file as well as scenario:NAME."""
        report = json.loads(invoke("advise", str(EXAMPLES[0]), "--format", "json").stdout)
        first = report["findings"][0]
        result = invoke("why", first["id"], str(EXAMPLES[0]), "--format", "json")
        assert result.exit_code == 0 and json.loads(result.stdout)["because"] == first["because"]

    def test_not_fired_points_to_why_not(self, kb: KnowledgeBase) -> None:
        """Asking why for a rule that did not fire is exit 2 and suggests why-not."""
        _, ids, _ = fired(BY_NAME["peer-led-crisis-house"], kb)
        absent = next(r.id for r in kb.findings_rules if r.id not in ids)
        result = invoke("why", absent, "scenario:peer-led-crisis-house")
        assert result.exit_code == 2 and "why-not" in result.stderr

    def test_unknown_id_suggests(self) -> None:
        """An unknown id is exit 2 with close ids suggested."""
        result = invoke("why", "culture-make-room-for-peer-practise", "scenario:ward-round-language")
        assert result.exit_code == 2
        assert "did you mean culture-make-room-for-peer-practice" in result.stderr

    def test_missing_file(self) -> None:
        """A missing answers file is exit 2 naming the file."""
        result = invoke("why", "shared-understanding-lacking", "no/such/file.yaml")
        assert result.exit_code == 2 and "no/such/file.yaml" in result.stderr


class TestWhyNot:
    """`peeradvisor why-not FINDING_ID FILE`."""

    def test_names_the_unmet_context(self, kb: KnowledgeBase) -> None:
        """A ward-only finding on a community team: the setting condition is shown as not met."""
        rule = next(r for r in kb.findings_rules
                    if any(getattr(c, "context", None) == "setting" and c.is_ == "inpatient" for c in r.when))
        result = invoke("why-not", rule.id, "scenario:one-post-in-a-big-team")
        assert result.exit_code == 0, result.stderr
        words = flat(result.stdout)
        assert "did not fire" in words
        assert "[NOT met] context.setting = inpatient" in words and "context.setting = community" in words

    def test_follows_a_missing_derived_fact(self, kb: KnowledgeBase) -> None:
        """A finding that needs a barrier the healthy service lacks: why the barrier was not concluded."""
        case = BY_NAME["peer-led-crisis-house"]
        facts, ids, derived = fired(case, kb)
        rule = next(r for r in kb.findings_rules if r.id not in ids
                    and any(getattr(c, "derived", None) == "barrier.cultural_inflexibility" for c in r.when))
        verdict = explain(rule, facts, derived, kb)
        assert [m.name for m in verdict.missing] == ["barrier.cultural_inflexibility"]
        producers = verdict.missing[0].producers
        assert producers and all(not p.would_fire and unmet(p) for p in producers)
        result = invoke("why-not", rule.id, "scenario:peer-led-crisis-house")
        words = flat(result.stdout)
        assert "Needed barrier.cultural_inflexibility, which no rule concluded" in words
        assert "[NOT met] context.culture.peer_voice_heard = no" in words
        assert "answers: context.culture.peer_voice_heard = yes" in words

    def test_json_lists_every_condition(self, kb: KnowledgeBase) -> None:
        """JSON gives each condition with met / not met and what the answers say."""
        result = invoke("why-not", "strength-culture-evolving", "scenario:ward-round-language",
                        "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["format"] == "peeradvisor/whynot@1" and data["fired"] is False
        assert data["would_fire"] is False
        conditions = data["when"] + data["any"]
        assert len(conditions) == len(kb.rule("strength-culture-evolving").conditions())
        assert all({"condition", "met", "actual"} <= set(c) for c in conditions)
        assert any(not c["met"] for c in conditions)
        assert data["missing"][0]["name"] == "facilitator.culture_evolving"

    def test_rule_that_fired(self, kb: KnowledgeBase) -> None:
        """why-not on a rule that fired says so, with every condition met (or one of `any`)."""
        case = BY_NAME["extra-pair-of-hands"]
        _, ids, _ = fired(case, kb)
        rule_id = next(r.id for r in kb.findings_rules if r.id in ids)
        result = invoke("why-not", rule_id, "scenario:extra-pair-of-hands")
        assert result.exit_code == 0 and "It fired for scenario extra-pair-of-hands" in flat(result.stdout)

    def test_unknown_id(self) -> None:
        """An unknown id is exit 2 with a suggestion."""
        result = invoke("why-not", "ward-short-staffing", "scenario:extra-pair-of-hands")
        assert result.exit_code == 2 and "did you mean" in result.stderr


def _replaced(kb: KnowledgeBase) -> tuple[str, str, str]:
    """A scenario, a finding whose rule fired there but was replaced, and the finding that replaced it."""
    from peeradvisor.core import advise

    for case in SCENARIOS:
        for finding in advise(case.parsed(), kb).findings:
            if finding.replaces:
                return case.name, finding.replaces[0], finding.id
    raise AssertionError("no scenario has a replaced finding")


class TestReplaced:
    """A finding that fired but was replaced by a more specific one: both commands say so."""

    def test_why_not_names_the_replacement(self, kb: KnowledgeBase) -> None:
        """why-not says its conditions held, names the replacing finding and its rank, and how to ask why."""
        name, old, new = _replaced(kb)
        result = invoke("why-not", old, f"scenario:{name}")
        assert result.exit_code == 0, result.stderr
        words = flat(result.stdout)
        assert "Its conditions held" in words and f"the more specific finding {new} (rank" in words
        assert f"`peeradvisor why {new}`" in result.stdout  # never split across lines
        data = json.loads(invoke("why-not", old, f"scenario:{name}", "--format", "json").stdout)
        assert data["fired"] is True and data["replaced_by"]["id"] == new

    def test_why_names_the_replacement(self, kb: KnowledgeBase) -> None:
        """why on a replaced finding explains it and says it is not in the report because of the other."""
        name, old, new = _replaced(kb)
        result = invoke("why", old, f"scenario:{name}")
        assert result.exit_code == 0, result.stderr
        assert f"the more specific finding {new} (rank" in flat(result.stdout)
        data = json.loads(invoke("why", old, f"scenario:{name}", "--format", "json").stdout)
        assert data["rank"] is None and data["replaced_by"]["id"] == new


class TestWhatIf:
    """`why` and `why-not` with --set: the question asked under the same change as advise --set."""

    def test_why_not_under_a_change(self) -> None:
        """A finding that disappears under a change: why-not shows the banner and the condition now unmet."""
        result = invoke("why-not", "ward-short-staffing-erodes-role", "scenario:extra-pair-of-hands",
                        "--set", "context.staffing_pressure=false")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("What if: Often short-staffed: no (was yes)")
        words = flat(result.stdout)
        assert "did not fire" in words and "[NOT met] context.staffing_pressure = true" in words
        plain = flat(invoke("why-not", "ward-short-staffing-erodes-role", "scenario:extra-pair-of-hands").stdout)
        assert "It fired" in plain

    def test_why_under_a_change(self) -> None:
        """A finding that appears under a change can be explained under it; JSON names the changes."""
        args = ["scenario:ward-round-language", "--set", "responses[0].inventory.2.5=no"]
        before = invoke("why", "boundaries-not-clearly-managed", args[0])
        assert before.exit_code == 2 and "why-not" in before.stderr
        result = invoke("why", "boundaries-not-clearly-managed", *args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["changes"] == [{"path": "responses[0].inventory.2.5", "value": "no"}] and data["because"]
        text = invoke("why", "boundaries-not-clearly-managed", *args).stdout
        assert text.startswith("What if: ") and "Managed boundaries (2.5)" in text.splitlines()[0]

    def test_why_that_did_not_fire_under_the_change(self) -> None:
        """why on a finding the change removes is exit 2, and the suggested why-not carries the same --set."""
        result = invoke("why", "ward-short-staffing-erodes-role", "scenario:extra-pair-of-hands",
                        "--set", "context.staffing_pressure=false")
        assert result.exit_code == 2
        assert "why-not ward-short-staffing-erodes-role scenario:extra-pair-of-hands --set " \
               "context.staffing_pressure=false" in result.stderr

    def test_bad_set_is_refused(self) -> None:
        """A --set that is not valid is exit 2 naming the path, as with advise --set."""
        result = invoke("why-not", "ward-short-staffing-erodes-role", "scenario:extra-pair-of-hands",
                        "--set", "context.staffing_pressure=maybe")
        assert result.exit_code == 2 and "context.staffing_pressure" in result.stderr
