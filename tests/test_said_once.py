"""A report gives each concrete piece of advice once.

Where two findings make the same point, the knowledge base either lets the more specific one replace the
general one (`supersedes`) or gives each finding its own part of the advice (docs/knowledge-review.md,
"Cross-file fixes"). Cases in tests/cases/review_cross.yaml pin the replacements by finding id; this test
pins the wording-only fixes, which no case can see: a few phrases that carry one step of advice each are
found in at most one finding of any report, across every example, scenario and case.
"""

from __future__ import annotations

import re

import pytest
from conftest import every_subject

from peeradvisor.answers import Answers
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase

# One step of advice each: the words that carry it, and what it is.
SAID_ONCE = {
    "manager-not-clinician": (r"clinician", "support an unwell peer worker as a manager, not as a clinician"),
    "peer-support-time": (r"meet and support (one another|each other)", "protected time for peer workers to meet"),
    "hard-day-swap": (r"less intense|hard day", "let a peer worker take a less intense task on a hard day"),
    "own-boundaries": (r"borrow|clinical boundaries", "peer workers set their own boundaries, not clinical ones"),
    "openness-inside": (r"openness on mental health|be open about mental health",
                        "be open about mental health inside the organisation"),
    "say-why-posts": (r"say why|say so openly", "say openly why peer posts replace existing ones"),
    "strategy-link": (r"fits the organisation's strategy|link into strategy",
                      "show how peer work fits the organisation's strategy"),
    "benefits-story": (r"hard to pay volunteer", "the partnership that found benefits made paying volunteers hard"),
    "keep-through-changes": (r"managers? change|changes of manager",
                             "keep peer workers' support going when managers change"),
    "prepare-host-team": (r"team that will host|staff who will work alongside|help shape the role",
                          "prepare the team that will work with the peer worker"),
}


SUBJECTS = every_subject()


def saying(findings: list[tuple[str, str]], pattern: str) -> list[str]:
    """The ids of the findings whose advice carries PATTERN."""
    return [fid for fid, advice in findings if re.search(pattern, advice, re.IGNORECASE)]


@pytest.mark.parametrize("answers", [pytest.param(a, id=n) for n, a in SUBJECTS])
def test_each_step_said_once(answers: Answers, kb: KnowledgeBase) -> None:
    """No two findings in one report give the same concrete step of advice."""
    findings = [(f.id, f.advice) for f in advise(answers, kb).findings]
    repeated = {label: ids for label, (pattern, _) in SAID_ONCE.items()
                if len(ids := saying(findings, pattern)) > 1}
    assert repeated == {}


def test_the_check_catches_a_repeat() -> None:
    """The check itself works: two findings carrying one step are both found."""
    findings = [("a", "Do it as their manager, not as their clinician."),
                ("b", "Prepare managers to manage rather than act as the clinician."),
                ("c", "Agree regular one-to-one time.")]
    assert saying(findings, SAID_ONCE["manager-not-clinician"][0]) == ["a", "b"]
