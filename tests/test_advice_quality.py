"""The advice as a whole: a healthy service hears little alarm, a struggling one hears its worst first."""

from __future__ import annotations

from pathlib import Path

from peeradvisor.answers import load_answers
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_healthy_established_service_gets_few_warnings(kb: KnowledgeBase) -> None:
    """A well-established peer-led service gets few warnings and more strengths than warnings."""
    report = advise(load_answers(EXAMPLES / "voluntary-peer-led-community.yaml"), kb)
    counts = report.counts()
    assert counts["warning"] <= 4
    assert counts["strength"] > counts["warning"]
    assert not [d for d in report.derived if d.startswith("barrier.")]


def test_struggling_service_gets_its_barriers_first(kb: KnowledgeBase) -> None:
    """A struggling new NHS ward gets warnings at the top, built on the study's barriers."""
    report = advise(load_answers(EXAMPLES / "nhs-inpatient-new.yaml"), kb)
    top = report.findings[:5]
    assert all(f.kind == "warning" or any(c.startswith("barrier.") for c in f.chain) for f in top)
    assert all(f.kind == "warning" for f in top[:3])
    assert {"barrier.shared_understanding_lacking", "barrier.role_support_lacking",
            "barrier.role_reshaped_to_structures"} <= set(report.derived)
    strengths = [f.rank for f in report.findings if f.kind == "strength"]
    assert strengths and min(strengths) > len(report.findings) // 2


def test_planning_service_gets_guidance_not_inventory_warnings(kb: KnowledgeBase) -> None:
    """A service still planning gets recommendations and caveats from its context, not practice warnings."""
    report = advise(load_answers(EXAMPLES / "partnership-bme-planning.yaml"), kb)
    counts = report.counts()
    assert counts["recommendation"] > counts["warning"]
    assert all("planning" in kb.rule(f.id).stages for f in report.findings)
