"""The JSON report (contract section 2) as pydantic models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from . import vocab


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceOut(Out):
    locator: str
    excerpt: str | None = None


class ItemOut(Out):
    id: str
    direction: vocab.Direction


class KbStamp(Out):
    """What advised: package version, number of rules, SHA-256 over the rule and knowledge files."""

    version: str
    rules: int
    sha256: str


class StudyRating(Out):
    """What the study's respondents in a comparable context rated an item (Appendix 4)."""

    item: str
    table: int
    column: str
    mean: float


class SupportOut(Out):
    """How widely the study supports a finding: strong | moderate | limited | contested, and why."""

    level: Literal["strong", "moderate", "limited", "contested"]
    note: str


class Finding(Out):
    id: str
    kind: Literal["warning", "recommendation", "strength", "caveat"]
    rank: int
    score: float
    title: str
    advice: str
    themes: list[vocab.Theme]
    items: list[ItemOut]
    because: list[str]
    evidence: list[EvidenceOut]
    support: SupportOut
    chain: list[str] = Field(default_factory=list)  # derived facts this finding built on
    replaces: list[str] = Field(default_factory=list)  # general findings this one says more specifically
    study: list[StudyRating] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)  # `because` in a manager's words
    point: str | None = None  # the point it makes (knowledge/points.yaml)
    action: str | None = None  # one imperative sentence
    owner: vocab.Owner | None = None
    when: vocab.When | None = None


class Priority(Out):
    """One of the few things to do first (contract section 2b)."""

    rank: int
    action: str
    why: str
    findings: list[str]
    owner: vocab.Owner
    when: vocab.When
    point: str  # the point it makes
    title: str  # the point in a few words, e.g. "Prepare line managers to manage and support peer workers"


class PlanRow(Out):
    """What to do about one inventory item: direction, where it stands now, who and when."""

    item: str
    direction: vocab.Direction
    now: Literal["yes", "partly", "no", "unknown"]
    owner: vocab.Owner
    when: vocab.When
    findings: list[str]


class Outcome(Out):
    """What one possible answer to an unanswered question would change: findings that appear or go."""

    value: str
    appear: list[str]
    go: list[str]
    priorities: int = 0  # how many of the priorities this answer would change (0: the same priorities)


class NextQuestion(Out):
    """An unanswered question whose answer would change the advice (contract section 2b)."""

    path: str
    question: str
    outcomes: list[Outcome]


class Report(Out):
    format: Literal["peeradvisor/report@1"] = "peeradvisor/report@1"
    kb: KbStamp
    organisation: str
    stage: vocab.Stage
    employer: str
    setting: str
    respondents: int
    priorities: list[Priority] = Field(default_factory=list)
    plan: list[PlanRow] = Field(default_factory=list)
    next_questions: list[NextQuestion] = Field(default_factory=list)
    findings: list[Finding]
    derived: list[str] = Field(default_factory=list)  # every fact the derive rules concluded

    def counts(self) -> dict[str, int]:
        out = {"warning": 0, "recommendation": 0, "strength": 0, "caveat": 0}
        for finding in self.findings:
            out[finding.kind] += 1
        return out

    def finding(self, finding_id: str) -> Finding | None:
        return next((f for f in self.findings if f.id == finding_id), None)
