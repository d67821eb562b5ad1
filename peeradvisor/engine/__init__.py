"""The inference engine behind one boundary: typed facts in, firings out.

Only `experta_engine.py` knows experta; another engine (CLIPS through clipspy, say) would be one more module
offering `RuleEngine`. `engine_for(kb)` gives the compiled engine of a knowledge base, built once per process;
every run on it has its own working memory.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

from .base import Firing, RuleEngine
from .facts import (
    ContextFact,
    DerivedFact,
    DivergentFact,
    Fact,
    GroupAnswerFact,
    ItemFact,
    MeasureFact,
    facts_of,
)

if TYPE_CHECKING:
    from ..kb.loader import KnowledgeBase

__all__ = [
    "ContextFact", "DerivedFact", "DivergentFact", "Fact", "Firing", "GroupAnswerFact", "ItemFact",
    "MeasureFact", "RuleEngine", "engine_for", "facts_of",
]

_ENGINES: weakref.WeakKeyDictionary[KnowledgeBase, RuleEngine] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def engine_for(kb: KnowledgeBase) -> RuleEngine:
    """The compiled engine for this knowledge base, built on first use and then shared (runs never are)."""
    with _LOCK:
        engine = _ENGINES.get(kb)
        if engine is None:
            from .experta_engine import ExpertaEngine

            engine = _ENGINES[kb] = ExpertaEngine(kb.rules)
        return engine
