"""The report on a terminal: ranked findings, each with why and where in the study."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from peeradvisor import safe_text

from ..console import HEADING, KIND_LABEL, KIND_STYLE, MUTED
from ..report import Finding, Report


def show(report: Report, console: Console, *, why: bool = True, limit: int | None = None) -> None:
    counts = report.counts()
    console.print(Text(f"peeradvisor — {safe_text.terminal(report.organisation, one_line=True)}", style=HEADING))
    console.print(Text(f"{report.stage} · {report.employer} · {report.setting} · "
                       f"{report.respondents} respondent(s)", style=MUTED))
    console.print(f"{counts['warning']} warning(s), {counts['recommendation']} recommendation(s), "
                  f"{counts['strength']} strength(s), {counts['caveat']} caveat(s)")
    findings = report.findings if limit is None else report.findings[:limit]
    for finding in findings:
        console.print()
        show_finding(finding, console, why=why)
    if limit is not None and len(report.findings) > limit:
        console.print(Text(f"\n… {len(report.findings) - limit} more; use --all to see them", style=MUTED))


def show_finding(finding: Finding, console: Console, *, why: bool = True) -> None:
    label = Text(f"{finding.rank:>2}. {KIND_LABEL[finding.kind]} ", style=KIND_STYLE[finding.kind])
    label.append(finding.title, style=HEADING)
    console.print(label)
    console.print(Text(f"    {finding.id} · score {finding.score:.2f} · themes: {', '.join(finding.themes)}",
                       style=MUTED))
    console.print(Text(finding.advice), soft_wrap=False, overflow="fold")
    if finding.items:
        items = ", ".join(f"{i.id} ({i.direction.replace('_', ' ')})" for i in finding.items)
        console.print(Text(f"    Items: {items}", style=MUTED))
    if why and finding.because:
        console.print(Text("    Why:", style=HEADING))
        for reason in finding.because:
            console.print(f"      - {escape(reason)}")
    for ev in finding.evidence:
        console.print(Text(f"    Study: {ev.locator}", style=MUTED))
        if ev.excerpt and why:
            console.print(Text(f"      “{ev.excerpt}”", style=MUTED))
