"""Turn what someone typed into an answer (or a command), or say clearly why it is not one. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from peeradvisor import vocab

from ..kb.questions import Choice, Question

COMMANDS = {"?": "help", "help": "help", "back": "back", "skip": "skip", "review": "review", "quit": "quit",
            "finish": "finish"}
Pairs = list[tuple[str, Any]]


class AnswerError(ValueError):
    """The text is not a valid answer to this question; the message says what would be."""


def norm(text: str) -> str:
    """'Don't know' -> 'dont_know'; 'not relevant' -> 'not_relevant'."""
    text = text.strip().lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[\s\-]+", "_", text)


def command(text: str) -> str | None:
    return COMMANDS.get(text.strip().lower())


def numbered(question: Question) -> bool:
    """Service questions list numbered choices; inventory answers are typed as words (4 means importance)."""
    return not question.part and not any(type(c.value) is int for c in question.choices)


def words(question: Question) -> str:
    return ", ".join(c.word for c in question.choices)


def parse(question: Question, text: str, lookup: Callable[[str], Any]) -> Pairs:
    """The (question id, value) pairs this text answers; raises AnswerError with what to type instead."""
    text = text.strip()
    if question.kind == "choice":
        return _choice_pairs(question, text)
    if question.kind == "integer":
        return [(question.id, _integer(question, text, lookup))]
    if question.kind == "items":
        return [(question.id, parse_items(text))]
    return [(question.id, _text(question, text))]


def _choice_pairs(question: Question, text: str) -> Pairs:
    parts = text.split()
    if question.part == "happening" and len(parts) >= 2:
        importance = question.id.replace(".happening", ".importance")
        try:
            value = choose(question, " ".join(parts[:-1]))
            imp = _importance_word(parts[-1])
        except AnswerError:
            pass
        else:
            return [(question.id, value), (importance, imp)]
    return [(question.id, choose(question, text))]


def _importance_word(text: str) -> Any:
    key = norm(text)
    if key in {"1", "2", "3", "4"}:
        return int(key)
    if key in {"dont_know", "not_relevant"}:
        return key
    raise AnswerError(text)


def choose(question: Question, text: str) -> Any:
    key = norm(text)
    if not key:
        raise AnswerError(f"type one of: {words(question)}")
    choices = question.choices
    for choice in choices:
        if key in _exact(choice):
            return choice.value
    if key.isdigit() and numbered(question):
        n = int(key)
        if 1 <= n <= len(choices):
            return choices[n - 1].value
        raise AnswerError(f"{text} is not one of the numbers listed (1-{len(choices)})")
    for pool in ((c.word for c in choices), (norm(c.label) for c in choices)):
        found = _prefixed(choices, key, list(pool))
        if len(found) == 1:
            return found[0].value
        if len(found) > 1:
            either = " or ".join(c.word for c in found)
            raise AnswerError(f"{text!r} could be {either}; type more of the word")
    hint = " (A and B together: e.g. yes 4)" if question.part == "happening" else ""
    raise AnswerError(f"{text!r} is not an answer here; type one of: {words(question)}{hint}")


def _exact(choice: Choice) -> set[str]:
    out = {choice.word}
    if isinstance(choice.value, bool):
        out.add("true" if choice.value else "false")
    return out


def _prefixed(choices: tuple[Choice, ...], key: str, pool: list[str]) -> list[Choice]:
    found: list[Choice] = []
    for choice, word in zip(choices, pool, strict=True):
        if word.startswith(key) and choice not in found:
            found.append(choice)
    return found


def _integer(question: Question, text: str, lookup: Callable[[str], Any]) -> int:
    if not re.fullmatch(r"\d+", text.replace(",", "")):
        raise AnswerError(f"{text!r} is not a whole number; type digits, e.g. 12")
    value = int(text.replace(",", ""))
    low = question.minimum if question.minimum is not None else 0
    if value < low:
        raise AnswerError(f"must be at least {low}")
    if question.maximum is not None and value > question.maximum:
        raise AnswerError(f"must be at most {question.maximum:,}")
    limit = lookup(question.at_most) if question.at_most else None
    if isinstance(limit, int) and value > limit:
        raise AnswerError(f"{value} is more than the team size you gave ({limit}), which counts the peer "
                          f"workers too. Type a number from {low} to {limit}, or back to change the "
                          "team size")
    return value


def _text(question: Question, text: str) -> str:
    if not text:
        raise AnswerError("type some words, or skip")
    limit = question.max_length
    if limit and len(text) > limit:
        raise AnswerError(f"is {len(text)} characters long; at most {limit}")
    return text


def parse_items(text: str) -> list[str]:
    """'2.1, 5.8 5.2' -> ['2.1', '5.8', '5.2']: up to three distinct item ids."""
    ids = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
    if not ids:
        raise AnswerError("type up to three item numbers, e.g. 2.1 5.8 5.2, or skip")
    unknown = [t for t in ids if t not in vocab.ITEM_IDS]
    if unknown:
        raise AnswerError(f"{unknown[0]!r} is not an item number; items are 1.1-1.8, 2.1-2.8, 3.1-3.4, "
                          "4.1-4.6, 5.1-5.9 and 6.1-6.5 (type ? to list them)")
    if len(set(ids)) != len(ids):
        raise AnswerError("each item can be chosen once")
    if len(ids) > 3:
        raise AnswerError(f"choose at most three items (you typed {len(ids)})")
    return ids
