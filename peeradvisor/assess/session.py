"""The questionnaire as a state machine: where we are, what has been answered, what applies. Pure.

`data` is always in the shape of the answers file (contract section 1) and holds only what has been
answered: an absent field means not known. `to_data()` adds the `session` extension field that
records the position, so a file saved at any moment can be resumed.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from peeradvisor import vocab

from ..kb.questions import Question, Questionnaire
from . import fields

Scope = Literal["full", "respondent"]
SESSION_VERSION = 1
END = "end"
REQUIRED_TO_SAVE = ("organisation", "context.employer", "context.setting")


_TOP_ORDER = ("format", "organisation", "assessed_on", "stage", "context", "responses")
_CONTEXT_ORDER = tuple(f.split(".")[0] for f in vocab.CONTEXT_FIELDS if f != "stage")


def _ordered(data: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    rank = {key: n for n, key in enumerate(dict.fromkeys(order))}
    return dict(sorted(data.items(), key=lambda kv: rank.get(kv[0], len(rank))))


class SessionError(ValueError):
    """A move the questionnaire cannot make (e.g. skipping a required question); the message says why."""


@dataclass(frozen=True)
class Progress:
    section_number: int
    section_count: int
    section_title: str
    number: int
    total: int

    def __str__(self) -> str:
        return (f"Section {self.section_number}/{self.section_count} · {self.section_title} · "
                f"question {self.number} of {self.total}")


class Session:
    """Answers so far plus the position in the questionnaire; every move is a method."""

    def __init__(self, questionnaire: Questionnaire, data: dict[str, Any], *, scope: Scope = "full",
                 response: int = 0, quick: bool = False) -> None:
        self.q = questionnaire
        self.data = data
        self.scope: Scope = scope
        self.response = response
        self.quick = quick  # items asked in the order an outside ranking gives (`reorder`), not the study's
        self.position = len(questionnaire.questions)
        self.returning: int | None = None  # where to go back to after an edit from the review
        self.pending: list[int] = []  # questions an edit made newly necessary, asked before returning
        self.finished = False

    # ------------------------------------------------------------------ starting
    @classmethod
    def new(cls, questionnaire: Questionnaire, today: dt.date | None = None, *, quick: bool = False) -> Session:
        data: dict[str, Any] = {"format": vocab.ANSWERS_FORMAT}
        if today is not None:
            data["assessed_on"] = today.isoformat()
        session = cls(questionnaire, data, quick=quick)
        session.position = session._next(0)
        return session

    @classmethod
    def add_respondent(cls, questionnaire: Questionnaire, data: dict[str, Any], group: str, *,
                       quick: bool = False) -> Session:
        """Another person's inventory for a service already described: the service is not asked again."""
        data = copy.deepcopy(data)
        data.pop("session", None)
        responses = data.setdefault("responses", [])
        responses.append({"respondent": {"group": group}, "inventory": {}, "top3": []})
        session = cls(questionnaire, data, scope="respondent", response=len(responses) - 1, quick=quick)
        session.position = session._next(0)
        return session

    @classmethod
    def resume(cls, questionnaire: Questionnaire, data: dict[str, Any]) -> Session:
        """Continue where the saved `session` field says; a finished file opens at the final review."""
        data = copy.deepcopy(data)
        saved = data.pop("session", None) or {}
        scope: Scope = "respondent" if saved.get("scope") == "respondent" else "full"
        response = saved.get("response", 0)
        if not isinstance(response, int) or response < 0:
            response = 0
        quick = saved.get("quick") is True
        order = saved.get("order")
        if quick and isinstance(order, list) and sorted(map(str, order)) == sorted(vocab.ITEM_IDS):
            questionnaire = reordered(questionnaire, [str(i) for i in order])
        session = cls(questionnaire, data, scope=scope, response=response, quick=quick)
        at = saved.get("at", END)
        if isinstance(at, str) and questionnaire.has(at):
            session.position = session._next(questionnaire.index(at))
        session.returning = session._index_or_none(saved.get("returning"))
        pending = map(session._index_or_none, saved.get("pending") or [])
        session.pending = [i for i in pending if i is not None]
        return session

    # ------------------------------------------------------------------ reading
    @property
    def stage(self) -> str | None:
        return self.data.get("stage")

    def current(self) -> Question | None:
        return None if self.at_end else self.q.questions[self.position]

    @property
    def at_end(self) -> bool:
        return self.position >= len(self.q.questions)

    def value(self, question_id: str) -> Any:
        """The answer recorded for this question, or None (absent means not known)."""
        return fields.get(self.data, self._path(question_id))

    def answered(self, question: Question) -> bool:
        return self.value(question.id) is not None

    def applies(self, question: Question, *, expect_response: bool = False) -> bool:
        """Whether this question is asked, given the answers so far (expect_response: count the
        inventory before the respondent group is answered, for progress)."""
        if self.scope == "respondent" and (question.scope == "service" or question.id == "respondent.group"):
            return False
        if self.quick and question.part == "importance":
            return False  # a quick assessment asks whether each item is happening, not how important it is
        if question.scope == "response" and question.id != "respondent.group" and not self.has_response() \
                and not expect_response:
            return False
        return self._conditions_hold(question)

    def _conditions_hold(self, question: Question) -> bool:
        if not question.applies_when:
            return True
        return any(all(self.value(f) in values for f, values in cond) for cond in question.applies_when)

    def has_response(self) -> bool:
        return len(self.data.get("responses") or []) > self.response

    def applicable(self, *, expect_response: bool = False) -> list[int]:
        return [i for i, q in enumerate(self.q.questions) if self.applies(q, expect_response=expect_response)]

    def progress(self) -> Progress | None:
        """Section n/m and question n of m, counting only the questions that apply."""
        question = self.current()
        if question is None:
            return None
        group = self.q.index("respondent.group")
        indices = self.applicable(expect_response=self.position <= group)
        sections = list(dict.fromkeys(self.q.questions[i].section for i in indices))
        number = indices.index(self.position) + 1 if self.position in indices else len(indices)
        return Progress(sections.index(question.section) + 1, len(sections),
                        self.q.section(question.section).title, number, len(indices))

    def so_far(self) -> list[Question]:
        """The questions to show on the review screen: every one reached so far, and any answered (in a
        quick assessment, only the items answered)."""
        return [self.q.questions[i] for i in self.applicable()
                if (i < self.position and not (self.quick and self.q.questions[i].item and not self._item_answered(
                    self.q.questions[i].item))) or self.answered(self.q.questions[i])]

    def _item_answered(self, item_id: str) -> bool:
        return any(self.value(f"inventory.{item_id}.{part}") is not None for part in ("happening", "importance"))

    def writable(self) -> bool:
        """An answers file needs these before it is valid under the contract."""
        return all(self.value(f) is not None for f in REQUIRED_TO_SAVE)

    # ------------------------------------------------------------------ moving
    def answer(self, pairs: list[tuple[str, Any]]) -> None:
        """Record answers (normally one; A and B together for an item) and move to the next question."""
        before = set(self.applicable())
        last = self.position
        for question_id, value in pairs:
            self._set(question_id, value)
            last = max(last, self.q.index(question_id))
            if question_id.endswith(".happening") and value == "not_relevant":
                last = max(last, self.q.index(question_id.replace(".happening", ".importance")))  # B not asked
        invalid = self._enforce_limits([qid for qid, _ in pairs])
        self._after_change(before, invalid, last)

    def skip(self) -> None:
        """Leave the current question unanswered (absent means not known) and move on."""
        question = self.current()
        if question is None:
            return
        if question.required:
            raise SessionError(f"{question.short} is needed: an answers file cannot be saved without it")
        if question.id == "respondent.group" and self.has_response():
            raise SessionError("this respondent already has answers, so the group is needed")
        before = set(self.applicable())
        self._delete(question.id)
        last = self.position
        if question.part == "happening":  # an item left unanswered: its importance is not asked either
            importance = question.id.replace(".happening", ".importance")
            self._delete(importance)
            last = self.q.index(importance)
        self._after_change(before, [], last)

    def back(self) -> bool:
        earlier = [i for i in self.applicable() if i < self.position]
        if not earlier:
            return False
        self.position = earlier[-1]
        question = self.q.questions[self.position]
        if question.part == "importance" and self.value(question.id) is None:
            # B was not asked (A skipped, or not relevant): go back to A
            happening = question.id.replace(".importance", ".happening")
            if self.value(happening) in (None, "not_relevant"):
                self.position = self.q.index(happening)
        return True

    def jump(self, question_id: str) -> None:
        """Go to a question to change it; after answering, come back here."""
        index = self.q.index(question_id)
        if not self.applies(self.q.questions[index]):
            raise SessionError(f"{self.q.wording(question_id, self.stage)} does not apply, given the answers so far")
        if self.returning is None and index != self.position:
            self.returning = self.position
        self.position = index

    def items_left(self) -> list[str]:
        """Items this respondent has not reached yet (their A is at or after the position), in order."""
        out = []
        for i in range(self.position, len(self.q.questions)):
            question = self.q.questions[i]
            if question.part == "happening" and self.value(question.id) is None and self.applies(question):
                out.append(question.item)
        return out

    def in_items(self) -> bool:
        """Whether the next question is an item's A (where a quick assessment may reorder what follows)."""
        question = self.current()
        return question is not None and question.part == "happening" and self.returning is None \
            and not self.pending

    def reorder(self, first: list[str]) -> None:
        """Ask the items not reached yet with FIRST first (then the others in the study's order)."""
        if not self.in_items():
            return
        order = [q.item for q in self.q.questions if q.part == "happening"]
        start = order.index(self.q.questions[self.position].item)
        reached, rest = order[:start], order[start:]
        rest = [i for i in first if i in rest] + [i for i in rest if i not in first]
        self.q = reordered(self.q, reached + rest)

    def stop_items(self) -> None:
        """Leave the remaining items unanswered and go to the final review (a quick assessment's finish)."""
        self.position = len(self.q.questions)
        self.returning, self.pending = None, []

    def finish(self) -> None:
        """The questionnaire is complete: the saved file no longer carries a position."""
        self.position = len(self.q.questions)
        self.returning, self.pending, self.finished = None, [], True

    # ------------------------------------------------------------------ writing
    def to_data(self) -> dict[str, Any]:
        """The answers file's content, fields in the contract's order, plus the position while questions
        remain (at the end there is only the review left, and a file without a position opens there)."""
        data = _ordered(copy.deepcopy(self.data), _TOP_ORDER)
        if isinstance(data.get("context"), dict):
            data["context"] = _ordered(data["context"], _CONTEXT_ORDER)
        current = self.current()
        if current is not None and not self.finished:
            session: dict[str, Any] = {"questionnaire": SESSION_VERSION, "scope": self.scope,
                                       "response": self.response, "at": current.id}
            if self.returning is not None:
                session["returning"] = self._id(self.returning)
            if self.pending:
                session["pending"] = [self._id(i) for i in self.pending]
            if self.quick:
                session["quick"] = True
                session["order"] = [q.item for q in self.q.questions if q.part == "happening"]
            data["session"] = session
        return data

    # ------------------------------------------------------------------ internals
    def _after_change(self, before: set[int], invalid: list[str], last: int) -> None:
        self._prune()
        after = set(self.applicable())
        if self.returning is not None:
            wanted = (after - before) | {self.q.index(q) for q in invalid}
            if self._opens_the_rest(wanted, after, last):
                self.returning = None  # go on as a first pass would: a quick assessment orders the items
                self._advance(last)
                return
            for i in sorted(wanted):
                if i in after and i < self.returning and i not in self.pending \
                        and not self.answered(self.q.questions[i]):
                    self.pending.append(i)
        self._advance(last)

    def _opens_the_rest(self, wanted: set[int], after: set[int], last: int) -> bool:
        """An edit from the review (the respondent's group, once skipped) made every question after it newly
        needed: none of them answered, nothing before it. Asking them in a plain forward pass is the same as
        asking them as pending questions, except that the forward pass lets `--quick` order the items."""
        if self.returning is None or self.returning < len(self.q.questions):
            return False
        ahead = {i for i in after if i > last}
        return bool(ahead) and ahead <= wanted and all(i > last for i in wanted) \
            and not any(self.answered(self.q.questions[i]) for i in ahead)

    def _advance(self, last: int) -> None:
        if self.pending:
            self.position = self.pending.pop(0)
        elif self.returning is not None:
            target, self.returning = self.returning, None
            self.position = self._next(target)
        else:
            self.position = self._next(last + 1)

    def _next(self, start: int) -> int:
        for i in range(start, len(self.q.questions)):
            if self.applies(self.q.questions[i]):
                return i
        return len(self.q.questions)

    def _prune(self) -> None:
        """Drop answers to questions that no longer apply (partner after the employer changed)."""
        for question in self.q.questions:
            stale = not self._conditions_hold(question) and self.answered(question)
            if question.scope == "service" and stale:
                self._delete(question.id)

    def _enforce_limits(self, changed: list[str]) -> list[str]:
        dropped = []
        for question in self.q.questions:
            limit = self.value(question.at_most) if question.at_most in changed else None
            current = self.value(question.id)
            if isinstance(limit, int) and isinstance(current, int) and current > limit:
                self._delete(question.id)
                dropped.append(question.id)
        return dropped

    def _path(self, question_id: str) -> fields.Path:
        return fields.path_of(question_id, self.response)

    def _set(self, question_id: str, value: Any) -> None:
        if question_id == "respondent.group" and not self.has_response():
            responses = self.data.setdefault("responses", [])
            self.response = len(responses)
            responses.append({"respondent": {"group": value}, "inventory": {}, "top3": []})
            return
        fields.put(self.data, self._path(question_id), value)

    def _delete(self, question_id: str) -> None:
        fields.remove(self.data, self._path(question_id))

    def _id(self, index: int) -> str:
        return self.q.questions[index].id if index < len(self.q.questions) else END

    def _index_or_none(self, question_id: Any) -> int | None:
        if question_id == END:
            return len(self.q.questions)
        if isinstance(question_id, str) and self.q.has(question_id):
            return self.q.index(question_id)
        return None


def reordered(questionnaire: Questionnaire, items: list[str]) -> Questionnaire:
    """The same questionnaire with the inventory items (A then B of each) in this order."""
    questions = questionnaire.questions
    at = [i for i, q in enumerate(questions) if q.item]
    by_item: dict[str, list[Question]] = {q.item: [] for q in questions if q.item}
    for q in questions:
        if q.item:
            by_item[q.item].append(q)
    middle = [q for item_id in items for q in by_item[item_id]]
    return Questionnaire(questionnaire.sections, (*questions[:at[0]], *middle, *questions[at[-1] + 1:]))
