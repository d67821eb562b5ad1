"""The role star's axes (knowledge/role_star.yaml): its one model and its loader."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from peeradvisor import vocab
from peeradvisor.errors import InputError, KnowledgeError
from peeradvisor.kb.loader import _display, _validate
from peeradvisor.kb.models import Evidence, Model
from peeradvisor.yamlio import load_file

ROLE_STAR_FILE = Path("knowledge") / "role_star.yaml"


def _known(value: list[str]) -> list[str]:
    for item_id in value:
        if item_id not in vocab.ITEM_IDS:
            raise ValueError(f"unknown item id {item_id!r}")
    if len(set(value)) != len(value):
        raise ValueError("item ids must be distinct")
    return value


class StarAxis(Model):
    """One core component of the peer worker role, scored from the inventory items that express it.

    Every axis points one way (a high score is more of the component); `inverse` names the items whose
    "yes" means less of it, scored the other way round."""

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    title: str = Field(min_length=2, max_length=32)
    about: str = Field(min_length=3)
    items: list[str] = Field(min_length=1)
    inverse: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(min_length=1)

    @field_validator("items", "inverse")
    @classmethod
    def _known_items(cls, value: list[str]) -> list[str]:
        return _known(value)

    @model_validator(mode="after")
    def _inverse_on_axis(self) -> StarAxis:
        stray = [i for i in self.inverse if i not in self.items]
        if stray:
            raise ValueError(f"inverse item(s) {', '.join(stray)} must also be listed in items")
        return self


class LeftOut(Model):
    """An item about the role that is on no axis, and why (its "yes" is neither more nor less of one)."""

    item: str
    reason: str = Field(min_length=10)
    evidence: list[Evidence] = Field(default_factory=list)

    @field_validator("item")
    @classmethod
    def _known_item(cls, value: str) -> str:
        return _known([value])[0]


class RoleStarFile(Model):
    """The whole file: evidence for the tool itself, then its axes in drawing order (clockwise from 12)."""

    evidence: list[Evidence] = Field(min_length=1)
    axes: list[StarAxis] = Field(min_length=3, max_length=12)
    left_out: list[LeftOut] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> RoleStarFile:
        ids = [a.id for a in self.axes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate axis id(s): {', '.join(dupes)}")
        placed = [i for a in self.axes for i in a.items] + [x.item for x in self.left_out]
        twice = sorted({i for i in placed if placed.count(i) > 1})
        if twice:
            raise ValueError(f"item(s) {', '.join(twice)} on more than one axis (or on one and left out)")
        return self


@lru_cache(maxsize=4)
def load_role_star(kb_root: Path) -> RoleStarFile:
    """Read and validate knowledge/role_star.yaml under the knowledge base root (cached per root)."""
    path = kb_root / ROLE_STAR_FILE
    try:
        data = load_file(path)
    except InputError as exc:
        raise KnowledgeError(exc.source, problems=exc.problems) from None
    return _validate(RoleStarFile, data, _display(path))
