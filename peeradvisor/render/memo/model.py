"""The memo's parts as frozen pydantic models: what every renderer (Markdown, HTML, Word) reads."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from peeradvisor.analysis.since import Since
from peeradvisor.answers import Answers
from peeradvisor.report import EvidenceOut, Report

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
    rank: int
    id: str
    kind: str
    kind_label: str
    title: str
    advice: str
    themes: list[str]
    items: list[MemoItem]
    because: list[str]
    evidence: list[EvidenceOut]


class Action(Part):
    item: str
    short: str
    text: str
    now: str  # the service's pooled answer today, in words
    findings: list[int]  # ranks of the findings that ask for it


class ActionDomain(Part):
    id: int
    title: str
    put_in_place: list[Action]
    avoid: list[Action]
    review: list[Action]


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


class Memo(Part):
    title: str
    organisation: str
    date: dt.date
    stage: str
    employer: str
    setting: str
    setting_detail: str | None
    summary: str
    counts: dict[str, int]
    context: list[ContextLine]
    priorities: list[MemoFinding]
    findings: list[MemoFinding]
    actions: list[ActionDomain]
    standing: list[Standing]
    importance: Importance
    answers: list[RespondentAnswers]
    since: Since | None
    limits: list[str]
    citation: str = STUDY_CITATION
    study_short: str = STUDY_SHORT
    doi: str = STUDY_DOI
    doi_url: str = STUDY_URL


class Previous(NamedTuple):
    """An earlier assessment of the same service, with its report."""

    answers: Answers
    report: Report


