"""The role mapping tool, made computable: the same answers under each of the nine arrangements.

Pure: answers and the knowledge base in, `Options` out. The study planned a *role mapping tool* to help
"mental health NHS trusts, their voluntary sector and social care partners, and commissioners" decide
where to develop peer worker roles (Chapter 5 › Organisational learning tools): decisions about "the most
appropriate organisational arrangements for employing peer workers – in the NHS, voluntary sector or in
partnership arrangements" and which "service delivery settings will be prioritised".

`build_options` runs the advisor (`core.advise`, on one engine built once by `core.engine_for`) over a
copy of the answers for each employer (nhs, voluntary, partnership) × setting (inpatient, community,
bme). Each copy changes only the arrangement: `partner` is kept (or set to voluntary) for a partnership
and dropped otherwise; `led_by` is dropped unless the employer or partner is voluntary; `setting_detail`
is dropped when the setting differs from the file's own; an Agenda for Change pay framework (the NHS's
own) is dropped when the employer is not the NHS and not the file's own. Every other answer is kept.

Only advice that applies to the arrangement is shown: under a voluntary sector employer, a finding
whose title is about the NHS (its training, its pay system) is set aside unless its rule itself tests
the employer (such rules were written for the employers they name). Set-aside findings are listed by
id, never counted.

Per arrangement it reports how many warnings and recommendations fire; the top findings (warnings
and recommendations in rank order; strengths and caveats are counted apart); what the arrangement
would ask of you first (its top three recommendations, those particular to it first); the other
findings *particular* to it (firing in at most three of the nine, so tied to that employer or that
setting; none repeats one it would ask first); what changes against the file's own advice (findings
that would no longer come up, and new ones); and the study's evidence: the Chapter 5 sections on that
employer and that setting, and the rows of Table 1 (Key case characteristics) showing how many of the
study's cases had the arrangement. Where none did, the advice is carried over from other arrangements.

A count is not a score: fewer warnings does not make an arrangement better. It reflects what the study
had to say about that kind of service and which of the file's answers its rules test.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final, Literal

from peeradvisor import vocab
from peeradvisor.answers import Answers
from peeradvisor.core import advise, engine_for
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.kb.models import Rule
from peeradvisor.report import EvidenceOut, Out, Report

FORMAT: Final = "peeradvisor/options@1"
TOP = 5
DEMANDS = 3
PARTICULAR_MAX = 3  # a finding in at most this many of the nine arrangements is particular to where it fires
ACTING = ("warning", "recommendation")
NHS_ONLY = re.compile(r"\bNHS\b|Agenda for Change")  # in a title: advice about the NHS's own structures
EMPLOYER_TITLES = {"nhs": "NHS", "voluntary": "Voluntary sector", "partnership": "Partnership"}
SETTING_TITLES = {"inpatient": "inpatient", "community": "community", "bme": "BME-specific"}
_SECTION = "Chapter 5 › Implications for health care › "
SECTIONS = {
    "nhs": _SECTION + "Peer workers in the NHS",
    "voluntary": _SECTION + "Peer workers in the voluntary sector",
    "partnership": _SECTION + "Peer workers in organisational partnerships",
    "inpatient": _SECTION + "Peer workers in inpatient settings",
    "community": _SECTION + "Peer workers in community settings",
    "bme": _SECTION + "Peer workers in BME-specific services",
}
# Table 1 (Key case characteristics), row by row as printed, with the arrangements each row had.
CASES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("nhs", ("community",), "NHS Community Urban/rural Paid New"),
    ("nhs", ("inpatient",), "NHS Inpatient Urban/rural Paid Established"),
    ("nhs", ("community",), "NHS Community Inner city Paid New"),
    ("partnership", ("inpatient", "community"),
     "Partnership (NHS/voluntary) Inpatient/community Suburban Paid Established"),
    ("partnership", ("community",),
     "Partnership (NHS/social services) Community Urban/rural Volunteer Established"),
    ("partnership", ("inpatient",), "Partnership (NHS/voluntary) Inpatient Urban/rural Paid Established"),
    ("voluntary", ("community",), "Voluntary Community (crisis) Suburban Volunteer/paid Established"),
    ("voluntary", ("community",), "Voluntary Community (arts) Inner city Volunteer/paid New"),
    ("voluntary", ("bme",), "Voluntary BME (community) Inner city Paid Established"),
    ("voluntary", ("bme",), "Voluntary BME (community) Suburban Volunteer Established"),
)


class Brief(Out):
    """A finding in one line."""

    id: str
    kind: str
    rank: int
    title: str


class Option(Out):
    employer: str
    setting: str
    partner: str | None
    current: bool  # the arrangement the answers file itself describes
    warnings: int
    recommendations: int
    strengths: int
    caveats: int
    top: list[str]  # ids of the top warnings and recommendations, in rank order
    findings: list[str]  # ids of every finding, in rank order
    top_findings: list[Brief]
    demands: list[Brief]  # top recommendations, particular ones first: what this arrangement would ask of you
    particular: list[Brief]  # other warnings and recommendations that fire in few of the nine arrangements
    no_longer: list[Brief]  # the file's own warnings and recommendations that would not come up here
    new: list[Brief]  # warnings and recommendations that come up here but not for the file as it is
    set_aside: list[str]  # findings about the NHS's own structures, not shown under a voluntary employer
    studied_cases: int  # rows of Table 1 with this employer and setting
    evidence: list[EvidenceOut]


class Options(Out):
    format: Literal["peeradvisor/options@1"] = FORMAT
    organisation: str
    stage: str
    employer: str
    setting: str
    options: list[Option]
    notes: list[str]


def arrangement(answers: Answers, employer: str, setting: str) -> Answers:
    """A copy of ANSWERS with the employer and setting changed and the fields that no longer apply dropped."""
    ctx = answers.context
    partner = (ctx.partner or "voluntary") if employer == "partnership" else None
    voluntary_side = employer == "voluntary" or partner == "voluntary"
    nhs_pay = ctx.pay_framework == "agenda_for_change" and employer not in ("nhs", ctx.employer)
    update = {"employer": employer, "setting": setting, "partner": partner,
              "led_by": ctx.led_by if voluntary_side else None,
              "setting_detail": ctx.setting_detail if setting == ctx.setting else None,
              "pay_framework": None if nhs_pay else ctx.pay_framework}
    return answers.model_copy(update={"context": ctx.model_copy(update=update)})


def applies(rule: Rule, employer: str) -> bool:
    """Whether a finding's advice applies under EMPLOYER: not one about the NHS's own structures (its
    training, its pay system) for a voluntary sector employer, unless the rule tests the employer itself."""
    if employer != "voluntary" or not NHS_ONLY.search(rule.title):
        return True
    return any(getattr(c, "context", None) == "employer" for c in rule.conditions())


def _briefs(report: Report, kinds: tuple[str, ...], limit: int | None = None,
            keep: frozenset[str] | None = None) -> list[Brief]:
    chosen = [f for f in report.findings if f.kind in kinds and (keep is None or f.id in keep)]
    return [Brief(id=f.id, kind=f.kind, rank=f.rank, title=f.title) for f in chosen[:limit]]


def _evidence(employer: str, setting: str) -> tuple[int, list[EvidenceOut]]:
    rows = [text for emp, settings, text in CASES if emp == employer and setting in settings]
    evidence = [EvidenceOut(locator=SECTIONS[employer]), EvidenceOut(locator=SECTIONS[setting])]
    evidence += [EvidenceOut(locator="Table 1", excerpt=row) for row in rows]
    return len(rows), evidence


def _option(answers: Answers, report: Report, pair: tuple[str, str], seen: Counter[str], own: Report,
            kb: KnowledgeBase) -> Option:
    employer, setting = pair
    keep = frozenset(f.id for f in report.findings if applies(kb.rule(f.id), employer))
    counts = Counter(f.kind for f in report.findings if f.id in keep)
    ctx = answers.context
    studied, evidence = _evidence(employer, setting)
    acting = _briefs(report, ACTING, keep=keep)
    recs = [b for b in acting if b.kind == "recommendation"]
    demands = sorted(recs, key=lambda b: (seen[b.id] > PARTICULAR_MAX, b.rank))[:DEMANDS]
    asked = {b.id for b in demands}
    here, before = {b.id for b in acting}, {f.id for f in own.findings if f.kind in ACTING}
    return Option(
        employer=employer, setting=setting, partner=arrangement(answers, employer, setting).context.partner,
        current=(ctx.employer, ctx.setting) == pair,
        warnings=counts["warning"], recommendations=counts["recommendation"], strengths=counts["strength"],
        caveats=counts["caveat"], top=[b.id for b in acting[:TOP]],
        findings=[f.id for f in report.findings if f.id in keep],
        top_findings=acting[:TOP], demands=demands,
        particular=[b for b in acting if seen[b.id] <= PARTICULAR_MAX and b.id not in asked],
        no_longer=[b for b in _briefs(own, ACTING) if b.id not in here],
        new=[b for b in acting if b.id not in before],
        set_aside=[f.id for f in report.findings if f.id not in keep],
        studied_cases=studied, evidence=evidence)


def _notes(answers: Answers) -> list[str]:
    notes = []
    if answers.context.setting not in vocab.STUDY_SETTINGS:
        notes.append(f"The file's setting is '{answers.context.setting}', which the study did not compare; "
                     "none of the nine is marked as your current arrangement.")
    if answers.responses:
        notes.append("Every arrangement is judged on the same inventory answers, given under the current "
                     "one; answers about pay, line management or policies may differ under another employer.")
    if answers.context.pay_framework == "agenda_for_change":
        notes.append("Agenda for Change is the NHS's pay system: it is left out for other employers.")
    notes.append("An arrangement with no case in the study (Table 1) carries advice over from other cases.")
    return notes


def build_options(answers: Answers, kb: KnowledgeBase) -> Options:
    """Advise on ANSWERS under each of the nine employer × setting arrangements, side by side.

    Pure; the engine is compiled once (`core.engine_for`) and reused for all nine runs (and one more for
    the file as it is, to say what changes). Options come in a fixed order: NHS, voluntary, partnership,
    each with inpatient, community, BME-specific.
    """
    engine_for(kb)  # compile once, before the runs that reuse it
    pairs = [(e, s) for e in vocab.EMPLOYERS for s in vocab.STUDY_SETTINGS]
    reports = {pair: advise(arrangement(answers, *pair), kb, questions=False) for pair in pairs}
    own = advise(answers, kb, questions=False)
    seen: Counter[str] = Counter(f.id for r in reports.values() for f in r.findings)
    options = [_option(answers, reports[pair], pair, seen, own, kb) for pair in pairs]
    return Options(organisation=answers.organisation, stage=answers.stage, employer=answers.context.employer,
                   setting=answers.context.setting, options=options, notes=_notes(answers))
