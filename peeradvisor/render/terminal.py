"""The advice on a terminal: what to do first (the priorities, who and when), the main points, what to ask
next; every finding in full with `--all`. Plain words by default; `--detail` adds rule ids and scores."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from rich.console import Console
from rich.text import Text

from peeradvisor import safe_text

from ..console import HEADING, KIND_LABEL, KIND_STYLE, MUTED
from ..kb.loader import KnowledgeBase
from ..report import Finding, Report
from .effects import question_effects
from .memo.words import OWNER_WORDS, SUPPORT_WORDS, when_words

STAGE_WORDS = {"planning": "planning peer worker roles", "new": "peer workers recently started",
               "established": "peer workers in post for some time"}
EMPLOYER_WORDS = {"nhs": "NHS trust", "voluntary": "voluntary sector", "partnership": "partnership"}
SETTING_WORDS = {"inpatient": "wards", "community": "community", "bme": "BME-specific service",
                 "other": "other setting"}
MAX_POINTS = 8
MAX_QUESTIONS = 5


def _print(console: Console, text: Text | str, indent: int = 0, style: str = "", first: str = "") -> None:
    """Print wrapped to the terminal, every line indented (a hanging block, never back at column 0), with no
    trailing spaces. FIRST replaces the indent on the first line (a number, say)."""
    body = text if isinstance(text, Text) else Text(text, style=style)
    width = max(20, (console.width or 80) - indent)
    for n, line in enumerate(body.wrap(console, width)):
        line.rstrip()
        lead = Text(first.rjust(indent) if n == 0 and first else " " * indent, style=style)
        console.print(lead + line, soft_wrap=True)


def _numbered(console: Console, number: int, text: Text | str, style: str = "") -> None:
    """`12. text` with the text's later lines under its first word, not under the number."""
    _print(console, text, 4, style, first=f"{number:>2}. ")


def show(report: Report, console: Console, *, kb: KnowledgeBase | None = None, full: bool = False,
         detail: bool = False, more: str | None = None,
         preface: Callable[[Console], None] | None = None) -> None:
    """The results screen: Start here, the main points, what to ask next; with FULL every finding too.
    MORE replaces the closing line that says how to see every finding (`advise --all`); PREFACE prints what
    comes between the header and Start here (the comparison with an earlier assessment)."""
    _header(report, console)
    if preface is not None:
        preface(console)
    _priorities(report, console, detail)
    _points(report, console, kb, detail, more is None)
    _questions(report, console, kb)
    if full:
        console.print()
        console.print(Text("Every finding in full", style=HEADING))
        for finding in report.findings:
            console.print()
            show_finding(finding, console, detail=detail)
    else:
        console.print()
        closing = more if more is not None else (f"{len(report.findings)} findings in all: add --all to see each "
                                                 "in full, with its evidence, or --format html for a memo.")
        _print(console, closing, 0, MUTED)


def _header(report: Report, console: Console) -> None:
    console.print(Text(f"peeradvisor — {safe_text.terminal(report.organisation, one_line=True)}", style=HEADING))
    people = f"{report.respondents} {'person' if report.respondents == 1 else 'people'} answered"
    console.print(Text(f"{STAGE_WORDS[report.stage]} · {EMPLOYER_WORDS.get(report.employer, report.employer)} · "
                       f"{SETTING_WORDS.get(report.setting, report.setting)} · {people}", style=MUTED))


def _priorities(report: Report, console: Console, detail: bool) -> None:
    console.print()
    console.print(Text("Start here", style=HEADING))
    if not report.priorities:
        console.print("  Nothing calls for action first: the answers raise no warning or recommendation.")
    for p in report.priorities:
        _numbered(console, p.rank, p.action, HEADING)
        _print(console, f"Why: {p.why}", 4)
        extra = f" · findings: {', '.join(p.findings)}" if detail else ""
        _print(console, f"Who: {OWNER_WORDS.get(p.owner, p.owner)} · When: {when_words(p.when, report.stage)}{extra}",
               4, MUTED)


def _groups(report: Report) -> OrderedDict[str, list[Finding]]:
    groups: OrderedDict[str, list[Finding]] = OrderedDict((p.point, []) for p in report.priorities)
    for finding in report.findings:
        if finding.kind in ("warning", "recommendation"):
            groups.setdefault(finding.point or finding.id, []).append(finding)
    return OrderedDict((k, v) for k, v in groups.items() if v)


def main_points(report: Report) -> list[list[Finding]]:
    """The findings of each main point shown on the results screen, in its numbering."""
    return list(_groups(report).values())[:MAX_POINTS]


def _points(report: Report, console: Console, kb: KnowledgeBase | None, detail: bool, options: bool) -> None:
    groups = _groups(report)
    if not groups:
        return
    console.print()
    console.print(Text("Main points", style=HEADING))
    for n, (point_id, group) in enumerate(list(groups.items())[:MAX_POINTS], start=1):
        point = kb.points.get(point_id) if kb is not None else None
        lead = group[0]
        _numbered(console, n, point.title if point else lead.title)
        label = Text(f"{KIND_LABEL[lead.kind]} ", style=KIND_STYLE[lead.kind])
        label.append(lead.title if point else "", style="")
        if detail:
            label.append(f"  [{lead.id} · {lead.score:.2f}]", style=MUTED)
        _print(console, label, 4)
        if len(group) > 1:
            _print(console, f"and {len(group) - 1} related finding(s)", 4, MUTED)
    more = len(groups) - MAX_POINTS
    strengths = [f.title for f in report.findings if f.kind == "strength"]
    if more > 0:
        _print(console, f"… {more} more point(s)" + (": add --all" if options else " among the findings"), 4, MUTED)
    if strengths:
        _print(console, "Already working: " + "; ".join(strengths), 0, MUTED)


def _questions(report: Report, console: Console, kb: KnowledgeBase | None) -> None:
    if not report.next_questions:
        return
    console.print()
    console.print(Text("What to ask next", style=HEADING))
    for q in report.next_questions[:MAX_QUESTIONS]:
        _print(console, q.question, 2, first="- ")
        for line in question_effects(q, report, kb):
            _print(console, line, 4, MUTED)


def show_finding(finding: Finding, console: Console, *, detail: bool = False) -> None:
    """One finding in full: what it is, what to do, why (in plain words), and where the study says so."""
    label = Text(f"{KIND_LABEL[finding.kind]} ", style=KIND_STYLE[finding.kind])
    label.append(finding.title, style=HEADING)
    _numbered(console, finding.rank, label)
    meta = SUPPORT_WORDS[finding.support.level]
    if detail:
        meta = f"{finding.id} · score {finding.score:.2f} · themes: {', '.join(finding.themes)} · {meta}"
    _print(console, meta, 4, MUTED)
    _print(console, finding.advice, 4)
    reasons = finding.because if detail else finding.reasons
    if reasons:
        _print(console, "Because:", 4, HEADING)
        for reason in reasons:
            _print(console, f"- {reason}", 6)
    shown: set[str] = set()
    for ev in finding.evidence:
        if ev.locator not in shown:  # the same passage cited twice is shown once
            _print(console, f"Study: {ev.locator}", 4, MUTED)
            shown.add(ev.locator)
        if ev.excerpt:
            _print(console, f"“{ev.excerpt}”", 6, MUTED)
