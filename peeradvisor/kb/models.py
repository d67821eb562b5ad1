"""Schemas of the knowledge base: items, study data, themes and rules (one model per YAML shape)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .. import vocab
from .conditions import COMPARE, AnyCondition, Condition

__all__ = ["COMPARE", "AnyCondition", "Condition", "Evidence", "ItemRef", "Rule", "Support"]

RuleKind = Literal["warning", "recommendation", "strength", "caveat", "derive"]
FINDING_KINDS = ("warning", "recommendation", "strength", "caveat")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Evidence(Model):
    locator: str = Field(min_length=3)
    excerpt: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Evidence:
        head = self.locator.split("›")[0].strip()
        if not head.startswith(("Chapter ", "Appendix ", "Table ", "Figure ", "Abstract",
                                "Scientific summary", "Plain English summary")):
            raise ValueError("locator must start with Chapter N, Appendix N, Table N, Figure N, Abstract, "
                             "Scientific summary or Plain English summary")
        if self.excerpt is not None and len(self.excerpt.split()) > 60:
            raise ValueError("excerpt is longer than about 40 words; quote less")
        return self


SupportLevel = Literal["strong", "moderate", "limited", "contested"]


class Support(Model):
    """How widely the study supports a finding (contract section 2b)."""

    level: SupportLevel
    note: str = Field(min_length=10)


class ItemRef(Model):
    id: str
    direction: vocab.Direction


def _all_stages() -> list[vocab.Stage]:
    return ["planning", "new", "established"]


class Rule(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
    kind: RuleKind
    title: str = Field(min_length=3)
    advice: str = ""
    strength: int = Field(default=2, ge=1, le=3)
    stages: list[vocab.Stage] = Field(default_factory=_all_stages)
    themes: list[vocab.Theme] = Field(default_factory=list)
    items: list[ItemRef] = Field(default_factory=list)
    when: list[Condition] = Field(default_factory=list)
    any: list[Condition] = Field(default_factory=list)
    concludes: str | None = Field(default=None, pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")
    supersedes: list[str] = Field(default_factory=list)  # findings this one replaces when both are given
    support: Support | None = None
    # how the finding reads in a plan: the point it makes (knowledge/points.yaml), one imperative sentence,
    # what the study found that makes it matter (a clause: "the study found ..."), who acts and when
    point: str | None = None
    action: str | None = None
    found: str | None = None
    owner: vocab.Owner | None = None
    timing: vocab.When | None = None
    evidence: list[Evidence] = Field(min_length=1)

    @model_validator(mode="after")
    def _coherent(self) -> Rule:
        if self.kind == "derive" and not self.concludes:
            raise ValueError("a derive rule needs `concludes: <fact name>`")
        if self.kind != "derive" and self.concludes:
            raise ValueError("only derive rules conclude facts; use kind: derive")
        if self.kind != "derive" and not self.advice.strip():
            raise ValueError("a finding needs advice")
        if not self.when and not self.any:
            raise ValueError("a rule needs at least one condition in `when` or `any`")
        return self

    def conditions(self) -> list[AnyCondition]:
        return [*self.when, *self.any]


class RuleFile(Model):
    rules: list[Rule]


class Domain(Model):
    id: int
    title: str
    heading: str


class Item(Model):
    id: str
    domain: int
    text: str
    short: str
    heading: str
    help: str = ""


class ItemsFile(Model):
    domains: list[Domain]
    items: list[Item]


class ThemeInfo(Model):
    id: vocab.Theme
    title: str
    facilitator: str
    barrier: str
    summary: str


class ThemesFile(Model):
    themes: list[ThemeInfo]


class Point(Model):
    """A point the advice makes; findings making the same point are shown together (knowledge/points.yaml)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
    order: int
    title: str = Field(min_length=3)
    theme: vocab.Theme
    owner: vocab.Owner
    when: vocab.When


class PointsFile(Model):
    points: list[Point]


def _words_key(value: object) -> str:
    """YAML reads `true:` and `yes:` keys as booleans; phrases are looked up by the answer's spelling."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class PhrasesFile(Model):
    """How the advice says what the answers told it, in a manager's words (knowledge/phrases.yaml)."""

    context: dict[str, dict[str, str]]
    item: dict[str, str]
    measure: dict[str, str]
    group: dict[str, str]

    @model_validator(mode="before")
    @classmethod
    def _string_keys(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("context"), dict):
            data = {**data, "context": {field: ({_words_key(k): v for k, v in values.items()}
                                                if isinstance(values, dict) else values)
                                        for field, values in data["context"].items()}}
        if isinstance(data, dict) and isinstance(data.get("item"), dict):
            data = {**data, "item": {_words_key(k): v for k, v in data["item"].items()}}
        return data


class ImportanceTable(Model):
    source: str = ""
    tables: list[int]
    columns: dict[str, str]
    means: dict[str, dict[str, float | None]]


class Top3Table(Model):
    source: str = ""
    table: int | list[int]
    columns: dict[str, str]
    counts: dict[str, dict[str, int | None]]
    n: dict[str, int | None] | None = None


class StudyData(Model):
    model_config = ConfigDict(extra="allow", frozen=True)
    source: str = ""
    importance: dict[str, ImportanceTable]
    top3: dict[str, Top3Table]
