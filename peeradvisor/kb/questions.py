"""The questionnaire as data: the ordered questions `assess` asks, built from the knowledge base.

The questions about the service come from knowledge/questions.yaml; the 40 inventory items (each
asked twice: A happening, B importance) come from the knowledge base's items; the 'top 3' closes it.
Pure: no I/O beyond reading that one file through the shared loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from peeradvisor import vocab
from peeradvisor.errors import InputError, KnowledgeError
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.validation import field_path
from peeradvisor.yamlio import load_file

Kind = Literal["choice", "text", "integer", "items"]
Scope = Literal["service", "response"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HelpSpec(_Model):
    what: str
    why: str
    study: str = ""
    source: list[str] = Field(default_factory=list)


class ChoiceSpec(_Model):
    value: str | bool | int
    label: str
    planning_label: str | None = None


class QuestionSpec(_Model):
    id: str
    section: str
    kind: Kind
    short: str
    prompt: str
    planning_prompt: str | None = None
    choices: list[ChoiceSpec] = Field(default_factory=list)
    applies_when: list[dict[str, list[str | bool]]] = Field(default_factory=list)
    at_most: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    required: bool = False
    help: HelpSpec


class SectionSpec(_Model):
    id: str
    title: str


class PartSpec(_Model):
    prompt: str
    planning_prompt: str
    choices: list[ChoiceSpec]
    help: HelpSpec


class InventorySpec(_Model):
    section: str
    happening: PartSpec
    importance: PartSpec
    planning_help: str
    planning: dict[str, str]


class QuestionsFile(_Model):
    sections: list[SectionSpec]
    questions: list[QuestionSpec]
    respondent: list[QuestionSpec]
    inventory: InventorySpec
    top3: QuestionSpec


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    planning_label: str

    @property
    def word(self) -> str:
        """What to type: the contract's word (booleans are typed yes / no)."""
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        return str(self.value)


@dataclass(frozen=True)
class Help:
    what: str
    why: str
    study: str = ""
    source: tuple[str, ...] = ()
    planning: str = ""  # shown to services still planning
    answer: str = ""  # how to answer (inventory items)


@dataclass(frozen=True)
class Question:
    """One prompt. `id` is the answers-file field path it fills (inventory ones relative to the response)."""

    id: str
    section: str
    kind: Kind
    short: str
    prompt: str
    help: Help
    scope: Scope = "service"
    planning_prompt: str = ""
    choices: tuple[Choice, ...] = ()
    applies_when: tuple[tuple[tuple[str, tuple[Any, ...]], ...], ...] = ()
    at_most: str = ""
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    required: bool = False
    item: str = ""  # inventory item id
    part: str = ""  # happening | importance
    statement: str = ""  # the item's wording (or its planning re-wording: see statement_for)
    planning_statement: str = ""
    heading: str = ""  # the item's domain

    def prompt_for(self, stage: str | None) -> str:
        return self.planning_prompt if stage == "planning" and self.planning_prompt else self.prompt

    def statement_for(self, stage: str | None) -> str:
        if stage == "planning" and self.planning_statement:
            return self.planning_statement
        return self.statement

    def label_for(self, choice: Choice, stage: str | None) -> str:
        return choice.planning_label if stage == "planning" else choice.label


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Questionnaire:
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({q.id: i for i, q in enumerate(self.questions)})

    def index(self, question_id: str) -> int:
        return self._index[question_id]

    def get(self, question_id: str) -> Question:
        return self.questions[self._index[question_id]]

    def has(self, question_id: str) -> bool:
        return question_id in self._index

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def wording(self, question_id: str, stage: str | None = None) -> str:
        """How a person knows the question (never its field path): “How are the peer workers paid?”,
        or for an inventory part, item 1.8 “There are opportunities …” (A. Is this happening here?)."""
        if not self.has(question_id):
            return "a question this version no longer asks"
        q = self.get(question_id)
        if q.item:
            return f"item {q.item} “{q.statement_for(stage)}” ({q.prompt_for(stage)})"
        return f"“{q.prompt_for(stage)}”"


def questions_path(kb: KnowledgeBase) -> Path:
    return kb.root / "knowledge" / "questions.yaml"


def load_questionnaire(kb: KnowledgeBase, path: Path | None = None) -> Questionnaire:
    """Read knowledge/questions.yaml, check it against the contract, and build the ordered questions."""
    path = path or questions_path(kb)
    try:
        data = load_file(path)
    except InputError as exc:
        raise KnowledgeError(exc.source, problems=exc.problems) from None
    try:
        spec = QuestionsFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        msg = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        raise KnowledgeError(str(path), msg, field_path(tuple(err.get("loc", ())))) from None
    from .question_checks import check_spec

    check_spec(spec, str(path))
    return build(spec, kb)


def build(spec: QuestionsFile, kb: KnowledgeBase) -> Questionnaire:
    sections = tuple(Section(s.id, s.title) for s in spec.sections)
    order = [s.id for s in sections]
    service = sorted(spec.questions, key=lambda q: order.index(q.section))  # stable within a section
    questions = [_question(q, "service") for q in service]
    questions += [_question(q, "response") for q in spec.respondent]
    questions += _inventory(spec.inventory, kb)
    questions.append(_question(spec.top3, "response"))
    return Questionnaire(sections, tuple(questions))


def _choice(c: ChoiceSpec) -> Choice:
    return Choice(c.value, c.label, c.planning_label or c.label)


def _help(h: HelpSpec, planning: str = "") -> Help:
    return Help(h.what.strip(), h.why.strip(), h.study.strip(), tuple(h.source), planning.strip())


def _question(q: QuestionSpec, scope: Scope) -> Question:
    return Question(
        id=q.id, section=q.section, kind=q.kind, short=q.short, prompt=q.prompt, help=_help(q.help),
        scope=scope, planning_prompt=q.planning_prompt or "", choices=tuple(_choice(c) for c in q.choices),
        applies_when=tuple(tuple((k, tuple(v)) for k, v in cond.items()) for cond in q.applies_when),
        at_most=q.at_most or "", minimum=q.minimum, maximum=q.maximum, max_length=q.max_length,
        required=q.required)


def _inventory(spec: InventorySpec, kb: KnowledgeBase) -> list[Question]:
    domains = {d.id: d.title for d in kb.domains}
    out: list[Question] = []
    for item_id in vocab.ITEM_IDS:
        item = kb.items[item_id]
        for part_name, part in (("happening", spec.happening), ("importance", spec.importance)):
            help_ = Help(what=item.help.strip(), why=part.help.why.strip(), study=part.help.study.strip(),
                         source=(f"Chapter 3 › {_heading(kb, item_id)}", *part.help.source),
                         planning=spec.planning_help.strip(), answer=part.help.what.strip())
            out.append(Question(
                id=f"inventory.{item_id}.{part_name}", section=spec.section, kind="choice",
                short=f"{item_id} {'A' if part_name == 'happening' else 'B'} {item.short}",
                prompt=part.prompt, planning_prompt=part.planning_prompt, help=help_, scope="response",
                choices=tuple(_choice(c) for c in part.choices), item=item_id, part=part_name,
                statement=item.text, planning_statement=spec.planning.get(item_id, ""),
                heading=f"{item.domain} {domains.get(item.domain, '')}".strip()))
    return out


def _heading(kb: KnowledgeBase, item_id: str) -> str:
    item = kb.items[item_id]
    domain = next((d.heading for d in kb.domains if d.id == item.domain), "")
    return domain if item.heading == domain else f"{domain} › {item.heading}"
