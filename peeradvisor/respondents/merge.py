"""Join the answers files of one service into one, with every response. Pure.

The files must describe the same service: the same organisation, stage and context, field by field (an
answer given in one file and absent from another is a difference: absent means *not known*). A respondent
label that two files share is most likely the same person entered twice, and is refused unless duplicates
are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peeradvisor.answers import Answers
from peeradvisor.errors import InputError, Problem


@dataclass(frozen=True)
class Merged:
    data: dict[str, Any]  # the joined answers file, in the contract's shape
    notes: list[str]


def merge(files: list[tuple[str, Answers]], *, allow_duplicates: bool = False) -> Merged:
    """One answers file from FILES (source name, answers), or InputError naming every file that differs."""
    if not files:
        raise InputError("merge", "give the answers files to join")
    first_source, first = files[0]
    problems = [p for source, answers in files[1:] if (p := difference(source, answers, first_source, first))]
    problems += [Problem("has an unfinished assessment; finish it first with: peeradvisor assess --resume "
                         f"{source}", source=source) for source, answers in files if answers.session]
    if not allow_duplicates:
        problems += duplicate_labels(files)
    if problems:
        raise InputError(first_source, problems=problems)
    data = service_fields(first)
    data.pop("assessed_on", None)
    dates = sorted({a.assessed_on for _, a in files if a.assessed_on is not None})
    notes = []
    if dates:
        data["assessed_on"] = dates[-1]
        if len(dates) > 1:
            notes.append(f"the files were assessed on {len(dates)} different dates; the joined file takes the "
                         f"latest, {dates[-1].isoformat()}")
    data["responses"] = [r.model_dump(mode="json", exclude_none=True) for _, a in files for r in a.responses]
    return Merged(data, notes)


def service_fields(answers: Answers) -> dict[str, Any]:
    """The file's fields other than its responses (format, organisation, date, stage, context) as it gives
    them: absent fields stay absent, except the stage, which is written out."""
    data = answers.model_dump(mode="json", exclude_unset=True, exclude_none=True,
                              exclude={"responses", "session"})
    if answers.assessed_on is not None:
        data["assessed_on"] = answers.assessed_on  # a date, written as one
    return {**data, "stage": answers.stage}


def difference(source: str, answers: Answers, first_source: str, first: Answers) -> Problem | None:
    """The first field in which ANSWERS describes another service than FIRST, e.g.
    `b.yaml: context.setting: inpatient here, community in a.yaml`."""
    here, there = _fields(answers), _fields(first)
    for path in [*there, *(p for p in here if p not in there)]:
        if here.get(path) != there.get(path):
            return Problem(f"{_shown(here.get(path))} here, {_shown(there.get(path))} in {first_source}; "
                           "the files must describe the same service", path, source=source)
    return None


def _fields(answers: Answers) -> dict[str, Any]:
    data = {"organisation": answers.organisation, "stage": answers.stage,
            "context": answers.context.model_dump(mode="json", exclude_none=True)}
    return dict(_flatten(data, ""))


def _flatten(data: dict[str, Any], prefix: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            out += _flatten(value, f"{prefix}{key}.")
        else:
            out.append((f"{prefix}{key}", value))
    return out


def _shown(value: Any) -> str:
    if value is None:
        return "not given"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and (" " in value or not value):
        return f'"{value[:60]}"'
    return str(value)


def duplicate_labels(files: list[tuple[str, Answers]]) -> list[Problem]:
    """A label (ignoring case and spacing) that an earlier file already has, named where it is and where it
    was first. Repeats inside one file were accepted when that file was made, and are left alone."""
    seen: dict[str, tuple[str, int]] = {}
    problems = []
    for source, answers in files:
        mine: dict[str, tuple[str, int]] = {}
        for n, response in enumerate(answers.responses):
            key = " ".join((response.respondent.label or "").casefold().split())
            if not key:
                continue
            if key in seen:
                where, m = seen[key]
                problems.append(Problem(
                    f'"{response.respondent.label}" is also the label of {where} responses[{m}]: the same '
                    "person twice? Label different people apart, or give --allow-duplicates",
                    f"responses[{n}].respondent.label", source=source))
            mine.setdefault(key, (source, n))
        seen = {**mine, **seen}
    return problems
