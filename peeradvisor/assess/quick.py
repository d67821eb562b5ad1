"""`assess --quick`: after each answer, the remaining items in the order of how much each could change the
advice, and whether any of them still could change the priorities. Pure apart from running the rules.

The ranking and the check are the report's own (`core.questions`): each remaining item is tried with every
answer to "is it happening?" (and, for the check, with every importance rating), one item at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..answers import answers_from_data
from ..core import probing
from ..core.questions import item_order, priorities_settled
from ..kb.loader import KnowledgeBase
from .session import Session


@dataclass(frozen=True)
class Standing:
    """After an answer: how many items are left, and whether none of them could change the priorities."""

    left: int
    settled: bool


class Quick:
    """Keeps a quick assessment's items in order, re-ranking only when the answers change."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._seen: str | None = None
        self._standing: Standing | None = None

    def update(self, session: Session) -> Standing | None:
        """Re-rank the items not reached yet; None when the session is not at an item of its own."""
        if not (session.quick and session.in_items() and session.has_response()):
            return None
        snapshot = json.dumps(session.data, sort_keys=True, default=str)
        if snapshot == self._seen and self._standing is not None:
            return self._standing
        data = {k: v for k, v in session.data.items() if k != "session"}
        answers = answers_from_data(data, "<answers so far>")
        _, probe = probing(answers, self.kb)
        left = session.items_left()
        session.reorder(item_order(probe, session.response, left))
        self._seen = snapshot
        self._standing = Standing(len(left), priorities_settled(probe, session.response, left))
        return self._standing
