"""A re-assessment in a manager's words: which answers changed, why each finding came or went, what moved.

Pure and free of rich and jinja, so that the JSON report, the terminal and the memos share one wording. No
field paths, rule ids or scores: context answers by the labels of the memo's context table, items by their
short names, groups as knowledge/phrases.yaml names them."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from peeradvisor.analysis.since import AnswerChange, Cause, FindingChange, PriorityChange, Since, since_data
from peeradvisor.core.plain import context_clause
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.render.memo.words import ANSWER_WORDS, LABELS, clean, context_words
from peeradvisor.render.memo.words import long_date as _long_date
from peeradvisor.vocab import IMPORTANCE_WORDS

# Values in a change line: short, where the memo's context table spells them out in a sentence.
_SHORT = {
    "stage": {"planning": "planning", "new": "recently started", "established": "established"},
    "employer": {"nhs": "NHS trust", "voluntary": "voluntary sector", "partnership": "partnership"},
    "partner": {"voluntary": "voluntary sector", "social_care": "local authority social services"},
    "led_by": {"peer": "peer-led", "professional": "professionally led"},
    "setting": {"inpatient": "wards", "community": "community services", "bme": "BME-specific service",
                "other": "another setting"},
    "employment": {"paid": "paid", "volunteer": "volunteers", "mixed": "paid and volunteers"},
    "pay_framework": {"agenda_for_change": "Agenda for Change", "organisation_scale": "own pay scale",
                      "sessional": "sessional", "unpaid": "unpaid"},
    "recruitment_route": {"open": "open", "from_service": "from this service", "both": "both"},
}
# Yes/no context questions read better as the question's short form answered yes or no.
_YES_NO_LABELS = {"community_languages": "Many people served speak another language",
                  "staffing_pressure": "Often short-staffed",
                  "executive_turnover": "Senior leadership changed recently or often"}
# Context answers whose label is a noun read "X changed from A to B"; the others ("Peer workers can meet
# and support one another") read as what is now so, in the words of knowledge/phrases.yaml.
_NOUNS = frozenset({"stage", "employer", "partner", "led_by", "setting", "setting_detail", "employment",
                    "pay_framework", "recruitment_route", "funding", "supervision.one_to_one",
                    "culture.reflective_practice", "culture.open_about_mental_health"})
_NUMBERS = {"team_size": "the team size", "peer_workers": "the number of peer workers"}
_CLAUSES = 2  # answers named in one "because"; the rest are counted


def long_date(iso: str | None) -> str | None:
    """2026-11-25 -> 25 November 2026."""
    if not iso:
        return None
    return _long_date(dt.date.fromisoformat(iso))


def heading(since: Since) -> str:
    date = long_date(since.previous_date)
    return f"What changed since {date}" if date else "What changed since the earlier assessment"


def _label(change: AnswerChange, kb: KnowledgeBase) -> str:
    if change.kind == "context":
        field = change.field or ""
        return _YES_NO_LABELS.get(field) or LABELS.get(field, field.replace("_", " "))
    if change.kind == "respondents":
        return "People who answered"
    item = kb.items.get(change.item or "")
    return item.short if item else f"Question {change.item}"


def _value(change: AnswerChange, value: Any) -> str:
    if value is None:
        return "not answered" if change.kind in ("item", "group") else "not known"
    field = change.field or ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "setting_detail":
        return f"“{clean(str(value))}”"
    if change.kind in ("context", "item"):
        return _SHORT.get(field, {}).get(value) or context_words(field, value)
    if change.kind == "group":
        return " or ".join(ANSWER_WORDS.get(v, v) for v in str(value).split("/"))
    return f"{value:g}" if isinstance(value, float) else str(value)


def change_line(change: AnswerChange, kb: KnowledgeBase) -> str:
    """`One-to-one supervision: none → ad hoc`."""
    return f"{_label(change, kb)}: {_value(change, change.before)} → {_value(change, change.after)}"


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _item_part(change: AnswerChange) -> str:
    """What happened to one item's answer: `changed from no to partly`, `is now rated quite important`."""
    before, after = _value(change, change.before), _value(change, change.after)
    if change.kind == "item":
        if change.before is None:
            return f"is now answered {after}"
        return f"changed from {before} to {after}" if change.after is not None else "is no longer answered"
    if change.kind == "importance":
        was = f" (was {_rating(change.before)})" if change.before is not None else ""
        return f"is now rated {_rating(change.after)}{was}" if change.after is not None else "is no longer rated"
    if not change.after:
        return "is no longer in anyone's top three"
    return f"is now in {'someone' if change.after == 1 else f'{after} people'}'s top three"


def _rating(value: Any) -> str:
    if isinstance(value, int | float) and float(value).is_integer() and int(value) in IMPORTANCE_WORDS:
        return IMPORTANCE_WORDS[int(value)]
    return f"{value:g} out of 4 on average" if isinstance(value, float) else str(value)


def _clauses(changes: list[AnswerChange], kb: KnowledgeBase) -> list[str]:
    """Each change as a clause; an item's answer, rating and top-three changes in one clause."""
    groups: OrderedDict[tuple[str, object], list[AnswerChange]] = OrderedDict()
    for n, change in enumerate(changes):
        key = ("item", change.item) if change.kind in ("item", "importance", "top3") else ("one", n)
        groups.setdefault(key, []).append(change)
    out: list[str] = []
    for (kind, _), group in groups.items():
        if kind == "item":
            out.append(f"“{_label(group[0], kb)}” " + _and([_item_part(c) for c in group]))
        else:
            out.append(_other_clause(group[0], kb))
    return list(dict.fromkeys(out))


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _other_clause(change: AnswerChange, kb: KnowledgeBase) -> str:
    label = _label(change, kb)
    before, after = _value(change, change.before), _value(change, change.after)
    if change.kind == "context":
        return _context_clause(change, label, before, after, kb)
    if change.kind == "respondents":
        return f"the number of people who answered went from {before} to {after}"
    if change.kind == "disagreement":
        return f"people now disagree about “{label}”" if change.after else f"people now agree about “{label}”"
    assert kb.phrases is not None
    group = kb.phrases.group.get(change.group or "", change.group or "someone")
    if change.before is None:
        return f"{group} now answer “{label}” {after}"
    return f"{group}'{'' if group.endswith('s') else 's'} answer to “{label}” changed from {before} to {after}"


def _context_clause(change: AnswerChange, label: str, before: str, after: str, kb: KnowledgeBase) -> str:
    field = change.field or ""
    if field in _NUMBERS and change.before is not None and change.after is not None:
        return f"{_NUMBERS[field]} went from {before} to {after}"
    if field in _NOUNS or change.after is None:
        return f"{_lower(label)} changed from {before} to {after}"
    now = context_clause(kb, field, change.after)  # "peer workers can meet and support one another"
    return f"now {now}" if now else f"{_lower(label)} changed from {before} to {after}"


def _because(changes: list[AnswerChange], kb: KnowledgeBase) -> str:
    clauses = _clauses(changes, kb)
    named, rest = clauses[:_CLAUSES], len(clauses) - _CLAUSES
    if rest > 0:
        named.append(f"{rest} other answer{'s' if rest > 1 else ''} changed")
    return _and(named)


def cause_text(change: FindingChange, kb: KnowledgeBase) -> str:
    """Why a finding came (`rank` set) or went, as one clause: `appeared because …`, `because …`."""
    cause, new = change.cause, change.rank is not None
    if cause is None:
        return ""
    if cause.kind == "rules":
        return ("appeared with the changed rules, not a change in the answers" if new
                else "no longer given by the changed rules, not a change in the answers")
    if cause.kind == "replaced":
        return _replaced(cause, new, kb)
    if cause.kind == "answers" and cause.changes:
        return f"{'appeared ' if new else ''}because {_because(cause.changes, kb)}"
    return "appeared with other changes in the answers" if new else "went with other changes in the answers"


def _replaced(cause: Cause, new: bool, kb: KnowledgeBase) -> str:
    other = f"“{cause.title}”"
    if new:
        why = f" because {_because(cause.changes, kb)}" if cause.changes else ""
        return f"said before, more specifically, as {other}, which no longer applies{why}"
    return f"now said more specifically as {other}"


def cause_sentence(change: FindingChange, kb: KnowledgeBase) -> str:
    """`Appeared because one-to-one supervision changed from none to ad hoc.`"""
    text = cause_text(change, kb)
    return _upper(text) + "." if text else ""


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def priority_line(change: PriorityChange) -> str:
    if change.rank is not None:
        return f"New in Start here: {change.title}"
    why = "its findings no longer apply" if change.done else "other points now come first"
    return f"No longer in Start here: {change.title} ({why})"


def moved_line(change: FindingChange) -> str:
    if change.priority and not change.previous_priority:
        return f"Now part of Start here: {change.title}"
    if change.previous_priority and not change.priority:
        return f"No longer part of Start here: {change.title}"
    places = abs(change.shift)
    return f"{'Up' if change.shift > 0 else 'Down'} {places} places: {change.title}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(since: Since) -> str:
    """One sentence: how much changed. `9 answers changed; 4 findings no longer apply and 1 is new; …`"""
    answers = _count(len(since.answers), "answer", "answers") + " changed" if since.answers else "no answer changed"
    gone, new = len(since.resolved), len(since.new)
    went = _count(gone, "finding no longer applies", "findings no longer apply") if gone else \
        "every earlier finding still applies"
    came = f"{new} {'is' if new == 1 else 'are'} new" if new else "none is new"
    findings = f"{went} and {came}" if gone or new else "no finding came or went"
    start = [_count(len(since.priorities_new), "new point", "new points") if since.priorities_new else "",
             _count(len(since.priorities_dropped), "point left", "points left") if since.priorities_dropped else ""]
    tail = "Start here has " + " and ".join(p for p in start if p) if any(start) else "Start here is the same"
    return _upper(f"{answers}; {findings}; {tail}.")


def gist(since: Since) -> str:
    """The summary as one sentence for a memo's opening paragraph: `Since 25 November 2026, 9 answers …`."""
    when = long_date(since.previous_date) or "the earlier assessment"
    text = summary(since)
    return f"Since {when}, {text[:1].lower()}{text[1:]}"


def rules_note(since: Since) -> str:
    """Which rules made the two reports: a warning when they differ."""
    now, was = since.kb, since.previous_kb
    if not since.rules_changed:
        return (f"Both assessments were advised with the same rules (peeradvisor {now.version}, {now.rules} "
                "rules), so every change here comes from the answers.")
    by_rules = sum(1 for c in (*since.new, *since.resolved) if c.cause is not None and c.cause.kind == "rules")
    which = "no finding came or went with the rules alone" if not by_rules else (
        f"{_count(by_rules, 'finding', 'findings')} came or went with the rules rather than the answers, "
        f"and {'says' if by_rules == 1 else 'say'} so")
    return (f"The rules have changed since the earlier report: it was made with peeradvisor {was.version} "
            f"({was.rules} rules, knowledge base {was.sha256[:12]}), this one with peeradvisor {now.version} "
            f"({now.rules} rules, {now.sha256[:12]}); {which}.")


def organisation_note(since: Since) -> str | None:
    """What to check about the earlier file: another organisation, or a date after this assessment's."""
    notes = []
    if not since.same_organisation:
        notes.append(f"The earlier file names a different organisation ({clean(since.previous_organisation)}); "
                     "check that it is the same service.")
    if since.previous_date and since.date and since.previous_date > since.date:
        notes.append(f"The earlier file is dated {long_date(since.previous_date)}, after this assessment "
                     f"({long_date(since.date)}): were the two files given the other way round? Give the newer "
                     "file first and the older one after --since.")
    return " ".join(notes) or None


def since_json(since: Since, kb: KnowledgeBase) -> dict[str, Any]:
    """The JSON report's `since` key: the comparison as data, each change and cause with its words."""
    data = since_data(since)
    data["summary"] = summary(since)
    data["note"] = rules_note(since)
    for key in ("context", "answers"):
        changes = since.context if key == "context" else since.answers
        for entry, change in zip(data[key], changes, strict=True):
            entry["text"] = change_line(change, kb)
    for key in ("resolved", "new"):
        for entry, finding in zip(data[key], getattr(since, key), strict=True):
            if "cause" in entry:
                entry["cause"]["text"] = cause_sentence(finding, kb)
    for entry, finding in zip(data["moved"], since.moved, strict=True):
        entry["text"] = moved_line(finding)
    for key, moves in (("new", since.priorities_new), ("dropped", since.priorities_dropped)):
        for entry, move in zip(data["priorities"][key], moves, strict=True):
            entry["text"] = priority_line(move)
    return data
