"""Titles and advice are written in our own words: no long verbatim runs copied from the study."""

from __future__ import annotations

import re

import pytest
from conftest import STUDY

from peeradvisor.kb import KnowledgeBase
from peeradvisor.kb.evidence_check import norm

RUN = 10  # words in a row that would make a sentence a quotation rather than our own words


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", norm(text))
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.skipif(not STUDY.exists(), reason="study text not available")
def test_advice_is_not_copied_from_the_study(kb: KnowledgeBase) -> None:
    """No rule's title or advice repeats ten or more consecutive words of the report."""
    study = _shingles(STUDY.read_text(encoding="utf-8"))
    copied = {rule.id: " ".join(next(iter(_shingles(rule.title + " " + rule.advice) & study)))
              for rule in kb.rules if _shingles(rule.title + " " + rule.advice) & study}
    assert not copied, copied
