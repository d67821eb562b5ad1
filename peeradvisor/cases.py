"""Cases and scenarios: answers plus the findings they must and must not give (one loader for both)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .answers import Answers, answers_from_data
from .errors import InputError, UsageError
from .kb.models import Evidence
from .report import Report
from .validation import raise_input_error
from .yamlio import load_file


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    present: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    first: str | None = None
    within: dict[str, int] = Field(default_factory=dict)  # finding id -> its rank must be at most this
    max_warnings: int | None = None  # the report gives at most this many warnings


class Passage(BaseModel):
    """A passage of the study to read aloud: verbatim, with the report's headings as its locator."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    locator: str
    excerpt: str = Field(min_length=20)

    @model_validator(mode="after")
    def _shape(self) -> Passage:
        Evidence(locator=self.locator)  # the same locator rules as rule evidence
        if len(self.excerpt.split()) > 90:
            raise ValueError("a passage to read aloud is at most about 80 words")
        return self


class Facilitator(BaseModel):
    """A trainer's note on running a scenario: how long it takes, the points to draw out, what to read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    minutes: int = Field(ge=5, le=90)
    points: list[str] = Field(min_length=1)
    read_aloud: Passage


class Case(BaseModel):
    """A named answers file with expectations; a scenario adds a story and discussion questions."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    title: str = ""
    note: str = ""
    story: str = ""
    based_on: list[Evidence] = Field(default_factory=list)
    answers: dict[str, Any]
    expect: Expect = Expect()
    discussion: list[str] = Field(default_factory=list)
    facilitator: Facilitator | None = None  # scenarios: the trainer's note
    source: str = ""

    def parsed(self) -> Answers:
        return answers_from_data(self.answers, f"{self.source}: {self.name}.answers")

    def check(self, report: Report) -> list[str]:
        """What the report gets wrong against the expectations (empty when it meets them)."""
        ids = [f.id for f in report.findings]
        # a finding folded into a more specific one (`supersedes`) still counts as given
        covered = set(ids) | {old for f in report.findings for old in f.replaces}
        problems = [f"missing {x}" for x in self.expect.present if x not in covered]
        problems += [f"unexpected {x}" for x in self.expect.absent if x in ids]
        for finding_id, limit in self.expect.within.items():
            rank = ids.index(finding_id) + 1 if finding_id in ids else None
            if rank is None or rank > limit:
                problems.append(f"{finding_id} is at rank {rank}, expected within the first {limit}")
        warnings = sum(1 for f in report.findings if f.kind == "warning")
        if self.expect.max_warnings is not None and warnings > self.expect.max_warnings:
            problems.append(f"{warnings} warnings, expected at most {self.expect.max_warnings}")
        if self.expect.first and (not ids or ids[0] != self.expect.first):
            problems.append(f"first is {ids[0] if ids else None}, expected {self.expect.first}")
        return problems


def _case(data: Any, source: str, path: str) -> Case:
    if not isinstance(data, dict):
        raise InputError(source, "must be a mapping", path)
    try:
        return Case.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise_input_error(exc, f"{source}{': ' + path if path else ''}")


def load_cases(path: Path) -> list[Case]:
    """A file of `cases:` (tests/cases) or one scenario at top level (knowledge/scenarios)."""
    data = load_file(path)
    source = str(path)
    if isinstance(data, dict) and "cases" in data:
        return [_case(c, source, f"cases[{i}]") for i, c in enumerate(data["cases"] or [])]
    return [_case(data, source, "")]


def load_folder(folder: Path) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        cases.extend(load_cases(path))
    return cases


def scenarios_folder(kb_root: Path) -> Path:
    return kb_root / "knowledge" / "scenarios"


def find_scenario(kb_root: Path, name: str) -> Case:
    scenarios = load_folder(scenarios_folder(kb_root))
    for case in scenarios:
        if case.name == name:
            return case
    names = ", ".join(c.name for c in scenarios) or "none"
    raise UsageError(f"no scenario named {name!r}; known scenarios: {names}")
