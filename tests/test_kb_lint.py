"""What the knowledge base refuses at load, what `rules lint` warns about, and that whatever loads, runs.

Each rule file here is written for the test on a copy of the real knowledge/ folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.answers import parse_answers
from peeradvisor.cli import app
from peeradvisor.core import advise
from peeradvisor.errors import KnowledgeError
from peeradvisor.kb import load_kb
from peeradvisor.kb.models import LIMITS

ROOT = Path(__file__).resolve().parents[1]
EV = '[{locator: "Chapter 3 › Expectations of the role › Managing boundaries"}]'
SUPPORT = "{level: limited, note: written for the test}"
PLAN = "    point: differing-views\n    action: Act on it.\n    found: the study found it\n"
ANSWERS = """format: peeradvisor/answers@1
organisation: T
stage: new
context: {employer: nhs, setting: inpatient, staffing_pressure: true, team_size: 20, peer_workers: 1}
responses:
  - respondent: {group: peer_worker}
    inventory: {"2.1": {happening: "no", importance: 4}, "5.8": {happening: "yes", importance: 4}}
"""
runner = CliRunner()


def rule(rule_id: str, when: str, kind: str = "warning", extra: str = "") -> str:
    """One rule as YAML (a finding unless KIND is derive), with every field a rule needs."""
    fields = f"    concludes: risk.{rule_id.replace('-', '_')}\n" if kind == "derive" else f"    advice: do it\n{PLAN}"
    return (f"  - id: {rule_id}\n    kind: {kind}\n    title: the rule {rule_id}\n{fields}"
            f"    themes: [culture]\n    support: {SUPPORT}\n    when: {when}\n{extra}    evidence: {EV}\n")


def make_kb(tmp_path: Path, *rules: str) -> Path:
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge", ignore=shutil.ignore_patterns("scenarios"))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "test.yaml").write_text("rules:\n" + "".join(rules), encoding="utf-8")
    return tmp_path


def refusal(root: Path) -> str:
    with pytest.raises(KnowledgeError) as info:
        load_kb(root)
    return str(info.value)


def lint(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["rules", "lint", "--kb", str(root), *args])


BASIC = '[{item: "2.1", happening: ["no"]}]'


class TestRequiredFields:
    """Issue 12 (1): support on every rule; point on every finding; action and found on planned findings."""

    @pytest.mark.parametrize(("drop", "kind", "words"), [
        ("    support: " + SUPPORT + "\n", "warning", "rules[0].support: is required: how widely the study"),
        ("    support: " + SUPPORT + "\n", "derive", "rules[0].support: is required"),
        ("    point: differing-views\n", "caveat", "a caveat needs `point`"),
        ("    action: Act on it.\n", "recommendation", "a recommendation needs `action`: what to do"),
        ("    found: the study found it\n", "strength", "a strength needs `found`"),
    ])
    def test_missing_field_refused(self, tmp_path: Path, drop: str, kind: str, words: str) -> None:
        """A rule without a field its kind needs is refused, naming the field, its line and what to write."""
        text = rule("some-rule", BASIC, kind).replace(drop, "")
        message = refusal(make_kb(tmp_path, text))
        assert words in message
        assert "test.yaml:2: " in message  # the line of the rule (`- id: some-rule`)

    def test_caveat_needs_no_action(self, tmp_path: Path) -> None:
        """A caveat says how far the evidence goes, not what to do: it loads without action and found."""
        text = rule("a-caveat", BASIC, "caveat").replace("    action: Act on it.\n", "").replace(
            "    found: the study found it\n", "")
        assert load_kb(make_kb(tmp_path, text)).rule("a-caveat").action is None


class TestContradictions:
    """Issue 12 (2): a rule whose conclusion contradicts one of its own inputs."""

    @pytest.mark.parametrize(("kind", "direction", "happening"), [
        ("warning", "put_in_place", '["yes"]'),
        ("recommendation", "avoid", '["no"]'),
        ("strength", "put_in_place", '["no"]'),
        ("strength", "avoid", '["yes"]'),
    ])
    def test_contradiction_in_when_refused(self, tmp_path: Path, kind: str, direction: str, happening: str) -> None:
        """Advising a change the conditions require already made (or, for a strength, to keep what the
        conditions require absent) is refused at load, naming the item and the condition."""
        text = rule("self-contradicting", f'[{{item: "2.1", happening: {happening}}}]', kind,
                    f'    items: [{{id: "2.1", direction: {direction}}}]\n')
        message = refusal(make_kb(tmp_path, text))
        assert f"self-contradicting.items[0]: a {kind} advising {direction} for item 2.1 fires only" in message
        assert "as when[0] require(s); change the direction or the conditions" in message

    def test_narrowed_by_two_conditions(self, tmp_path: Path) -> None:
        """Two conditions on one item that together leave only `yes` are a contradiction too."""
        when = '[{item: "2.1", happening: ["yes", "no"]}, {all: [{item: "2.1", happening: ["yes", "partly"]}]}]'
        text = rule("narrowed", when, extra='    items: [{id: "2.1", direction: put_in_place}]\n')
        assert "as when[0], when[1].all[0] require(s)" in refusal(make_kb(tmp_path, text))

    def test_every_any_branch_refused(self, tmp_path: Path) -> None:
        """A contradiction in every `any` branch is one in every way the rule can fire: refused."""
        text = rule("all-branches", '[{context: setting, is: inpatient}]', extra=(
            '    items: [{id: "2.1", direction: put_in_place}]\n'
            '    any:\n      - {item: "2.1", happening: ["yes"]}\n'
            '      - all: [{item: "2.1", happening: ["yes"]}, {context: employer, is: nhs}]\n'))
        assert "fires only when 2.1 is already happening (yes), as any[0], any[1].all[0] require(s)" in refusal(
            make_kb(tmp_path, text))

    def test_one_any_branch_warned(self, tmp_path: Path) -> None:
        """A contradiction in only some `any` branches loads, and lint warns about it with the rule's line."""
        text = rule("one-branch", '[{context: setting, is: inpatient}]', extra=(
            '    items: [{id: "2.1", direction: put_in_place}]\n'
            '    any:\n      - {item: "2.1", happening: ["yes"]}\n      - {item: "2.1", happening: ["no"]}\n'))
        root = make_kb(tmp_path, text)
        load_kb(root)
        result = lint(root)
        assert result.exit_code == 0, result.output
        assert re.search(r"test\.yaml:\d+: one-branch\.items\[0\]: advises put_in_place for item 2\.1, but 1 of "
                         r"its 2 `any` branches fire only when 2\.1 is already happening \(yes\), as any\[0\] require",
                         result.stderr)

    def test_not_and_group_conditions_are_not_requirements(self, tmp_path: Path) -> None:
        """`not` (the item may be unanswered) and one group's answer (not the pooled one) do not contradict."""
        when = '[{not: {item: "2.1", happening: ["no", "partly"]}}, {item: "2.1", happening: ["yes"], group: coworker}]'
        text = rule("not-a-contradiction", when, extra='    items: [{id: "2.1", direction: put_in_place}]\n')
        assert load_kb(make_kb(tmp_path, text)).rule("not-a-contradiction")

    def test_real_strengths_keep_what_is_in_place(self, kb) -> None:  # type: ignore[no-untyped-def]
        """The real knowledge base has strengths advising to keep (put_in_place) what is happening: allowed."""
        from peeradvisor.kb.checks import contradictions

        keeping = [r for r in kb.rules if r.kind == "strength" and any(i.direction == "put_in_place" for i in r.items)]
        assert keeping and all(contradictions(kb, r) == [] for r in keeping)


class TestCaseCoverage:
    """Issue 12 (3): findings only ever tested as forbidden, and findings no case gives."""

    CASES = """cases:
  - name: forbids-it
    answers:
{answers}
    expect: {{present: [given], absent: [forbidden-only, no-such-rule]}}
"""

    def _root(self, tmp_path: Path) -> Path:
        root = make_kb(tmp_path, rule("given", BASIC), rule("forbidden-only", '[{context: setting, is: bme}]'),
                       rule("never-mentioned", '[{context: setting, is: community}]'))
        (root / "tests" / "cases").mkdir(parents=True)
        answers = "".join(f"      {line}\n" for line in ANSWERS.splitlines())
        (root / "tests" / "cases" / "c.yaml").write_text(self.CASES.format(answers=answers), encoding="utf-8")
        return root

    def test_absent_only_finding_warned(self, tmp_path: Path) -> None:
        """A finding no case gives but one lists as absent is reported, with its line and the case."""
        result = lint(self._root(tmp_path))
        assert result.exit_code == 0, result.output
        assert re.search(r"warning: \S*test\.yaml:\d+: forbidden-only: no case or scenario gives this finding; "
                         r"it is only tested as absent \(forbids-it\)", result.stderr)
        assert "never-mentioned" not in result.stderr  # never given, but not forbidden: only counted
        assert "names 'no-such-rule', which is no rule" in result.stderr

    def test_summary_counts_and_verbose_lists(self, tmp_path: Path) -> None:
        """One line counts the findings no case gives; --verbose names them."""
        root = self._root(tmp_path)
        assert "2 of 3 findings are never given by the 1 cases and scenarios (--verbose lists them)" in \
            lint(root).stdout
        assert "never given by the 1 cases and scenarios: forbidden-only, never-mentioned" in \
            lint(root, "--verbose").stdout

    def test_real_cases_run(self) -> None:
        """On the real knowledge base lint runs every case and scenario (tests/cases sits beside it)."""
        result = runner.invoke(app, ["rules", "lint"])
        assert result.exit_code == 0, result.stderr
        count = len(re.findall(r"(?m)^  - name: ", "".join(
            p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "cases").glob("*.yaml"))))
        count += len(list((ROOT / "knowledge" / "scenarios").glob("*.yaml")))
        assert f"by the {count} cases and scenarios" in result.stdout


class TestErrorLines:
    """Issue 16: a knowledge-base error names the line of the rule file."""

    def test_validation_error_names_line_and_path(self, tmp_path: Path) -> None:
        """A bad condition deep in a rule is reported as file:line: rules[i].when[j]…: what is wrong."""
        bad = '\n      - {item: "2.1", happening: ["no"]}\n      - {not: {all: [{measure: peer_share, lt: "x"}]}}'
        root = make_kb(tmp_path, rule("fine", BASIC), rule("broken", bad))
        message = refusal(root)
        lines = (root / "rules" / "test.yaml").read_text(encoding="utf-8").splitlines()
        number = next(i for i, line in enumerate(lines, 1) if "peer_share" in line)
        assert f"test.yaml:{number}: rules[1].when[1].not.all[0].lt: Input should be a valid number" in message

    def test_reference_error_names_line(self, tmp_path: Path) -> None:
        """A cross-reference error (an unknown derived fact) names the line of the condition."""
        root = make_kb(tmp_path, rule("fine", BASIC), rule("dangling", '\n      - {derived: risk.nowhere}'))
        lines = (root / "rules" / "test.yaml").read_text(encoding="utf-8").splitlines()
        number = next(i for i, line in enumerate(lines, 1) if "risk.nowhere" in line)
        assert f"test.yaml:{number}: dangling.when[0]: no derive rule concludes 'risk.nowhere'" in refusal(root)

    def test_every_problem_reported(self, tmp_path: Path) -> None:
        """Every invalid rule of a file is reported, each on its own line, not only the first."""
        message = refusal(make_kb(tmp_path, rule("one", "[]", "derive"), rule("two", '[{context: nope}]')))
        assert "rules[0]: a rule needs at least one condition" in message
        assert "rules[1].when[0]: a context condition needs exactly one of" in message

    def test_every_broken_file_reported(self, tmp_path: Path) -> None:
        """A problem in each of two rule files: one run names both files."""
        root = make_kb(tmp_path, rule("one", '[{context: nope, is: x, in: [y]}]'))
        (root / "rules" / "second.yaml").write_text("rules:\n" + rule("two", BASIC).replace("    point:", "    pint:"),
                                                     encoding="utf-8")
        message = refusal(root)
        assert re.search(r"second\.yaml:\d+: rules\[0\]\.pint: is not a field here", message)
        assert re.search(r"test\.yaml:\d+: rules\[0\]\.when\[0\]: a context condition needs exactly one", message)

    def test_evidence_error_names_line(self, tmp_path: Path) -> None:
        """A locator the study does not have is a lint error at the line of that evidence."""
        study = tmp_path / "study.txt"
        study.write_text("Chapter 3\nExpectations of the role\nManaging boundaries\nsome text\n", encoding="utf-8")
        wrong = rule("cited", BASIC).replace("Managing boundaries", "Managing boundaries badly")
        result = lint(make_kb(tmp_path / "kb", rule("fine", BASIC), wrong), "--study", str(study))
        assert result.exit_code == 2
        lines = (tmp_path / "kb" / "rules" / "test.yaml").read_text(encoding="utf-8").splitlines()
        number = next(i for i, line in enumerate(lines, 1) if "badly" in line)
        assert f"test.yaml:{number}: cited.evidence[0].locator: locator not in the report" in result.stderr
        assert "2 rules, 1 error(s)" in result.stdout

    def test_lines_cost_nothing_when_valid(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Loading a valid knowledge base never composes YAML nodes to find lines."""
        import peeradvisor.kb.locate as locate

        def fail(*_: object) -> None:
            raise AssertionError("line_of called on a valid knowledge base")

        monkeypatch.setattr(locate, "line_of", fail)
        assert load_kb(ROOT, cache=False).rules


def _chain(length: int) -> list[str]:
    """LENGTH derive rules, each on the one before, and a finding on the last."""
    rules = [rule("link-0", BASIC, "derive")]
    rules += [rule(f"link-{i}", f"[{{derived: risk.link_{i - 1}}}]", "derive") for i in range(1, length)]
    return [*rules, rule("end-of-chain", f"[{{derived: risk.link_{length - 1}}}]")]


class TestLimits:
    """Issue 17 (9): whatever loads (and so lints), `advise` can run."""

    def test_too_many_conditions_refused(self, tmp_path: Path) -> None:
        """1,000 `when` conditions crashed `advise` (RecursionError); they are refused at load with the line."""
        when = "[" + ", ".join(['{item: "2.1", happening: ["no", "partly"]}'] * 1000) + "]"
        message = refusal(make_kb(tmp_path, rule("huge", when)))
        assert "test.yaml:2: rules[0]: the rule has 1000 conditions; the limit is 100" in message

    def test_too_many_branches_refused(self, tmp_path: Path) -> None:
        """More `any` branches than the limit are refused."""
        branches = "".join(f"      - {{context: team_size, is: {n}}}\n" for n in range(LIMITS["any"] + 1))
        text = rule("bushy", "[]", extra=f"    any:\n{branches}")
        assert f"`any` has {LIMITS['any'] + 1} branches; the limit is {LIMITS['any']}" in refusal(
            make_kb(tmp_path, text))

    def test_deep_nesting_refused(self, tmp_path: Path) -> None:
        """Conditions nested past the limit are refused."""
        deep = '{item: "2.1", happening: ["no"]}'
        for _ in range(LIMITS["nesting"]):
            deep = f"{{not: {deep}}}"
        assert "nested 9 levels deep" in refusal(make_kb(tmp_path, rule("deep", f"[{deep}]")))

    def test_too_many_alternatives_refused(self, tmp_path: Path) -> None:
        """Negated groups multiply the ways a rule can fire (each one rule of the engine's network): 5 x 5 x 5
        is past the limit, and refused before the engine would build them."""
        group = "{not: {all: [" + ", ".join(f'{{item: "1.{i}", happening: ["no"]}}' for i in range(1, 6)) + "]}}"
        message = refusal(make_kb(tmp_path, rule("forked", f"[{group}, {group}, {group}]")))
        assert f"can fire in 125 alternative ways (`any` branches, and one per part of each negated `all`); " \
               f"the limit is {LIMITS['alternatives']}" in message

    def test_long_derive_chain_refused_and_lint_survives(self, tmp_path: Path) -> None:
        """A 1,500-rule derive chain is refused by lint with a clear error, not a crash."""
        result = lint(make_kb(tmp_path, *_chain(1500)))
        assert result.exit_code == 2, result.output
        assert f"link-{LIMITS['derive_depth']}: is derive rule number {LIMITS['derive_depth'] + 1} of a chain; " \
               f"the limit is {LIMITS['derive_depth']}" in result.stderr

    @pytest.mark.parametrize("bound", ["{measure: peer_share, lt: .nan}", "{measure: team_size, ge: .inf}",
                                       '{item: "2.1", importance_ge: .nan}'])
    def test_non_finite_bound_refused(self, tmp_path: Path, bound: str) -> None:
        """A .nan (or infinite) threshold, which could never fire, is refused."""
        assert "must be a finite number" in refusal(make_kb(tmp_path, rule("never", f"[{bound}]")))

    def test_supersede_ring_refused(self, tmp_path: Path) -> None:
        """Two rules that supersede each other (both would vanish) are refused, naming the ring."""
        root = make_kb(tmp_path, rule("first-rule", BASIC, extra="    supersedes: [second-rule]\n"),
                       rule("second-rule", BASIC, extra="    supersedes: [third-rule]\n"),
                       rule("third-rule", BASIC, extra="    supersedes: [first-rule]\n"))
        assert "rules supersede each other in a ring (first-rule -> second-rule -> third-rule -> first-rule)" in \
            refusal(root)

    def test_derive_cycle_refused_at_load(self, tmp_path: Path) -> None:
        """Derived facts in a cycle are refused by loading itself, not first by the engine."""
        root = make_kb(tmp_path, rule("ping", "[{derived: risk.pong}]", "derive"),
                       rule("pong", "[{derived: risk.ping}]", "derive"), rule("uses", "[{derived: risk.ping}]"))
        assert "derived facts form a cycle" in refusal(root)

    def test_rules_at_every_limit_advise(self, tmp_path: Path) -> None:
        """Rules exactly at each limit load, lint and give their advice (and its explanation)."""
        from peeradvisor.api import why

        many = LIMITS["conditions"] - LIMITS["any"]  # `when` and `any` together at the limit
        when = "[" + ", ".join(['{item: "2.1", happening: ["no", "partly"]}'] * many) + "]"
        deep = '{item: "5.8", happening: ["no"]}'
        for _ in range(LIMITS["nesting"] - 1):
            deep = f"{{not: {deep}}}"
        branches = "".join(f"      - {{context: team_size, is: {n}}}\n" for n in range(LIMITS["any"] - 1))
        forks = [("{not: {all: [" + ", ".join(f'{{item: "{d}.{i}", happening: ["no"]}}' for i in range(1, 9)) + "]}}")
                 for d in (1, 2)]  # 8 x 8 alternatives
        root = make_kb(tmp_path, *_chain(LIMITS["derive_depth"]), rule("wide", when, extra=(
            f"    any:\n{branches}      - {{context: team_size, is: 20}}\n")), rule("deep", f"[{deep}]"),
            rule("forked", f"[{forks[0]}, {forks[1]}]"))
        assert lint(root).exit_code == 0
        kb = load_kb(root)
        report = advise(parse_answers(ANSWERS), kb)
        assert {"end-of-chain", "wide", "deep", "forked"} <= {f.id for f in report.findings}
        assert len(why("end-of-chain", parse_answers(ANSWERS), kb).chain) == LIMITS["derive_depth"]
