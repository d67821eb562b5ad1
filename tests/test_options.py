"""The role mapping tool: one answers file advised under all nine employer × setting arrangements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.analysis.options import NHS_ONLY, Option, Options, applies, arrangement, build_options
from peeradvisor.answers import load_answers
from peeradvisor.cli import app
from peeradvisor.kb import KnowledgeBase, load_kb
from peeradvisor.kb.evidence_check import Study
from peeradvisor.render.options import HEADINGS, change_line

ROOT = Path(__file__).resolve().parents[1]
PLANNING = ROOT / "examples" / "partnership-bme-planning.yaml"
STUDY = ROOT.parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"
NINE = {(e, s) for e in ("nhs", "voluntary", "partnership") for s in ("inpatient", "community", "bme")}
SECTION = "Chapter 5 › Implications for health care › "
runner = CliRunner()


@pytest.fixture(scope="module")
def planning(kb: KnowledgeBase) -> Options:
    return build_options(load_answers(PLANNING), kb)


@pytest.fixture(scope="module")
def examples(kb: KnowledgeBase) -> list[Options]:
    return [build_options(load_answers(p), kb) for p in sorted((ROOT / "examples").glob("*.yaml"))]


def _option(options: Options, employer: str, setting: str) -> Option:
    return next(o for o in options.options if (o.employer, o.setting) == (employer, setting))


ACTING = ("warning", "recommendation")
KINDS = ("warning", "recommendation", "strength", "caveat")


def flagged(option: Option, kb: KnowledgeBase, item: str, kind: str | tuple[str, ...] = "warning",
            cites: str = "") -> list[str]:
    """Findings of KIND about ITEM in this arrangement, optionally only those citing a locator part."""
    kinds = (kind,) if isinstance(kind, str) else kind
    out = []
    for finding_id in option.findings:
        rule = kb.rule(finding_id)
        if rule.kind in kinds and any(ref.id == item for ref in rule.items) \
                and any(cites in ev.locator for ev in rule.evidence):
            out.append(finding_id)
    return out


class TestNine:
    """All nine arrangements, compared on one planning file."""

    def test_contract_json(self) -> None:
        """`options --format json` prints the contract's shape with all nine arrangements."""
        result = runner.invoke(app, ["options", str(PLANNING), "--format", "json"])
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["format"] == "peeradvisor/options@1"
        assert {(o["employer"], o["setting"]) for o in data["options"]} == NINE and len(data["options"]) == 9
        for option in data["options"]:
            assert isinstance(option["warnings"], int) and isinstance(option["recommendations"], int)
            assert isinstance(option["top"], list) and 1 <= len(option["top"]) <= 5

    def test_top_are_real_findings(self, planning: Options, kb: KnowledgeBase) -> None:
        """`top` lists warnings and recommendations, in rank order, that the arrangement produced."""
        for option in planning.options:
            assert option.top == [f for f in option.findings if kb.rule(f).kind in ACTING][:5]

    def test_counts_match_findings(self, planning: Options, kb: KnowledgeBase) -> None:
        """The counts are the kinds of the findings listed."""
        for option in planning.options:
            kinds = [kb.rule(f).kind for f in option.findings]
            assert (option.warnings, option.recommendations) == (kinds.count("warning"),
                                                                 kinds.count("recommendation"))

    def test_current_arrangement_marked(self, planning: Options) -> None:
        """Exactly the file's own arrangement (partnership, BME) is marked current."""
        assert [(o.employer, o.setting) for o in planning.options if o.current] == [("partnership", "bme")]

    def test_engine_built_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The rules are compiled once and the engine reused for all nine runs."""
        from peeradvisor.engine import experta_engine

        built = []
        real = experta_engine.compile_rules

        def counting(rules):  # type: ignore[no-untyped-def]
            built.append(1)
            return real(rules)

        monkeypatch.setattr(experta_engine, "compile_rules", counting)
        build_options(load_answers(PLANNING), load_kb(ROOT))  # a fresh knowledge base: no cached engine
        assert len(built) == 1


class TestOnlyWhatApplies:
    """Each arrangement shows advice that applies to it, once, and says what changes."""

    def test_nothing_both_asked_first_and_particular(self, examples: list[Options]) -> None:
        """A recommendation under 'Would ask of you first' is not repeated under 'Also particular'."""
        for options in examples:
            for op in options.options:
                assert not {b.id for b in op.demands} & {b.id for b in op.particular}, (op.employer, op.setting)

    def test_no_nhs_advice_under_a_voluntary_employer(self, examples: list[Options], kb: KnowledgeBase) -> None:
        """Under a voluntary sector employer no finding about the NHS's own structures is listed or
        counted, unless its rule was written for that employer."""
        for options in examples:
            for op in options.options:
                if op.employer != "voluntary":
                    continue
                for finding_id in op.findings:
                    rule = kb.rule(finding_id)
                    assert not NHS_ONLY.search(rule.title) or applies(rule, "voluntary"), finding_id

    def test_agenda_for_change_stays_with_the_nhs(self, examples: list[Options]) -> None:
        """The NHS example is on Agenda for Change: its pay findings come up under the NHS only."""
        options = next(o for o in examples if o.employer == "nhs")
        for op in options.options:
            afc = {f for f in op.findings if f.startswith("afc-")}
            assert bool(afc) == (op.employer == "nhs"), (op.employer, op.setting, afc)

    def test_nhs_training_set_aside_for_voluntary_ward(self, kb: KnowledgeBase) -> None:
        """'Decide which standard NHS training peer workers on wards need' (a ward without NHS core
        training) comes up for NHS and partnership wards, and is set aside, named, for a voluntary one."""
        answers = load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml")
        answers.responses[0].inventory["4.3"] = answers.responses[0].inventory["1.8"]  # happening: no
        options = build_options(answers, kb)
        wards = {o.employer: o for o in options.options if o.setting == "inpatient"}
        assert "core-training-inpatient-decide" in wards["nhs"].findings
        assert "core-training-inpatient-decide" in wards["partnership"].findings
        assert "core-training-inpatient-decide" not in wards["voluntary"].findings
        assert "core-training-inpatient-decide" in wards["voluntary"].set_aside

    def test_what_changes(self, examples: list[Options], kb: KnowledgeBase) -> None:
        """'If you chose this' counts the file's own warnings and recommendations that would no longer
        come up and the new ones; nothing for the file's own arrangement."""
        for options in examples:
            own = next((o for o in options.options if o.current), None)
            for op in options.options:
                line = change_line(op)
                if op.current:
                    assert (op.no_longer, op.new) == ([], []) and "your file describes" in line
                    continue
                if own is not None:
                    mine = {f for f in own.findings if kb.rule(f).kind in ACTING}
                    here = {f for f in op.findings if kb.rule(f).kind in ACTING}
                    assert {b.id for b in op.no_longer} == mine - here and {b.id for b in op.new} == here - mine
                if op.no_longer:
                    assert f"{len(op.no_longer)} of your findings would no longer come up" in line
                    assert op.no_longer[0].title in line


class TestArrangementCopy:
    """Each arrangement changes only what it must."""

    def test_fields_that_do_not_apply_are_dropped(self) -> None:
        """partner only for a partnership; led_by only with a voluntary side; setting_detail only in place."""
        answers = load_answers(PLANNING)
        nhs = arrangement(answers, "nhs", "inpatient").context
        assert (nhs.employer, nhs.setting, nhs.partner, nhs.led_by, nhs.setting_detail) == \
            ("nhs", "inpatient", None, None, None)
        vol = arrangement(answers, "voluntary", "bme").context
        assert (vol.partner, vol.led_by) == (None, "professional")
        assert vol.setting_detail == answers.context.setting_detail
        assert arrangement(answers, "partnership", "community").context.partner == "voluntary"
        assert (answers.context.employer, answers.context.partner) == ("partnership", "voluntary")  # as read

    def test_partnership_defaults_to_voluntary_partner(self) -> None:
        """A file without a partner is evaluated as a partnership with a voluntary partner."""
        answers = load_answers(ROOT / "examples" / "nhs-inpatient-new.yaml")
        ctx = arrangement(answers, "partnership", "inpatient").context
        assert ctx.partner == "voluntary" and ctx.staffing_pressure is True


class TestStudyComparisons:
    """Comparisons Chapter 5 › Implications for health care makes between arrangements."""

    def test_boundaries_flagged_for_partnerships_not_voluntary(self, planning: Options,
                                                               kb: KnowledgeBase) -> None:
        """'Boundaries were least likely to be clearly managed in partnership contexts' (best: voluntary)."""
        for setting in ("inpatient", "community", "bme"):
            assert flagged(_option(planning, "partnership", setting), kb, "2.5")
            assert not flagged(_option(planning, "voluntary", setting), kb, "2.5")

    def test_line_management_flagged_for_partnerships_not_voluntary(self, planning: Options,
                                                                   kb: KnowledgeBase) -> None:
        """'Clear and consistent line management arrangements were least likely' in partnerships."""
        for setting in ("inpatient", "community", "bme"):
            assert flagged(_option(planning, "partnership", setting), kb, "5.2")
            assert not flagged(_option(planning, "voluntary", setting), kb, "5.2")

    def test_pay_parity_warned_in_community_settings(self, planning: Options, kb: KnowledgeBase) -> None:
        """'Parity of pay for peer workers was worse in community settings than elsewhere.'"""
        cites = SECTION + "Peer workers in community settings"
        for employer in ("nhs", "voluntary", "partnership"):
            assert flagged(_option(planning, employer, "community"), kb, "1.6", cites=cites)
            for setting in ("inpatient", "bme"):
                assert not flagged(_option(planning, employer, setting), kb, "1.6", cites=cites)

    def test_language_bridge_only_in_bme_settings(self, planning: Options, kb: KnowledgeBase) -> None:
        """In BME-specific services 'appropriate use of language could act as a bridge'."""
        cites = SECTION + "Peer workers in BME-specific services"
        for employer in ("nhs", "voluntary", "partnership"):
            assert flagged(_option(planning, employer, "bme"), kb, "3.4", ACTING, cites)
            assert not flagged(_option(planning, employer, "community"), kb, "3.4", ACTING, cites)

    def test_language_never_flagged_as_bme_outside_bme(self, planning: Options, kb: KnowledgeBase) -> None:
        """No arrangement outside a BME-specific setting gets the BME section's language findings."""
        cites = SECTION + "Peer workers in BME-specific services"
        for option in planning.options:
            if option.setting != "bme":
                assert not flagged(option, kb, "3.4", ACTING, cites)

    def test_crisis_skills_on_wards(self, planning: Options, kb: KnowledgeBase) -> None:
        """'The skills to manage crisis were seen as most important in inpatient settings.'"""
        for employer in ("nhs", "voluntary", "partnership"):
            assert flagged(_option(planning, employer, "inpatient"), kb, "2.8", ACTING)

    def test_crisis_remit_raised_for_nhs_and_partnerships_off_wards(self, planning: Options,
                                                                  kb: KnowledgeBase) -> None:
        """Crisis skills were 'less likely ... in NHS and partnership contexts', not voluntary ones."""
        cites = "Managing crisis"
        for setting in ("community", "bme"):
            for employer in ("nhs", "partnership"):
                assert flagged(_option(planning, employer, setting), kb, "2.8", KINDS, cites)
            assert not flagged(_option(planning, "voluntary", setting), kb, "2.8", KINDS, cites)

    def test_shared_understanding_raised_more_outside_wards(self, planning: Options,
                                                           kb: KnowledgeBase) -> None:
        """A community team should hear about shared understanding more than a ward does."""
        for employer in ("nhs", "voluntary", "partnership"):
            ward = set(flagged(_option(planning, employer, "inpatient"), kb, "2.1", KINDS))
            community = set(flagged(_option(planning, employer, "community"), kb, "2.1", KINDS))
            assert community - ward


class TestEvidence:
    """Each arrangement cites the study's sections and its own cases."""

    def test_cases_from_table_1(self, planning: Options) -> None:
        """Table 1 had no NHS or partnership BME case and no voluntary inpatient case."""
        studied = {(o.employer, o.setting): o.studied_cases for o in planning.options}
        assert studied == {("nhs", "inpatient"): 1, ("nhs", "community"): 2, ("nhs", "bme"): 0,
                           ("voluntary", "inpatient"): 0, ("voluntary", "community"): 2,
                           ("voluntary", "bme"): 2, ("partnership", "inpatient"): 2,
                           ("partnership", "community"): 2, ("partnership", "bme"): 0}

    @pytest.mark.skipif(not STUDY.exists(), reason="study text not available")
    def test_evidence_is_in_the_study(self, planning: Options) -> None:
        """Every locator is real and every Table 1 row is quoted verbatim."""
        study = Study.read(STUDY)
        for option in planning.options:
            for ev in option.evidence:
                assert study.locator_ok(ev.locator), ev.locator
                assert ev.excerpt is None or study.excerpt_ok(ev.excerpt), ev.excerpt


class TestRender:
    """Text, Markdown and HTML views."""

    def test_text(self) -> None:
        """The terminal view lists all nine, marks the file's own, and fits 80 columns."""
        result = runner.invoke(app, ["options", str(PLANNING)])
        assert result.exit_code == 0, result.stderr
        out = result.stdout
        assert "* Partnership (voluntary) · BME-specific" in out and "Would ask of you first:" in out
        assert all(len(line) <= 80 for line in out.splitlines())

    def test_counts_and_headings_are_explained(self) -> None:
        """Before the table: what a count means and that fewer is not better; before the blocks: what
        every heading used in them means; a cut list says where the rest is."""
        out = runner.invoke(app, ["options", str(ROOT / "examples" / "nhs-inpatient-new.yaml")]).stdout
        flat = " ".join(out.split())
        assert flat.index("Fewer is not better") < flat.index("Arrangement Warnings")
        for head, meaning in HEADINGS.values():
            assert f"{head}: {meaning}" in flat
            assert out.count(f"\n{head}:") >= 1  # used as a heading in the blocks
        for line in out.splitlines():
            if line.strip().startswith("… and"):
                assert "--format md, html or json lists them all" in line

    def test_markdown_and_html(self, tmp_path: Path) -> None:
        """Markdown and HTML render; HTML escapes the organisation."""
        text = PLANNING.read_text(encoding="utf-8").replace("Eastgate Partnership", "Eastgate <b>&</b>")
        path = tmp_path / "plan.yaml"
        path.write_text(text, encoding="utf-8")
        md = runner.invoke(app, ["options", str(path), "-f", "md"])
        assert md.exit_code == 0 and "| Partnership (voluntary) · BME-specific **(your file)** |" in md.stdout
        html = runner.invoke(app, ["options", str(path), "-f", "html"])
        assert html.exit_code == 0 and "Eastgate &lt;b&gt;&amp;&lt;/b&gt;" in html.stdout
        assert "<b>&</b>" not in html.stdout
