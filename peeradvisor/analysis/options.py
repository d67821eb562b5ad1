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
is dropped when the setting differs from the file's own. Every other answer is kept as given.

Per arrangement it reports how many warnings and recommendations fire; the top findings (warnings
and recommendations in rank order; strengths and caveats are counted apart); what the arrangement
would demand (its top three recommendations, those particular to it first); the findings *particular*
to it (firing in at most three of the nine, so tied to that employer or that setting); and the study's
evidence: the Chapter 5 sections on that employer and that setting, and the rows of Table 1 (Key case
characteristics) showing how many of the study's cases had the arrangement. Where none did, the
advice is carried over from other arrangements.
"""

from __future__ import annotations

from collections import Counter
from typing import Final, Literal

from peeradvisor import vocab
from peeradvisor.answers import Answers
from peeradvisor.core import advise, engine_for
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.report import EvidenceOut, Out, Report

FORMAT: Final = "peeradvisor/options@1"
TOP = 5
DEMANDS = 3
PARTICULAR_MAX = 3  # a finding in at most this many of the nine arrangements is particular to where it fires
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
    particular: list[Brief]  # warnings and recommendations that fire in few of the nine arrangements
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
    update = {"employer": employer, "setting": setting, "partner": partner,
              "led_by": ctx.led_by if voluntary_side else None,
              "setting_detail": ctx.setting_detail if setting == ctx.setting else None}
    return answers.model_copy(update={"context": ctx.model_copy(update=update)})


def _briefs(report: Report, kinds: tuple[str, ...], limit: int | None = None) -> list[Brief]:
    chosen = [f for f in report.findings if f.kind in kinds]
    return [Brief(id=f.id, kind=f.kind, rank=f.rank, title=f.title) for f in chosen[:limit]]


def _demands(report: Report, seen: Counter[str]) -> list[Brief]:
    """The top recommendations, those particular to this arrangement first (each group in rank order)."""
    recs = _briefs(report, ("recommendation",))
    ordered = sorted(recs, key=lambda b: (seen[b.id] > PARTICULAR_MAX, b.rank))
    return ordered[:DEMANDS]


def _evidence(employer: str, setting: str) -> tuple[int, list[EvidenceOut]]:
    rows = [text for emp, settings, text in CASES if emp == employer and setting in settings]
    evidence = [EvidenceOut(locator=SECTIONS[employer]), EvidenceOut(locator=SECTIONS[setting])]
    evidence += [EvidenceOut(locator="Table 1", excerpt=row) for row in rows]
    return len(rows), evidence


def _option(answers: Answers, report: Report, employer: str, setting: str, seen: Counter[str]) -> Option:
    counts = report.counts()
    ctx = answers.context
    studied, evidence = _evidence(employer, setting)
    acting = ("warning", "recommendation")
    return Option(
        employer=employer, setting=setting, partner=arrangement(answers, employer, setting).context.partner,
        current=(ctx.employer, ctx.setting) == (employer, setting),
        warnings=counts["warning"], recommendations=counts["recommendation"], strengths=counts["strength"],
        caveats=counts["caveat"], top=[b.id for b in _briefs(report, acting, TOP)],
        findings=[f.id for f in report.findings],
        top_findings=_briefs(report, acting, TOP), demands=_demands(report, seen),
        particular=[b for b in _briefs(report, acting) if seen[b.id] <= PARTICULAR_MAX],
        studied_cases=studied, evidence=evidence)


def _notes(answers: Answers) -> list[str]:
    notes = []
    if answers.context.setting not in vocab.STUDY_SETTINGS:
        notes.append(f"The file's setting is '{answers.context.setting}', which the study did not compare; "
                     "none of the nine is marked as your current arrangement.")
    if answers.responses:
        notes.append("Every arrangement is judged on the same inventory answers, given under the current "
                     "one; answers about pay, line management or policies may differ under another employer.")
    notes.append("An arrangement with no case in the study (Table 1) carries advice over from other cases.")
    return notes


def build_options(answers: Answers, kb: KnowledgeBase) -> Options:
    """Advise on ANSWERS under each of the nine employer × setting arrangements, side by side.

    Pure; the engine is compiled once (`core.engine_for`) and reused for all nine runs. Options come in a
    fixed order: NHS, voluntary, partnership, each with inpatient, community, BME-specific.
    """
    engine_for(kb)  # compile once, before the nine runs that reuse it
    pairs = [(e, s) for e in vocab.EMPLOYERS for s in vocab.STUDY_SETTINGS]
    reports = {pair: advise(arrangement(answers, *pair), kb, questions=False) for pair in pairs}
    seen: Counter[str] = Counter(f.id for r in reports.values() for f in r.findings)
    options = [_option(answers, reports[pair], *pair, seen) for pair in pairs]
    return Options(organisation=answers.organisation, stage=answers.stage, employer=answers.context.employer,
                   setting=answers.context.setting, options=options, notes=_notes(answers))
