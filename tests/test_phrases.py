"""knowledge/phrases.yaml: the words for what the answers told the advice, in any stage and while planning."""

from __future__ import annotations

from pathlib import Path

from peeradvisor import vocab
from peeradvisor.answers import load_answers
from peeradvisor.core import advise
from peeradvisor.core.plain import context_clause
from peeradvisor.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]


def test_planning_words_replace_existing_ones(kb: KnowledgeBase) -> None:
    """Each planning clause is for a context answer that also has words in any stage (it replaces, never adds)."""
    assert kb.phrases is not None and kb.phrases.planning
    for field, words in kb.phrases.planning.items():
        assert field in vocab.CONTEXT_FIELDS, field
        assert set(words) <= set(kb.phrases.context[field]), field


def test_planning_services_are_told_what_is_planned(kb: KnowledgeBase) -> None:
    """Before any peer worker is in post, the advice does not say peer workers 'have' or 'are' something."""
    assert context_clause(kb, "supervision.one_to_one", "none", "planning") == \
        "no one-to-one supervision is planned for peer workers"
    assert context_clause(kb, "supervision.one_to_one", "none", "new") == "peer workers have no one-to-one supervision"
    assert context_clause(kb, "staffing_pressure", True, "planning") == "the team is often short-staffed"
    report = advise(load_answers(ROOT / "examples" / "partnership-bme-planning.yaml"), kb)
    said = [p.why for p in report.priorities] + [r for f in report.findings for r in f.reasons]
    assert any("is planned for peer workers" in s for s in said)
    assert not any(s.startswith(("peer workers have no", "Your answers show peer workers have")) for s in said), said
