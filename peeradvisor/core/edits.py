"""One answer changed, quickly: the answers as `--set PATH=VALUE` would leave them, without a YAML round trip.

Only the paths next questions, levers and `assess --quick` try are handled: `context.FIELD`,
`context.supervision.FIELD`, `context.culture.FIELD`, `responses[N].inventory.ID` (question A: what is
happening; an importance answer already given is kept) and `responses[N].inventory.ID.importance`.
The values are already the contract's (validated by the caller's choice of them), so nothing is re-validated;
tests/test_questions.py checks that `--set` gives the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..answers import Answers, ItemAnswer

ITEM_PATH = re.compile(r"responses\[(\d+)\]\.inventory\.(\d\.\d)(\.importance)?")


@dataclass(frozen=True)
class Edit:
    """Set the answer at PATH (the `--set` syntax) to VALUE."""

    path: str
    value: Any

    def spec(self) -> str:
        """`PATH=VALUE` as typed after `--set`."""
        return f"{self.path}={shown(self.value)}"


def shown(value: Any) -> str:
    """A value as typed on the command line and in the answers file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def apply(answers: Answers, edits: tuple[Edit, ...] | list[Edit]) -> Answers:
    """The answers with each edit made."""
    for edit in edits:
        answers = _one(answers, edit)
    return answers


def _one(answers: Answers, edit: Edit) -> Answers:
    found = ITEM_PATH.fullmatch(edit.path)
    if found:
        return _item(answers, int(found[1]), found[2], edit.value, importance=bool(found[3]))
    parts = edit.path.split(".")
    if parts[0] != "context" or len(parts) not in (2, 3):
        raise ValueError(f"cannot apply {edit.path}")
    context = answers.context
    if len(parts) == 3:
        part = getattr(context, parts[1])
        context = context.model_copy(update={parts[1]: part.model_copy(update={parts[2]: edit.value})})
    else:
        context = context.model_copy(update={parts[1]: edit.value})
    return answers.model_copy(update={"context": context})


def _item(answers: Answers, index: int, item_id: str, value: Any, *, importance: bool) -> Answers:
    response = answers.responses[index]
    old = response.inventory.get(item_id) or ItemAnswer()
    new = old.model_copy(update={"importance" if importance else "happening": value})
    inventory = {**response.inventory, item_id: new}
    responses = list(answers.responses)
    responses[index] = response.model_copy(update={"inventory": inventory})
    return answers.model_copy(update={"responses": responses})
