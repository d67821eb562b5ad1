"""Schemas of the knowledge base: items, study data, themes and rules (one model per YAML shape)."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .. import vocab
from .conditions import COMPARE, AllCondition, AnyCondition, Condition, NotCondition, children

__all__ = ["COMPARE", "LIMITS", "AnyCondition", "Condition", "Evidence", "ItemRef", "Rule", "Support"]

RuleKind = Literal["warning", "recommendation", "strength", "caveat", "derive"]
FINDING_KINDS = ("warning", "recommendation", "strength", "caveat")
PLANNED_KINDS = ("warning", "recommendation", "strength")  # findings that read as a step in a plan

# What one rule may hold. The inference engine's network recurses once per condition (about 500 crash it), so
# a rule is refused at load rather than let `advise` fail on it; the real rules stay far below each limit.
LIMITS = {
    "conditions": 100,  # conditions in `when` and `any`, counting those inside `not` and `all`
    "any": 30,          # `any` branches (each becomes one network rule)
    "nesting": 8,       # `not`/`all` levels: {not: {all: [...]}} is 2
    "alternatives": 64,  # ways the rule can fire: `any` branches times the alternatives a negated `all` opens
    "derive_depth": 16,  # derive rules chained on one another
}

# Said when a required field is missing (the loader appends it to "is required").
REQUIRED_HINTS = {
    "support": "how widely the study supports the finding: {level: strong|moderate|limited|contested, note: ...}",
    "evidence": "one or more {locator: ..., excerpt: ...} from the study",
}


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
    support: Support
    # how the finding reads in a plan: the point it makes (knowledge/points.yaml), one imperative sentence,
    # what the study found that makes it matter (a clause: "the study found ..."), who acts and when
    point: str | None = None
    action: str | None = None
    found: str | None = None
    owner: vocab.Owner | None = None
    timing: vocab.When | None = None
    evidence: list[Evidence] = Field(min_length=1)

    model_config = ConfigDict(json_schema_extra=lambda schema: _kind_requirements(schema))

    @model_validator(mode="after")
    def _coherent(self) -> Rule:
        if self.kind == "derive" and not self.concludes:
            raise ValueError("a derive rule needs `concludes: <fact name>`")
        if self.kind != "derive" and self.concludes:
            raise ValueError("only derive rules conclude facts; use kind: derive")
        if self.kind != "derive" and not self.advice.strip():
            raise ValueError("a finding needs advice")
        for name, kinds, what in _KIND_FIELDS:
            if self.kind in kinds and not (getattr(self, name) or "").strip():
                raise ValueError(f"a {self.kind} needs `{name}`: {what}")
        if not self.when and not self.any:
            raise ValueError("a rule needs at least one condition in `when` or `any`")
        _within_limits(self)
        return self

    def conditions(self) -> list[AnyCondition]:
        return [*self.when, *self.any]


_KIND_FIELDS = (
    ("point", FINDING_KINDS, "the point it makes, an id from knowledge/points.yaml"),
    ("action", PLANNED_KINDS, "what to do, one imperative sentence"),
    ("found", PLANNED_KINDS, "what the study found that makes it matter, a clause"),
)


def _kind_requirements(schema: dict[str, Any]) -> None:
    """The fields some kinds require, for the JSON schema (the validator above says the same in words)."""
    schema["allOf"] = [
        {"if": {"properties": {"kind": {"const": "derive"}}},
         "then": {"required": ["concludes"]},
         "else": {"required": ["advice", "point"]}},
        {"if": {"properties": {"kind": {"enum": list(PLANNED_KINDS)}}},
         "then": {"required": ["action", "found"]}},
    ]


def _within_limits(rule: Rule) -> None:
    """Refuse a rule the engine could not run: too many conditions, branches or levels of nesting."""
    if len(rule.any) > LIMITS["any"]:
        raise ValueError(f"`any` has {len(rule.any)} branches; the limit is {LIMITS['any']} (split the rule)")
    count, deepest = 0, 0
    stack: list[tuple[AnyCondition, int]] = [(c, 1) for c in rule.conditions()]
    while stack:  # iterative: nesting is what is being measured
        cond, depth = stack.pop()
        count, deepest = count + 1, max(deepest, depth)
        stack.extend((child, depth + 1) for child in children(cond))
    if count > LIMITS["conditions"]:
        raise ValueError(f"the rule has {count} conditions; the limit is {LIMITS['conditions']} "
                         "(split it, or conclude part of it in a derive rule)")
    if deepest > LIMITS["nesting"]:
        raise ValueError(f"conditions are nested {deepest} levels deep (`not`/`all`); the limit is "
                         f"{LIMITS['nesting']}")
    ways = alternatives(rule)
    if ways > LIMITS["alternatives"]:
        raise ValueError(f"the rule can fire in {ways:,} alternative ways (`any` branches, and one per part of "
                         f"each negated `all`); the limit is {LIMITS['alternatives']} (split the rule)")


def alternatives(rule: Rule) -> int:
    """How many conjunctions the rule is in disjunctive normal form: each is one rule of the engine's network.

    `when` multiplies, `any` adds, `all` multiplies, and `not: {all: [...]}` adds (no A-and-B is no A, or no
    B). Only called once nesting is known to be within its limit, so the recursion is shallow.
    """
    def ways(cond: AnyCondition, negated: bool) -> int:
        if isinstance(cond, NotCondition):
            return ways(cond.not_, not negated)
        if isinstance(cond, AllCondition):
            counts = [ways(part, negated) for part in cond.all_]
            return sum(counts) if negated else math.prod(counts)
        return 1

    branches = sum(ways(c, False) for c in rule.any) if rule.any else 1
    return math.prod(ways(c, False) for c in rule.when) * branches


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
    planning: dict[str, dict[str, str]] = {}  # the same, while the service is still planning (no peer workers)
    item: dict[str, str]
    measure: dict[str, str]
    group: dict[str, str]

    @model_validator(mode="before")
    @classmethod
    def _string_keys(cls, data: object) -> object:
        for part in ("context", "planning"):
            if isinstance(data, dict) and isinstance(data.get(part), dict):
                data = {**data, part: {field: ({_words_key(k): v for k, v in values.items()}
                                               if isinstance(values, dict) else values)
                                       for field, values in data[part].items()}}
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
