"""The contract's JSON report."""

from __future__ import annotations

import json

from ..report import Report


def render(report: Report, **_: object) -> str:
    return json.dumps(report.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False) + "\n"
