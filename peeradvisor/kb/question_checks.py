"""Cross-checks for knowledge/questions.yaml: every question fills a contract field, with its exact words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peeradvisor import vocab
from peeradvisor.errors import KnowledgeError

if TYPE_CHECKING:
    from .questions import ChoiceSpec, QuestionsFile, QuestionSpec

IMPORTANCE_VALUES: tuple[Any, ...] = (4, 3, 2, 1, "dont_know", "not_relevant")
REQUIRED = ("organisation", "context.employer", "context.setting")


def contract_values(question_id: str) -> tuple[Any, ...] | None:
    """The values the contract allows for a field path (None: free text or a number)."""
    if question_id == "stage":
        return vocab.STAGES
    if question_id == "respondent.group":
        return vocab.GROUPS
    if question_id.startswith("context."):
        return vocab.CONTEXT_FIELDS.get(question_id.removeprefix("context."))
    return None


def _same(values: list[Any], expected: tuple[Any, ...]) -> bool:
    def key(v: Any) -> tuple[str, Any]:
        return (type(v).__name__, v)  # keeps True apart from 1

    return sorted(map(key, values)) == sorted(map(key, expected))


def _check_choices(choices: list[ChoiceSpec], expected: tuple[Any, ...] | None, where: str,
                   source: str) -> None:
    values = [c.value for c in choices]
    if expected is None:
        if values:
            raise KnowledgeError(source, "a free-text or number field takes no choices", where)
        return
    if not _same(values, expected):
        words = ", ".join(map(str, expected))
        raise KnowledgeError(source, f"choices must be exactly the contract's words: {words}", where)


def _check_question(q: QuestionSpec, where: str, seen: dict[str, QuestionSpec], sections: set[str],
                    source: str) -> None:
    if q.section not in sections:
        raise KnowledgeError(source, f"unknown section {q.section!r}", f"{where}.section")
    if q.id in seen:
        raise KnowledgeError(source, f"duplicate question id {q.id!r}", f"{where}.id")
    expected = contract_values(q.id)
    if q.kind == "choice" and expected is None:
        raise KnowledgeError(source, f"{q.id!r} is not a field with fixed values", f"{where}.kind")
    _check_choices(q.choices, expected if q.kind == "choice" else None, f"{where}.choices", source)
    for n, cond in enumerate(q.applies_when):
        for path, values in cond.items():
            earlier = seen.get(path)
            if earlier is None:
                raise KnowledgeError(source, f"{path!r} must be a question asked earlier",
                                     f"{where}.applies_when[{n}]")
            allowed = [c.value for c in earlier.choices]
            if any(v not in allowed for v in values):
                raise KnowledgeError(source, f"values for {path!r} must be among {allowed}",
                                     f"{where}.applies_when[{n}]")
    if q.at_most and (q.at_most not in seen or seen[q.at_most].kind != "integer"):
        raise KnowledgeError(source, f"at_most {q.at_most!r} must be an integer question asked earlier",
                             f"{where}.at_most")
    if q.id in REQUIRED and not q.required:
        raise KnowledgeError(source, f"{q.id} is required by the contract; set required: true", where)
    seen[q.id] = q


def check_spec(spec: QuestionsFile, source: str) -> None:
    """Raise KnowledgeError (file + field path) for the first problem found."""
    sections = {s.id for s in spec.sections}
    seen: dict[str, QuestionSpec] = {}
    for n, q in enumerate(spec.questions):
        if q.id not in ("organisation", "stage") and not q.id.startswith("context."):
            raise KnowledgeError(source, f"{q.id!r} is not an answers-file field", f"questions[{n}].id")
        if q.id.startswith("context.") and contract_values(q.id) is None \
                and q.id.removeprefix("context.") not in vocab.CONTEXT_FIELDS:
            raise KnowledgeError(source, f"{q.id!r} is not a context field of the contract",
                                 f"questions[{n}].id")
        _check_question(q, f"questions[{n}]", seen, sections, source)
    missing = [f for f in vocab.CONTEXT_FIELDS if ("stage" if f == "stage" else f"context.{f}") not in seen]
    if missing or "organisation" not in seen:
        raise KnowledgeError(source, f"no question asks for: {', '.join(missing) or 'organisation'}",
                             "questions")
    for n, q in enumerate(spec.respondent):
        _check_question(q, f"respondent[{n}]", seen, sections, source)
    if [q.id for q in spec.respondent] != ["respondent.group", "respondent.label"]:
        raise KnowledgeError(source, "must ask respondent.group, then respondent.label", "respondent")
    inv = spec.inventory
    _check_choices(inv.happening.choices, vocab.HAPPENING, "inventory.happening.choices", source)
    _check_choices(inv.importance.choices, IMPORTANCE_VALUES, "inventory.importance.choices", source)
    if set(inv.planning) != set(vocab.ITEM_IDS):
        raise KnowledgeError(source, "planning must re-word each of the 40 items exactly once",
                             "inventory.planning")
    if inv.section not in sections or spec.top3.section not in sections:
        raise KnowledgeError(source, "unknown section", "inventory.section")
    if spec.top3.id != "top3" or spec.top3.kind != "items":
        raise KnowledgeError(source, "the top3 question needs id: top3 and kind: items", "top3")
