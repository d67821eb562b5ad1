"""A plain Markdown report (the memo template grows from this)."""

from __future__ import annotations

from ..report import Report


def render(report: Report, **_: object) -> str:
    lines = [f"# Advice for {report.organisation}", "",
             f"Stage: {report.stage} · employer: {report.employer} · setting: {report.setting}", ""]
    for f in report.findings:
        lines += [f"## {f.rank}. {f.title} ({f.kind})", "", f.advice, ""]
        if f.because:
            lines += ["Why:", *[f"- {b}" for b in f.because], ""]
        lines += ["Evidence:", *[f"- {e.locator}" + (f" — “{e.excerpt}”" if e.excerpt else "")
                                 for e in f.evidence], ""]
    return "\n".join(lines)
