"""A whole trace as JSON (`advise FILE --step --format json`): answers, facts, every firing, the findings.

A consultant attaches it to a memo; a trainer keeps it beside a session. Every firing is there, the
repeats and the findings a more specific one replaced included, each with the step it is shown at in
the folded view (`shown_as`).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from peeradvisor.analysis.steps import fact_label, step_data
from peeradvisor.analysis.trace import Trace
from peeradvisor.core.describe import describe_fact
from peeradvisor.engine.facts import Fact, facts_of
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.render.whatif import whatif_data

FACT_TYPE = {"ContextFact": "context", "MeasureFact": "measure", "ItemFact": "item",
             "GroupAnswerFact": "group_answer", "DivergentFact": "divergent", "DerivedFact": "derived"}


def fact_data(fact: Fact, trace: Trace) -> dict[str, Any]:
    return {"type": FACT_TYPE[type(fact).__name__], **dataclasses.asdict(fact),
            "text": describe_fact(fact, trace.facts)}


def trace_data(trace: Trace, kb: KnowledgeBase, scenario: str | None = None) -> dict[str, Any]:
    """`peeradvisor/steps@1`: the whole reasoning of one assessment as plain data."""
    shown_as = {s.number: v.number for v in trace.view() for s in (v.step, *v.also)}
    replaced = {old: f.id for f in trace.report.findings for old in f.replaces}
    ranks = {f.id: f.rank for f in trace.report.findings}
    steps = []
    for step in trace.steps:
        row = step_data(step)
        row["shown_as"] = shown_as[step.number]
        if step.concluded:
            row["concluded_label"] = fact_label(step.concluded, kb)
        else:
            row["in_report"] = ranks.get(step.rule_id)
            row["replaced_by"] = replaced.get(step.rule_id)
        steps.append(row)
    data: dict[str, Any] = {"format": "peeradvisor/steps@1", "source": trace.source}
    if scenario:
        data["scenario"] = scenario
    data["changes"] = [{"path": c.path, "value": c.raw} for c in trace.changes]
    data["answers"] = trace.data
    data["facts"] = [fact_data(f, trace) for f in facts_of(trace.facts)]
    data["steps"] = steps
    data["findings"] = [{"id": f.id, "rank": f.rank, "kind": f.kind, "title": f.title, "replaces": f.replaces}
                        for f in trace.report.findings]
    data["derived"] = list(trace.report.derived)
    comparison = trace.comparison()
    if comparison is not None:
        data["whatif"] = {k: v for k, v in whatif_data(comparison).items() if k not in ("format", "report")}
    return data


def render(trace: Trace, kb: KnowledgeBase, scenario: str | None = None) -> str:
    return json.dumps(trace_data(trace, kb, scenario), indent=2, ensure_ascii=False, default=str) + "\n"
