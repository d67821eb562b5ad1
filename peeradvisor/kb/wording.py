"""The words of each question in knowledge/questions.yaml, for saying which unanswered question to ask next.

Read once per knowledge base from the parsed file (through the start-up cache), without the questionnaire's
models and checks: `load_questionnaire` and `rules lint` check the same file, and `advise` should not pay for
building the whole questionnaire to quote a few of its questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cache import load_cached
from .shared import PerKb

if TYPE_CHECKING:
    from .loader import KnowledgeBase


@dataclass(frozen=True)
class Wording:
    prompts: dict[str, tuple[str, str]]  # question id -> (prompt, planning prompt)
    happening: tuple[str, str]  # question A of an item: (prompt, planning prompt)
    planning: dict[str, str]  # item id -> the item re-worded as an intention

    def prompt(self, question_id: str, stage: str) -> str | None:
        found = self.prompts.get(question_id)
        return None if found is None else found[1 if stage == "planning" else 0]

    def item(self, text: str, item_id: str, stage: str) -> str:
        """An item as a question: the statement and question A, or the planning re-wording."""
        if stage == "planning" and item_id in self.planning:
            return self.planning[item_id]
        return f"{text.rstrip('.')}: {self.happening[0].removeprefix('A. ').rstrip('?').lower()}?"


def _read(kb: KnowledgeBase) -> Wording:
    data = load_cached(kb.root / "knowledge" / "questions.yaml")
    prompts = {q["id"]: (q["prompt"], q.get("planning_prompt") or q["prompt"]) for q in data.get("questions") or []}
    part = data["inventory"]["happening"]
    return Wording(prompts, (part["prompt"], part.get("planning_prompt") or part["prompt"]),
                   dict(data["inventory"].get("planning") or {}))


# The questions' words for a knowledge base, read once.
wording: PerKb[Wording] = PerKb(_read)
