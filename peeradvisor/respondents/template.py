"""The questionnaire laid out for a survey tool or a spreadsheet (contract section 4). Pure.

One column per question, in the contract's order: `group`, `label`, then `<id> A: <short>` and
`<id> B: <short>` for each of the 40 items, then `top3`. The wording is the study's: item statements from
knowledge/items.yaml, the A and B questions and their answers from knowledge/questions.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from peeradvisor import vocab

if TYPE_CHECKING:
    from peeradvisor.kb.loader import KnowledgeBase
    from peeradvisor.kb.questions import Question, Questionnaire

from .cells import GROUP_WORDS

Kind = Literal["choice", "text", "items"]

GROUP_TITLE = ("Which of these groups are you in? (coworker: staff who are not peer workers; line manager: a "
               "line or team manager)")
LABEL_TITLE = "A label for your answers, if you like: a role rather than your name (e.g. Ward manager)."
TITLE_CODES = {"group": "Group", "label": "Label", "top3": "Top 3"}
TOP3_HINT = "Choose up to three."
TOP3_TYPED = "Type their item numbers, separated by commas, e.g. 2.1, 5.8, 5.2."


@dataclass(frozen=True)
class SurveyQuestion:
    """One column of the survey: its header, what a respondent reads, and the answers it takes."""

    header: str  # the column header, and the start of the question's title in a form
    kind: Kind
    question: str  # the full wording a respondent reads
    answers: tuple[str, ...] = ()  # the allowed answers as people type them; () for free text
    section: str = ""  # the inventory section (domain) it belongs to
    item: str = ""
    part: str = ""  # A (is it happening) or B (how important), for an item
    required: bool = False

    @property
    def title(self) -> str:
        """The question's title in a form: the header first (capitalised where a person reads it, as import
        reads group, label and top3 in any case and `Top 3` as `top3`), so that `import` finds the column."""
        return f"{TITLE_CODES.get(self.header, self.header)} — {self.question}"


def build_survey(questionnaire: Questionnaire, kb: KnowledgeBase) -> list[SurveyQuestion]:
    """Every column in the contract's order, worded as `assess` asks it."""
    out = [SurveyQuestion("group", "choice", GROUP_TITLE, GROUP_WORDS, required=True),
           SurveyQuestion("label", "text", LABEL_TITLE)]
    sections = {d.id: f"Section {d.id} – {d.title}" for d in kb.domains}  # as Appendix 1 heads them
    out += [_item_question(q, kb.items[q.item].short, sections[kb.items[q.item].domain])
            for q in questionnaire.questions if q.part]
    ask = questionnaire.get("top3").prompt.split("?")[0] + "?"
    options = tuple(f"{i} {kb.items[i].text}" for i in vocab.ITEM_IDS)
    out.append(SurveyQuestion("top3", "items", f"{ask} {TOP3_HINT}", options))
    return out


def _item_question(question: Question, short: str, section: str) -> SurveyQuestion:
    part = "A" if question.part == "happening" else "B"
    asked = question.prompt.removeprefix(f"{part}. ")
    wording = f"{question.statement}. {asked}" if part == "A" else f"{asked} ({question.statement})"
    return SurveyQuestion(f"{question.item} {part}: {short}", "choice", wording,
                          tuple(c.label for c in question.choices), section, question.item, part)


def header(questions: list[SurveyQuestion]) -> list[str]:
    return [q.header for q in questions]
