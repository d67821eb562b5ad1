"""The memo's parts as frozen pydantic models: what every renderer (Markdown, HTML, Word) reads.

The order is the contract's (section 2c): title and date; Start here (the priorities); the context as
understood; the main points (at most 12, related findings grouped); the action plan; what to ask next;
what the study can and cannot say; then the Appendix with every finding in full and its evidence.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from peeradvisor.render.prepared import Previous
from peeradvisor.report import EvidenceOut, KbStamp

NOT_KNOWN = "not known"  # a plan row's `now` when nobody has answered its item

__all__ = ["Previous"]  # where the memo's readers have always found it

STUDY_TITLE = ("New ways of working in mental health services: a qualitative, comparative case study "
               "assessing and informing the emergence of new peer worker roles in mental health services "
               "in England")
STUDY_CITATION = f"Gillard S, et al. {STUDY_TITLE}. Health Serv Deliv Res 2014;2(19)"
STUDY_SHORT = "Gillard et al. 2014, Health Serv Deliv Res 2(19)"
STUDY_DOI = "10.3310/hsdr02190"
STUDY_URL = f"https://doi.org/{STUDY_DOI}"


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ContextLine(Part):
    field: str
    label: str
    value: str | None  # None: not known


class MemoItem(Part):
    id: str
    short: str
    text: str
    direction: str


class MemoFinding(Part):
    """A finding in full, for the Appendix (ids, scores and the analyst's `because` only with --detail)."""

    rank: int
    id: str
    kind: str
    kind_label: str
    title: str
    advice: str
    support: str  # a short phrase: "found across the study's cases"
    support_note: str
    reasons: list[str]  # in a manager's words
    themes: list[str]
    items: list[MemoItem]
    because: list[str]  # the analyst's wording (field paths), shown with --detail
    score: float
    replaces: list[str]  # titles of the general findings this one stands in for
    evidence: list[EvidenceOut]


class PriorityView(Part):
    rank: int
    title: str  # the point, in a few words
    action: str
    why: str
    owner: str  # in words: "Line manager"
    when: str  # in words: "Now"
    findings: list[int]  # ranks of the findings it stands for (Appendix numbers)
    new: bool = False  # not in Start here at the earlier assessment (only with --since)


class PointView(Part):
    """One main point: the lead finding, and the related findings grouped under it."""

    title: str
    lead: str  # the lead finding's title
    kind_label: str
    support: str
    advice: str | None  # the lead finding's advice, when the word budget allows
    also: list[str]  # titles of the related findings
    findings: list[int]  # Appendix numbers


class PlanView(Part):
    item: str
    short: str
    text: str
    do: str  # what to do, in words: "Put in place", "Make it happen fully", "Stop", "Decide locally"
    now: str
    owner: str
    when: str


class QuestionView(Part):
    question: str
    effect: str  # what the answer could change, in words


class SinceFinding(Part):
    """A finding that came or went since the earlier assessment, and why, in words."""

    title: str
    why: str
    rank: int | None  # its Appendix number (None: no longer given)
    id: str  # shown with --detail only


class SinceView(Part):
    """What changed since the earlier assessment, worded and trimmed to the memo's word budget."""

    heading: str  # "What changed since 25 November 2026"
    summary: str
    organisation_note: str | None
    answers: list[str]  # "One-to-one supervision: none → ad hoc"
    more_answers: int
    priorities: list[str]
    more_priorities: int
    resolved: list[SinceFinding]
    more_resolved: int
    new: list[SinceFinding]
    more_new: int
    moved: list[str]
    more_moved: int
    rules_note: str
    rules_changed: bool


class Standing(Part):
    """How many of a domain's items the respondents say are happening (pooled answers)."""

    id: int
    title: str
    items: int
    yes: int
    partly: int
    no: int
    other: int  # don't know / not relevant

    @property
    def unanswered(self) -> int:
        return self.items - self.yes - self.partly - self.no - self.other


class ImportanceRow(Part):
    item: str
    short: str
    local: float
    ratings: int
    context: float | None
    setting: float | None


class Importance(Part):
    context_column: str
    context_tables: str
    setting_column: str | None
    setting_tables: str | None
    rows: list[ImportanceRow]


class AnswerRow(Part):
    item: str
    short: str
    happening: str
    importance: str
    top3: bool


class RespondentAnswers(Part):
    label: str
    group: str
    rows: list[AnswerRow]


class GroupRow(Part):
    """One question as a stakeholder group answered it: how many said each answer, their mean importance,
    and how many named it in their top three."""

    item: str
    short: str
    yes: int
    partly: int
    no: int
    other: int  # don't know / not relevant
    importance: float | None  # mean rating, 1-4
    ratings: int
    top3: int


class GroupAnswers(Part):
    """A stakeholder group's answers, summarised (the Appendix of a memo with many respondents)."""

    group: str
    heading: str  # "Peer workers (1,672 people)"
    respondents: int
    rows: list[GroupRow]


class Memo(Part):
    title: str
    organisation: str
    date: dt.date
    stage: str
    employer: str
    setting: str
    setting_detail: str | None
    summary: str
    kb: KbStamp
    detail: bool
    priorities: list[PriorityView]
    context: list[ContextLine]
    points: list[PointView]
    more_points: int  # points left to the Appendix
    strengths: list[str]  # titles of what is already working
    plan: list[PlanView]
    questions: list[QuestionView]
    limits: list[str]
    caveats: list[str]
    findings: list[MemoFinding]
    standing: list[Standing]
    importance: Importance
    respondents: int
    answers: list[RespondentAnswers]  # one person at a time; empty when answer_groups summarises them
    answer_groups: list[GroupAnswers]  # by stakeholder group, for more than LIST_RESPONDENTS people
    answers_note: str  # says why answer_groups summarises ("" when each person is listed)
    since: SinceView | None
    since_full: SinceView | None = None  # the comparison untrimmed, for the Appendix, when `since` was trimmed
    citation: str = STUDY_CITATION
    study_short: str = STUDY_SHORT
    doi: str = STUDY_DOI
    doi_url: str = STUDY_URL

    @property
    def plan_status_known(self) -> bool:
        """Whether any plan row knows where its item stands (if none does, the plan leaves out its Now column)."""
        return any(row.now != NOT_KNOWN for row in self.plan)
