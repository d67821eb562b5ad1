"""The contract's JSON report."""

from __future__ import annotations

from peeradvisor import safe_text

from ..report import Report


def render(report: Report, **_: object) -> str:
    return safe_text.json_dumps(report.model_dump(mode="json", exclude_none=True), indent=2) + "\n"
