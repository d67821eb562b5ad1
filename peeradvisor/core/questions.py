"""Which unanswered question to ask next: each tried with every possible answer, ranked by what it would change.

Candidates are the context questions not answered (choices, yes/no, and the two numbers at the values where
the rules' thresholds fall) and, for each respondent, the inventory items they did not say are happening or
not (question A). An item is asked of the first respondent who has not answered it, unless another's answer
would change more (respondents of one stakeholder group who gave the item the same importance are alike: only
the first of them is tried). A file without respondents gets context questions only (adding a respondent takes
`assess --respondent`). Free text (the setting's description) is not tried.

Each answer's outcome is exact (`advise FILE --set PATH=VALUE` gives the report's findings plus `appear`
minus `go`). Questions come most first: those whose answers could change the priorities, then the
warnings and recommendations, then any finding; questions no answer would change are left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from .. import vocab
from ..answers import Answers
from ..facts import Entry, flatten_context
from ..kb.loader import KnowledgeBase
from ..kb.wording import wording
from ..report import NextQuestion, Outcome
from .edits import Edit, shown
from .probe import Effect, Probe

MAX_QUESTIONS = 5
NUMBERS = ("team_size", "peer_workers")
FREE_TEXT = ("setting_detail",)
WHO = {"peer_worker": "a peer worker", "service_user": "a service user", "coworker": "a coworker",
       "line_manager": "a line manager", "strategic_manager": "a strategic manager",
       "commissioner": "a commissioner"}


@dataclass(frozen=True)
class Candidate:
    """An unanswered question: its `--set` path, its words, the answers to try, and its place in the
    questionnaire (for ties)."""

    path: str
    question: str
    values: tuple[object, ...]
    order: int
    item: str = ""


@dataclass(frozen=True)
class Tried:
    """A candidate with the effect of each of its answers."""

    candidate: Candidate
    effects: tuple[Effect, ...]

    @property
    def weight(self) -> tuple[int, int, int, int]:
        """Priorities first, then warnings and recommendations, then any finding (most any answer changes)."""
        effects = self.effects
        return (max((e.priorities for e in effects), default=0), max((e.actionable for e in effects), default=0),
                max((e.size for e in effects), default=0), sum(e.size for e in effects))

    @property
    def matters(self) -> bool:
        return any(e.changed for e in self.effects)

    def outcomes(self) -> list[Outcome]:
        return [Outcome(value=shown(e.edits[0].value), appear=list(e.appear), go=list(e.go),
                        priorities=e.priorities) for e in self.effects]


def context_candidates(answers: Answers, kb: KnowledgeBase, probe: Probe) -> list[Candidate]:
    """Context questions not answered whose answers some rule reads."""
    from ..engine.facts import ContextFact, MeasureFact

    words = wording(kb)
    known = flatten_context(answers)
    out = []
    for order, (field, allowed) in enumerate(vocab.CONTEXT_FIELDS.items()):
        if field in known or field in FREE_TEXT or field in ("stage", "employer", "setting"):
            continue
        if field in NUMBERS:
            if not (probe.net.reads((ContextFact, field)) or probe.net.reads((MeasureFact, field))
                    or probe.net.reads((MeasureFact, "peer_share"))):
                continue
            values: tuple[object, ...] = number_values(field, answers, probe.net.bounds)
        elif allowed is None or not probe.net.reads((ContextFact, field)):
            continue
        else:
            values = allowed
        question = words.prompt(f"context.{field}", answers.stage) or field
        out.append(Candidate(f"context.{field}", question, values, order))
    return out


def number_values(field: str, answers: Answers, bounds: dict[str, tuple[float, ...]]) -> tuple[int, ...]:
    """Whole numbers either side of every threshold the rules compare this number (or the peer share) with."""
    team, peers = answers.context.team_size, answers.context.peer_workers
    found: set[int] = set()
    for bound in bounds.get(field, ()):
        found.update({math.floor(bound) - 1, math.floor(bound), math.floor(bound) + 1})
    for share in bounds.get("peer_share", ()):
        if field == "peer_workers" and team:
            found.update({math.floor(share * team), math.floor(share * team) + 1})
        elif field == "team_size" and peers and share > 0:
            found.update({math.floor(peers / share), math.floor(peers / share) + 1})
    low = 0 if field == "peer_workers" else max(1, peers or 1)
    high = team if field == "peer_workers" and team else 100_000
    return tuple(sorted(v for v in found if low <= v <= high))


def item_candidates(answers: Answers, kb: KnowledgeBase, probe: Probe,
                    responses: Sequence[int] | None = None) -> list[Candidate]:
    """Items a respondent has not answered (question A) whose answers some rule reads.

    Where no rule reads one group's answers to an item and nobody has said yes or no to it (so one more
    answer cannot make groups disagree), every respondent's answer would do the same: only the first is
    tried."""
    words = wording(kb)
    indices = list(range(len(answers.responses)) if responses is None else responses)
    out = []
    for order, item_id in enumerate(vocab.ITEM_IDS):
        divisive = _divisive(probe, item_id)
        if not (probe.reads_item(item_id) or divisive):
            continue
        entries = probe.entries(item_id)
        missing = [i for i in indices if entries[i][1] is None]  # question A not answered
        if len(missing) > 1:
            by_group = divisive or _reads_a_group(probe, item_id)
            missing = _alike_once(entries, missing) if by_group else missing[:1]
        text = words.item(kb.items[item_id].text, item_id, answers.stage)
        for index in missing:
            out.append(Candidate(f"responses[{index}].inventory.{item_id}", text + _who(answers, index),
                                 vocab.HAPPENING, 100 + order, item_id))
    return out


def _alike_once(entries: Sequence[Entry], missing: list[int]) -> list[int]:
    """The first of each set of respondents whose answer would do the same: the pooled facts count answers
    by stakeholder group (with the importance the respondent gave), not by who gave them. Keeps a survey of
    thousands to a handful of candidates per item."""
    seen: set[tuple[str, int | None]] = set()
    out = []
    for index in missing:
        group, _, importance = entries[index]
        if (group, importance) not in seen:
            seen.add((group, importance))
            out.append(index)
    return out


def _reads_a_group(probe: Probe, item_id: str) -> bool:
    """A rule reads one stakeholder group's answers to this item, so who answers matters."""
    from ..engine.facts import GroupAnswerFact

    return bool(probe.net.reads((GroupAnswerFact, item_id)))


def _divisive(probe: Probe, item_id: str) -> bool:
    """Someone said yes or no to this item, so one more answer could make stakeholder groups disagree (read
    from the pooled facts: each group's answers)."""
    summary = probe.facts.items.get(item_id)
    return summary is not None and any(answer in ("yes", "no") for answers in summary.group_answers.values()
                                       for answer in answers)


def _who(answers: Answers, index: int) -> str:
    if len(answers.responses) < 2:
        return ""
    respondent = answers.responses[index].respondent
    return f" (ask: {respondent.label})" if respondent.label else f" (ask {WHO[respondent.group]})"


def tried(probe: Probe, candidate: Candidate) -> Tried:
    """Each of the candidate's answers tried (answers no condition tells apart are tried once)."""
    effects: list[Effect] = []
    for value in candidate.values:
        twin = next((e for e in effects if candidate.item and value in _VAGUE and e.edits[0].value in _VAGUE
                     and probe.net.alike(candidate.item, str(value), str(e.edits[0].value))), None)
        edit = Edit(candidate.path, value)
        effects.append(replace(twin, edits=(edit,)) if twin else probe.effect([edit]))
    if candidate.path.split(".")[-1] in NUMBERS:
        return Tried(candidate, _regions(tuple(effects)))
    return Tried(candidate, tuple(effects))


_VAGUE = ("dont_know", "not_relevant")  # pooled with others, these count as no answer either way


def _regions(effects: tuple[Effect, ...]) -> tuple[Effect, ...]:
    """For a number: the first value of each run of values with the same outcome."""
    out: list[Effect] = []
    for effect in effects:
        if not out or (out[-1].appear, out[-1].go, out[-1].priorities) != (effect.appear, effect.go,
                                                                             effect.priorities):
            out.append(effect)
    return tuple(out)


def ranked(tries: Iterator[Tried] | list[Tried]) -> list[Tried]:
    """Those that change something, most first; an item once, asked of whoever's answer matters most."""
    kept = sorted((t for t in tries if t.matters),
                  key=lambda t: (tuple(-w for w in t.weight), t.candidate.order, t.candidate.path))
    seen: set[str] = set()
    out = []
    for t in kept:
        if t.candidate.item:
            if t.candidate.item in seen:
                continue
            seen.add(t.candidate.item)
        out.append(t)
    return out


def next_questions(probe: Probe, limit: int = MAX_QUESTIONS) -> list[NextQuestion]:
    """The unanswered questions whose answers would change the advice most (contract section 2b)."""
    answers, kb = probe.answers, probe.kb
    candidates = [*context_candidates(answers, kb, probe), *item_candidates(answers, kb, probe)]
    best = ranked(tried(probe, c) for c in candidates)[:limit]
    return [NextQuestion(path=t.candidate.path, question=t.candidate.question, outcomes=t.outcomes())
            for t in best]


# ------------------------------------------------------------------ one respondent, one item at a time
def item_order(probe: Probe, response: int, remaining: Sequence[str]) -> list[str]:
    """REMAINING items for this respondent, those whose answer could change the advice most first (as
    `next_questions` ranks them), then the others in the questionnaire's order."""
    wanted = set(remaining)
    candidates = [c for c in item_candidates(probe.answers, probe.kb, probe, [response]) if c.item in wanted]
    first = [t.candidate.item for t in ranked(tried(probe, c) for c in candidates)]
    return first + [i for i in vocab.ITEM_IDS if i in wanted and i not in first]


def priorities_settled(probe: Probe, response: int, remaining: Sequence[str]) -> bool:
    """Whether no answer to whether any one of the REMAINING items is happening would change the
    priorities, for this respondent (every item and answer is tried)."""
    for item_id in remaining:
        path = f"responses[{response}].inventory.{item_id}"
        for value in vocab.HAPPENING:
            if probe.effect([Edit(path, value)]).priorities:
                return False
    return True
