"""The conditions a rule may test, one model per kind (a tagged union: the kind is the key that is set).

`{context: setting, is: inpatient}` is a ContextCondition, `{item: "2.1", happening: [no]}` an
ItemCondition, and so on. What each condition *means* for a set of facts is defined once, in
`peeradvisor/engine/matching.py`, which both the inference engine and `why-not` use.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .. import vocab

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge, "eq": operator.eq,
}
COMPARISONS = tuple(COMPARE)
KINDS = ("context", "measure", "item", "divergent", "derived", "not", "all")


class _Cond(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _spelled(value: Any) -> Any:
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


class ContextCondition(_Cond):
    """A context answer: `is`, `in`, `not_in` (known and none of these), `known`, or `mentions` (free text)."""

    context: str
    is_: Any = Field(default=None, alias="is")
    in_: list[Any] | None = Field(default=None, alias="in")
    not_in: list[Any] | None = None
    known: bool | None = None
    mentions: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data: Any) -> Any:
        """YAML 1.1 reads an unquoted yes/no as a boolean; read it back as the answer it spells."""
        if not isinstance(data, dict):
            return data
        allowed = vocab.CONTEXT_FIELDS.get(str(data.get("context")))
        if allowed is None or True in allowed:  # free text, a number, or a true/false field
            return data
        data = dict(data)
        for key in ("is", "in", "not_in"):
            value = data.get(key)
            if value is not None:
                data[key] = [_spelled(v) for v in value] if isinstance(value, list) else _spelled(value)
        return data

    @model_validator(mode="after")
    def _one_test(self) -> ContextCondition:
        if sum(x is not None for x in (self.is_, self.in_, self.not_in, self.known, self.mentions)) != 1:
            raise ValueError("a context condition needs exactly one of: is, in, not_in, known, mentions")
        return self


class MeasureCondition(_Cond):
    """A number computed from the answers, compared with a bound."""

    measure: str
    lt: float | None = None
    le: float | None = None
    gt: float | None = None
    ge: float | None = None
    eq: float | None = None

    @model_validator(mode="after")
    def _one_comparison(self) -> MeasureCondition:
        given = [c for c in COMPARISONS if getattr(self, c) is not None]
        if len(given) != 1:
            raise ValueError("a measure condition needs exactly one of: lt, le, gt, ge, eq")
        if not math.isfinite(getattr(self, given[0])):
            raise ValueError("a measure bound must be a finite number")
        return self

    def comparison(self) -> tuple[str, float]:
        op = next(c for c in COMPARISONS if getattr(self, c) is not None)
        return op, float(getattr(self, op))


class ItemCondition(_Cond):
    """An inventory item: pooled over respondents, or one stakeholder group's answers (`group`)."""

    item: str
    happening: list[vocab.Happening] | None = None
    group: vocab.Group | None = None
    importance_ge: float | None = None
    importance_le: float | None = None
    top3: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("happening"), list):
            data = {**data, "happening": [_spelled(v) for v in data["happening"]]}
        return data

    @model_validator(mode="after")
    def _some_test(self) -> ItemCondition:
        if all(x is None for x in (self.happening, self.importance_ge, self.importance_le, self.top3)):
            raise ValueError("an item condition needs happening, importance_ge, importance_le or top3")
        if self.importance_ge is not None and self.importance_le is not None:
            raise ValueError("use importance_ge or importance_le in one condition, not both (write two conditions)")
        for bound in (self.importance_ge, self.importance_le):
            if bound is not None and not math.isfinite(bound):
                raise ValueError("an importance bound must be a finite number")
        return self


class DivergentCondition(_Cond):
    """Stakeholder groups disagree on an item (`any`: on some item)."""

    divergent: str


class DerivedCondition(_Cond):
    """A derive rule concluded this fact."""

    derived: str


class NotCondition(_Cond):
    """The condition inside does not hold."""

    not_: Condition = Field(alias="not")


class AllCondition(_Cond):
    """Every condition inside holds (useful inside `any`)."""

    all_: list[Condition] = Field(alias="all", min_length=1)


def _kind(data: Any) -> str | None:
    if isinstance(data, BaseModel):
        return _KIND_OF_CLASS.get(type(data))
    if not isinstance(data, dict):
        return None
    kinds = [k for k in KINDS if k in data]
    return kinds[0] if len(kinds) == 1 else None


Condition = Annotated[
    Annotated[ContextCondition, Tag("context")]
    | Annotated[MeasureCondition, Tag("measure")]
    | Annotated[ItemCondition, Tag("item")]
    | Annotated[DivergentCondition, Tag("divergent")]
    | Annotated[DerivedCondition, Tag("derived")]
    | Annotated[NotCondition, Tag("not")]
    | Annotated[AllCondition, Tag("all")],
    Discriminator(_kind, custom_error_type="condition_kind",
                  custom_error_message="a condition needs exactly one of: context, measure, item, divergent, "
                                       "derived, not, all"),
]

_KIND_OF_CLASS: dict[type[BaseModel], str] = {
    ContextCondition: "context", MeasureCondition: "measure", ItemCondition: "item",
    DivergentCondition: "divergent", DerivedCondition: "derived", NotCondition: "not", AllCondition: "all",
}
AnyCondition = (ContextCondition | MeasureCondition | ItemCondition | DivergentCondition | DerivedCondition
                | NotCondition | AllCondition)

NotCondition.model_rebuild()
AllCondition.model_rebuild()


def kind_of(cond: AnyCondition) -> str:
    return _KIND_OF_CLASS[type(cond)]


def children(cond: AnyCondition) -> list[AnyCondition]:
    """The conditions directly inside `not` and `all` (none for the others)."""
    if isinstance(cond, NotCondition):
        return [cond.not_]
    if isinstance(cond, AllCondition):
        return list(cond.all_)
    return []


def walk(cond: AnyCondition, path: str = "") -> list[tuple[str, AnyCondition]]:
    """This condition and every condition nested in it, each with its path (`.not`, `.all[0]` …)."""
    out: list[tuple[str, AnyCondition]] = [(path, cond)]
    if isinstance(cond, NotCondition):
        out.extend(walk(cond.not_, f"{path}.not"))
    elif isinstance(cond, AllCondition):
        for j, part in enumerate(cond.all_):
            out.extend(walk(part, f"{path}.all[{j}]"))
    return out


def derived_names(cond: AnyCondition) -> list[str]:
    """Every derived fact the condition mentions, needed or excluded."""
    return [c.derived for _, c in walk(cond) if isinstance(c, DerivedCondition)]


def needed(cond: AnyCondition) -> list[str]:
    """The derived facts the condition needs to be concluded (not those it needs to be absent)."""
    if isinstance(cond, AllCondition):
        return [name for part in cond.all_ for name in needed(part)]
    return [cond.derived] if isinstance(cond, DerivedCondition) else []


def negated_derived(cond: AnyCondition) -> str | None:
    """`{not: {derived: X}}` -> X."""
    if isinstance(cond, NotCondition) and isinstance(cond.not_, DerivedCondition):
        return cond.not_.derived
    return None


def item_of(cond: AnyCondition) -> str | None:
    """The inventory item an item or divergence condition is about."""
    if isinstance(cond, ItemCondition):
        return cond.item
    if isinstance(cond, DivergentCondition):
        return cond.divergent
    return None
