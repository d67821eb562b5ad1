"""A what-if comparison as text (80 columns), Markdown or JSON."""

from __future__ import annotations

import textwrap
from typing import Any

from peeradvisor import safe_text
from peeradvisor.analysis.whatif import WhatIf, show_value


def whatif_data(result: WhatIf) -> dict[str, Any]:
    """The comparison as plain data (`--format json`); `report` is the report for the changed answers."""
    def rows(items: tuple[tuple[str, str, str, int], ...]) -> list[dict[str, Any]]:
        return [{"id": i, "kind": k, "title": t, "rank": r} for i, k, t, r in items]

    return {
        "format": "peeradvisor/whatif@1",
        "changes": [{"path": c.path, "value": c.raw or show_value(c.value)} for c in result.changes],
        "disappeared": rows(result.disappeared), "appeared": rows(result.appeared),
        "moved": [{"id": m.id, "title": m.title, "from": m.before, "to": m.after} for m in result.moved],
        "unchanged": result.unchanged,
        "derived": {"lost": list(result.derived_lost), "gained": list(result.derived_gained)},
        "report": result.report.model_dump(mode="json", exclude_none=True),
    }


def _lines(result: WhatIf, bullet: str, head: str) -> list[str]:
    out = [f"{head}What if " + "; ".join(f"{c.path} = {c.raw or show_value(c.value)}" for c in result.changes)]
    if not result.changed:
        return [*out, "", "Nothing changes: the same findings, in the same order."]
    sections = [
        ("Disappear", [f"{i} ({k}, was #{r}): {t}" for i, k, t, r in result.disappeared]),
        ("Appear", [f"{i} ({k}, now #{r}): {t}" for i, k, t, r in result.appeared]),
        ("Move", [f"{m.id}: #{m.before} -> #{m.after} ({'up' if m.after < m.before else 'down'})"
                  for m in result.moved]),
        ("No longer concluded", list(result.derived_lost)),
        ("Now concluded", list(result.derived_gained)),
    ]
    for title, items in sections:
        if items:
            out += ["", f"{title} ({len(items)}):", *[f"{bullet}{x}" for x in items]]
    out += ["", f"Unchanged: {result.unchanged} finding(s) keep their place."]
    return out


def render(result: WhatIf, fmt: str = "text", width: int = 80) -> str:
    """The comparison as text (wrapped to WIDTH), Markdown or JSON."""
    if fmt == "json":
        return safe_text.json_dumps(whatif_data(result), indent=2, default=str) + "\n"
    if fmt == "md":
        return "\n".join(_lines(result, "- ", "## ")) + "\n"
    wrapped = []
    for line in _lines(result, "  - ", ""):
        indent = "      " if line.startswith("  - ") else "  "
        wrapped.extend(textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""])
    return "\n".join(wrapped) + "\n"
