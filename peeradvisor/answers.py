"""The answers file (contract section 1) as pydantic models, and the one way to load it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from . import vocab
from .errors import InputError
from .validation import raise_input_error
from .yamlio import load_file, parse_text


def _yes_no(value: Any) -> Any:
    """YAML 1.1 reads yes/no as booleans; both spellings mean the same answer."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def _importance(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in {"1", "2", "3", "4"}:
        return int(value)
    if isinstance(value, bool):  # YAML reads yes/true as True, which would pass for the number 1
        raise ValueError(f"must be one of 4, 3, 2, 1, dont_know, not_relevant (got {value!r}: "
                         f"{'yes/true' if value else 'no/false'} is an answer to happening, not an importance)")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> Any:
    """`assessed_on`: a real calendar date written YYYY-MM-DD (files keep dates as text; see yamlio)."""
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else None
    if text is None or not _ISO_DATE.fullmatch(text):
        raise ValueError(f"must be a date written YYYY-MM-DD (got {str(value)[:60]!r})")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text} is not a date in the calendar ({exc})") from None


YesNoAnswer = Annotated[vocab.YesNo, BeforeValidator(_yes_no)]
Graded = Annotated[vocab.YesPartlyNoDk, BeforeValidator(_yes_no)]
HappeningAnswer = Annotated[vocab.Happening, BeforeValidator(_yes_no)]
Importance = Annotated[Literal[1, 2, 3, 4, "dont_know", "not_relevant"], BeforeValidator(_importance)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Supervision(Strict):
    one_to_one: vocab.OneToOne | None = None
    manager_prepared: Graded | None = None
    wellbeing_space: YesNoAnswer | None = None
    peer_group: YesNoAnswer | None = None


class Culture(Strict):
    open_about_mental_health: Graded | None = None
    reflective_practice: Graded | None = None
    lived_experience_valued: Graded | None = None
    peer_voice_heard: Graded | None = None
    personal_boundaries_supported: Graded | None = None
    ready_for_change: Graded | None = None


class Context(Strict):
    employer: vocab.Employer
    setting: vocab.Setting
    partner: vocab.Partner | None = None
    led_by: vocab.LedBy | None = None
    setting_detail: str | None = Field(default=None, max_length=500)
    employment: vocab.Employment | None = None
    team_size: int | None = Field(default=None, ge=1, le=100_000, strict=True)
    peer_workers: int | None = Field(default=None, ge=0, le=100_000, strict=True)
    pay_framework: vocab.PayFramework | None = None
    recruitment_route: vocab.RecruitmentRoute | None = None
    community_languages: bool | None = Field(default=None, strict=True)
    staffing_pressure: bool | None = Field(default=None, strict=True)
    executive_turnover: bool | None = Field(default=None, strict=True)
    funding: vocab.Funding | None = None
    supervision: Supervision = Supervision()
    culture: Culture = Culture()

    def applicable(self) -> dict[str, Any]:
        """The answers that mean something here: `partner` only in a partnership, `led_by` only where
        the employer or the partner is voluntary (the contract's rules); others are kept but not used."""
        data = self.model_dump(exclude={"supervision", "culture"})
        if self.employer != "partnership":
            data["partner"] = None
        voluntary_side = self.employer == "voluntary" or data["partner"] == "voluntary"
        if not voluntary_side:
            data["led_by"] = None
        return data

    @model_validator(mode="after")
    def _peer_workers_within_team(self) -> Context:
        if self.team_size is not None and self.peer_workers is not None and self.peer_workers > self.team_size:
            raise ValueError(f"peer_workers ({self.peer_workers}) cannot exceed team_size ({self.team_size}); "
                             "team_size counts the peer workers too")
        return self


class Respondent(Strict):
    group: vocab.Group
    label: str | None = Field(default=None, max_length=200)


class ItemAnswer(Strict):
    happening: HappeningAnswer | None = None
    importance: Importance | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str | bool):
            return {"happening": value}
        return value


def _item_key(key: Any) -> Any:
    # An unquoted `2.1:` key arrives from YAML as the float 2.1.
    if isinstance(key, float):
        return f"{key:g}" if f"{key:g}".count(".") == 1 else str(key)
    return key


def _known_item(key: str) -> str:
    if key not in vocab.ITEM_IDS:
        raise ValueError(f"unknown item id {key!r}; item ids are 1.1-1.8, 2.1-2.8, 3.1-3.4, 4.1-4.6, 5.1-5.9, "
                         "6.1-6.5")
    return key


# Checked key by key, so that an unknown item is reported together with any bad answers beside it.
ItemKey = Annotated[str, BeforeValidator(_item_key), AfterValidator(_known_item)]


class Response(Strict):
    respondent: Respondent
    inventory: dict[ItemKey, ItemAnswer] = Field(default_factory=dict)
    top3: list[str] = Field(default_factory=list, max_length=3)

    @field_validator("inventory", mode="before")
    @classmethod
    def _each_item_once(cls, value: Any) -> Any:
        if isinstance(value, dict):
            seen: dict[Any, Any] = {}
            for key in value:
                item = _item_key(key)
                if item in seen:
                    raise ValueError(f"item {item} is given twice (as {seen[item]!r} and {key!r}); keep one")
                seen[item] = key
        return value

    @field_validator("top3", mode="before")
    @classmethod
    def _top3_keys(cls, value: Any) -> Any:
        return [_item_key(v) for v in value] if isinstance(value, list) else value

    @field_validator("top3")
    @classmethod
    def _top3(cls, value: list[str]) -> list[str]:
        for key in value:
            if key not in vocab.ITEM_IDS:
                raise ValueError(f"unknown item id {key!r} in top3")
        if len(set(value)) != len(value):
            raise ValueError("top3 item ids must be distinct")
        return value


class Answers(Strict):
    format: Literal["peeradvisor/answers@1"]
    organisation: str = Field(min_length=1, max_length=300)
    assessed_on: Annotated[dt.date | None, BeforeValidator(_date)] = None
    stage: vocab.Stage = "new"
    context: Context
    responses: list[Response] = Field(default_factory=list)
    session: dict[str, Any] | None = None  # questionnaire progress kept by `assess` (extension)

    @field_validator("organisation")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    def has_inventory(self) -> bool:
        return any(r.inventory or r.top3 for r in self.responses)


def answers_from_data(data: Any, source: str) -> Answers:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise InputError(source, f"must be a mapping of fields (format, organisation, context, responses), not {kind}")
    if data.get("format") != vocab.ANSWERS_FORMAT:
        got = data.get("format")
        hint = "missing" if got is None else f"is {str(got)[:60]!r}"
        raise InputError(source, f"format {hint}; it must be exactly {vocab.ANSWERS_FORMAT!r}", "format")
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        raise_input_error(exc, source)
        raise  # unreachable


def load_answers(path: Path | str) -> Answers:
    """Read and validate an answers file (YAML or JSON)."""
    return answers_from_data(load_file(path), str(path))


def parse_answers(text: str, source: str = "<answers>") -> Answers:
    return answers_from_data(parse_text(text, source), source)


def answers_to_data(answers: Answers) -> dict[str, Any]:
    """The answers as plain data in the contract's shape, without empty fields."""
    return answers.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
