"""Schemas of the knowledge base: items, study data, themes and rules (one model per YAML shape)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .. import vocab

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


_CONDITION_KEYS = ("context", "measure", "item", "divergent", "derived", "not_", "all_")
_COMPARISONS = ("lt", "le", "gt", "ge", "eq")
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq,
}


def _spelled(value: Any) -> Any:
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


class Condition(Model):
    """One test in a rule's `when` or `any` list; exactly one of the kind keys is set."""

    context: str | None = None
    is_: Any = Field(default=None, alias="is")
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    known: bool | None = None
    mentions: list[str] | None = None
    measure: str | None = None
    lt: float | None = None
    le: float | None = None
    gt: float | None = None
    ge: float | None = None
    eq: float | None = None
    item: str | None = None
    happening: list[vocab.Happening] | None = None
    group: vocab.Group | None = None
    importance_ge: float | None = None
    importance_le: float | None = None
    top3: bool | None = None
    divergent: str | None = None
    derived: str | None = None
    not_: Condition | None = Field(default=None, alias="not")
    all_: list[Condition] | None = Field(default=None, alias="all", min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data: Any) -> Any:
        """YAML 1.1 reads an unquoted yes/no as a boolean; read it back as the answer it spells."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("happening"), list):
            data["happening"] = [_spelled(v) for v in data["happening"]]
        allowed = vocab.CONTEXT_FIELDS.get(str(data.get("context")))
        if allowed is not None and True not in allowed:  # a yes/no answer, not a true/false one
            for key in ("is", "in", "not_in"):
                value = data.get(key)
                data[key] = [_spelled(v) for v in value] if isinstance(value, list) else _spelled(value)
            data = {k: v for k, v in data.items() if v is not None}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        kinds = [k for k in _CONDITION_KEYS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a condition needs exactly one of: context, measure, item, divergent, derived, "
                             "not, all")
        kind = kinds[0]
        if kind == "context" and sum(x is not None for x in (self.is_, self.in_, self.not_in, self.known,
                                                              self.mentions)) != 1:
            raise ValueError("a context condition needs exactly one of: is, in, not_in, known, mentions")
        if kind == "measure" and sum(getattr(self, c) is not None for c in _COMPARISONS) != 1:
            raise ValueError("a measure condition needs exactly one of: lt, le, gt, ge, eq")
        if kind == "item" and all(x is None for x in (self.happening, self.importance_ge,
                                                      self.importance_le, self.top3)):
            raise ValueError("an item condition needs happening, importance_ge, importance_le or top3")
        if kind == "item" and self.importance_ge is not None and self.importance_le is not None:
            raise ValueError("use importance_ge or importance_le in one condition, not both (write two conditions)")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in _CONDITION_KEYS if getattr(self, k) is not None).rstrip("_")

    def comparison(self) -> tuple[str, float]:
        op = next(c for c in _COMPARISONS if getattr(self, c) is not None)
        return op, float(getattr(self, op))


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

    def conditions(self) -> list[Condition]:
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
