"""The rule compiler and engine, on a small knowledge base written for the test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peeradvisor.answers import parse_answers
from peeradvisor.core import advise
from peeradvisor.errors import KnowledgeError
from peeradvisor.kb import load_kb

ROOT = Path(__file__).resolve().parents[1]
EV = '[{locator: "Chapter 3 › Expectations of the role › Managing boundaries"}]'
SUP = "{level: limited, note: A rule written for this test only.}"

RULES = f"""
rules:
  - id: signal-no-understanding
    kind: derive
    title: shared understanding missing
    concludes: barrier.test_understanding
    any:
      - {{item: "2.1", happening: [no]}}
      - {{context: culture.lived_experience_valued, is: "no"}}
    evidence: {EV}
    support: {SUP}
  - id: low-value-tasks
    kind: derive
    title: two barriers make a third
    concludes: risk.test_low_value
    when:
      - {{derived: barrier.test_understanding}}
      - {{context: staffing_pressure, is: true}}
    evidence: {EV}
    support: {SUP}
  - id: warn-low-value
    kind: warning
    point: differing-views
    action: Act on it.
    found: the study found it
    title: peer worker used as an extra pair of hands
    advice: protect the role
    strength: 3
    themes: [distinctiveness]
    items: [{{id: "5.8", direction: put_in_place}}]
    when: [{{derived: risk.test_low_value}}]
    evidence: {EV}
    support: {SUP}
  - id: recommend-training
    kind: recommendation
    point: differing-views
    action: Act on it.
    found: the study found it
    title: train the team
    advice: train them
    strength: 1
    themes: [distinctiveness]
    items: [{{id: "4.4", direction: put_in_place}}]
    when: [{{derived: barrier.test_understanding}}]
    evidence: {EV}
    support: {SUP}
  - id: healthy
    kind: strength
    point: differing-views
    action: Act on it.
    found: the study found it
    title: understanding in place
    advice: keep it
    themes: [distinctiveness]
    items: [{{id: "4.4", direction: put_in_place}}]
    stages: [new, established]
    when:
      - {{not: {{derived: barrier.test_understanding}}}}
      - {{item: "2.1", happening: ["yes"]}}
    evidence: {EV}
    support: {SUP}
  - id: small-share
    kind: caveat
    point: differing-views
    title: a lone peer worker
    advice: hire more
    themes: [structures]
    when: [{{measure: peer_share, lt: 0.1}}]
    evidence: {EV}
    support: {SUP}
  - id: train-nhs-team
    kind: recommendation
    point: differing-views
    action: Act on it.
    found: the study found it
    supersedes: [recommend-training]
    title: train this NHS team
    advice: train them, NHS-style
    themes: [distinctiveness]
    items: [{{id: "4.4", direction: put_in_place}}]
    when: [{{derived: barrier.test_understanding}}, {{context: employer, is: nhs}}]
    evidence: {EV}
    support: {SUP}
  - id: either-group
    kind: recommendation
    point: differing-views
    action: Act on it.
    found: the study found it
    title: either both of two things, or a third
    advice: act
    themes: [structures]
    any:
      - all: [{{item: "5.8", happening: [no]}}, {{context: setting, is: inpatient}}]
      - {{context: setting, is: bme}}
    evidence: {EV}
    support: {SUP}
  - id: groups-disagree
    kind: warning
    point: differing-views
    action: Act on it.
    found: the study found it
    title: groups disagree
    advice: talk
    themes: [distinctiveness]
    when: [{{divergent: any}}]
    evidence: {EV}
    support: {SUP}
"""


def make_kb(tmp_path: Path, rules: str = RULES) -> Path:
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge",
                    ignore=shutil.ignore_patterns("scenarios"))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "test.yaml").write_text(rules, encoding="utf-8")
    return tmp_path


def answers(item_21: str = "no", staffing: str = "true", extra: str = "") -> str:
    return f"""format: peeradvisor/answers@1
organisation: T
stage: new
context: {{employer: nhs, setting: inpatient, staffing_pressure: {staffing}, team_size: 20, peer_workers: 1}}
responses:
  - respondent: {{group: peer_worker}}
    inventory: {{"2.1": {{happening: {item_21}, importance: 4}}, "5.8": {{happening: no, importance: 4}}}}
{extra}"""


class TestChaining:
    def test_two_step_chain_fires(self, tmp_path: Path) -> None:
        """A finding fires on a fact derived from another derived fact, and says why down to the answers."""
        kb = load_kb(make_kb(tmp_path))
        report = advise(parse_answers(answers()), kb)
        finding = report.finding("warn-low-value")
        assert finding is not None
        assert finding.chain == ["risk.test_low_value"]
        assert any("inventory 2.1: happening = no" in b and "context.staffing_pressure = true" in b
                   for b in finding.because)
        assert set(report.derived) == {"barrier.test_understanding", "risk.test_low_value"}

    def test_chain_breaks_without_its_premise(self, tmp_path: Path) -> None:
        """Without staffing pressure the intermediate risk is not derived and the warning does not fire."""
        kb = load_kb(make_kb(tmp_path))
        report = advise(parse_answers(answers(staffing="false")), kb)
        assert report.finding("warn-low-value") is None
        assert report.finding("train-nhs-team") is not None

    def test_specific_finding_supersedes_general(self, tmp_path: Path) -> None:
        """When a specific finding and the general one it supersedes both fire, only the specific is given."""
        kb = load_kb(make_kb(tmp_path))
        nhs = advise(parse_answers(answers()), kb)
        specific = nhs.finding("train-nhs-team")
        assert specific is not None and nhs.finding("recommend-training") is None
        assert specific.replaces == ["recommend-training"]
        voluntary = advise(parse_answers(answers().replace("employer: nhs", "employer: voluntary")), kb)
        assert voluntary.finding("recommend-training") is not None

    def test_negated_derived_fact(self, tmp_path: Path) -> None:
        """A `not derived` condition waits for every derivation: the strength appears only when no barrier."""
        kb = load_kb(make_kb(tmp_path))
        assert advise(parse_answers(answers(item_21="yes")), kb).finding("healthy") is not None
        assert advise(parse_answers(answers(item_21="no")), kb).finding("healthy") is None

    def test_measure_and_divergence(self, tmp_path: Path) -> None:
        """Numeric measures and stakeholder disagreement are facts rules can test."""
        kb = load_kb(make_kb(tmp_path))
        second = """  - respondent: {group: line_manager}
    inventory: {"2.1": yes}
"""
        report = advise(parse_answers(answers(extra=second)), kb)
        assert report.finding("small-share") is not None
        disagree = report.finding("groups-disagree")
        assert disagree is not None and "peer_worker: no" in disagree.because[0]

    def test_engine_reused_between_runs(self, tmp_path: Path) -> None:
        """The engine is built once per knowledge base and gives the same answer on reuse."""
        from peeradvisor.engine import engine_for

        kb = load_kb(make_kb(tmp_path))
        first = advise(parse_answers(answers()), kb)
        engine = engine_for(kb)
        advise(parse_answers(answers(item_21="yes")), kb)
        assert engine_for(kb) is engine
        assert advise(parse_answers(answers()), kb) == first


def test_all_group_inside_any(tmp_path: Path) -> None:
    """An `all` group inside `any` needs every one of its parts, and reports each as a reason."""
    kb = load_kb(make_kb(tmp_path))
    finding = advise(parse_answers(answers()), kb).finding("either-group")
    assert finding is not None
    assert "context.setting = inpatient" in finding.because
    assert "inventory 5.8: happening = no, importance = 4" in finding.because
    community = answers().replace("setting: inpatient", "setting: community")
    assert advise(parse_answers(community), kb).finding("either-group") is None


class TestRanking:
    def test_ranks_contiguous_and_ordered(self, tmp_path: Path) -> None:
        """Ranks run 1..n without gaps, in order of falling score."""
        kb = load_kb(make_kb(tmp_path))
        report = advise(parse_answers(answers()), kb)
        assert [f.rank for f in report.findings] == list(range(1, len(report.findings) + 1))
        scores = [f.score for f in report.findings]
        assert scores == sorted(scores, reverse=True)

    def test_strong_warning_outranks_weak_recommendation(self, tmp_path: Path) -> None:
        """A central warning ranks above a suggestive recommendation."""
        kb = load_kb(make_kb(tmp_path))
        ids = [f.id for f in advise(parse_answers(answers()), kb).findings]
        assert ids.index("warn-low-value") < ids.index("train-nhs-team")

    def test_top3_raises_score(self, tmp_path: Path) -> None:
        """Putting a finding's item in the top three raises that finding's score."""
        kb = load_kb(make_kb(tmp_path))
        plain = advise(parse_answers(answers()), kb).finding("train-nhs-team")
        top = advise(parse_answers(answers(extra='    top3: ["4.4"]\n')), kb).finding("train-nhs-team")
        assert plain is not None and top is not None and top.score > plain.score


class TestCompilerRefusals:
    @pytest.mark.parametrize(("change", "words"), [
        (("concludes: risk.test_low_value", "concludes: risk.other"), "no derive rule concludes"),
        (('{item: "2.1", happening: [no]}', '{item: "9.1", happening: [no]}'), "unknown item id"),
        (("context: staffing_pressure, is: true", "context: staffing, is: true"), "unknown context field"),
        (("measure: peer_share, lt: 0.1", "measure: peer_share"), "exactly one of: lt"),
        (("kind: caveat", "kind: hint"), "kind"),
        (("id: healthy", "id: warn-low-value"), "duplicate rule id"),
        (('{item: "2.1", happening: [no]}', '{item: "2.1", importance_ge: 2, importance_le: 3}'), "not both"),
        (('- {context: setting, is: bme}', '- {not: {derived: risk.test_low_value}}'), "belongs directly in `when`"),
    ])
    def test_bad_rules_refused(self, tmp_path: Path, change: tuple[str, str], words: str) -> None:
        """Broken rules are refused at load time with the file and the rule named."""
        with pytest.raises(KnowledgeError) as info:
            load_kb(make_kb(tmp_path, RULES.replace(*change, 1)))
        assert words in str(info.value)
        assert "test.yaml" in str(info.value)

    def test_cycle_refused(self, tmp_path: Path) -> None:
        """Derived facts that depend on each other in a cycle are refused."""
        from peeradvisor.engine import engine_for

        rules = RULES.replace('- {context: culture.lived_experience_valued, is: "no"}',
                              "- {derived: risk.test_low_value}")
        with pytest.raises(KnowledgeError, match="cycle"):
            engine_for(load_kb(make_kb(tmp_path, rules)))


def test_negation_holds_with_many_rules(tmp_path: Path) -> None:
    """A finding that needs a derived fact to be absent is not given once that fact is concluded.

    experta alone let this rule through when it sat among the full rule base (two negations in one
    rule); the engine re-checks negated conclusions when the rule fires.
    """
    root = make_kb(tmp_path, RULES)
    shutil.copytree(ROOT / "rules", root / "rules", dirs_exist_ok=True)
    (root / "rules" / "test.yaml").unlink()
    (root / "rules" / "zz-negation.yaml").write_text(f"""
rules:
  - id: plan-voice-needs-no-inflexibility
    kind: recommendation
    point: differing-views
    action: Plan it.
    found: the study found it
    title: plan for the peer voice
    advice: plan it
    themes: [culture]
    stages: [planning]
    when:
      - {{context: stage, is: planning}}
      - {{not: {{derived: barrier.cultural_inflexibility}}}}
    any:
      - {{context: culture.peer_voice_heard, in: [partly, dont_know]}}
      - {{context: culture.peer_voice_heard, known: false}}
      - {{context: culture.personal_boundaries_supported, in: [partly, dont_know]}}
      - {{context: culture.personal_boundaries_supported, known: false}}
    evidence: {EV}
    support: {SUP}
""", encoding="utf-8")
    kb = load_kb(root)
    text = """format: peeradvisor/answers@1
organisation: Planning trust
stage: planning
context:
  employer: nhs
  setting: community
  culture: {ready_for_change: 'yes', peer_voice_heard: 'no', lived_experience_valued: 'no'}
"""
    report = advise(parse_answers(text), kb)
    assert "barrier.cultural_inflexibility" in report.derived
    assert report.finding("plan-voice-needs-no-inflexibility") is None
