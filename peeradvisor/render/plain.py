"""Facts, conditions and what-if changes in a team's words, for a trainer's screen and handouts.

`Team has 20 staff`, `Distinct team function (5.8): not happening`, `What if: Often short-staffed: no
(was yes)` — never a field path, a rule id or a fact name. The words come from the knowledge base: the
questionnaire's short labels and answer labels (knowledge/questions.yaml), the items' short labels
(knowledge/items.yaml) and the plain labels of derived facts (analysis.steps.fact_label).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from peeradvisor.analysis.steps import fact_label
from peeradvisor.analysis.trace import lookup
from peeradvisor.analysis.whatif import Change, split_path
from peeradvisor.core.describe import value_text
from peeradvisor.engine.facts import (
    ContextFact,
    DerivedFact,
    DivergentFact,
    Fact,
    GroupAnswerFact,
    ItemFact,
    MeasureFact,
)
from peeradvisor.kb.conditions import (
    AllCondition,
    AnyCondition,
    ContextCondition,
    DerivedCondition,
    DivergentCondition,
    ItemCondition,
    MeasureCondition,
    NotCondition,
)
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.kb.questions import Questionnaire, load_questionnaire

HAPPENING = {"yes": "happening", "partly": "partly happening", "no": "not happening",
             "dont_know": "not known", "not_relevant": "not relevant"}
GROUP = {"peer_worker": "peer worker", "service_user": "service user", "coworker": "coworker",
         "line_manager": "line manager", "strategic_manager": "strategic manager", "commissioner": "commissioner"}
MEASURE = {"team_size": "Team size", "peer_workers": "Peer workers", "respondents": "People who answered",
           "groups": "Stakeholder groups who answered", "items_answered": "Inventory items answered"}
SIGN = {"lt": "under", "le": "at most", "gt": "over", "ge": "at least", "eq": "is"}
# Short words for answers whose questionnaire label is a whole phrase (the label is used otherwise).
VALUE_WORDS: dict[str, dict[Any, str]] = {
    "employer": {"nhs": "NHS trust", "voluntary": "voluntary sector", "partnership": "partnership"},
    "setting": {"inpatient": "inpatient ward", "community": "community service", "bme": "BME-specific service",
                "other": "other specialist setting"},
    "partner": {"voluntary": "voluntary sector", "social_care": "local authority social services"},
    "led_by": {"peer": "peer-led", "professional": "professionally led"},
    "stage": {"planning": "planning (no peer workers yet)", "new": "new (peer workers recently started)",
              "established": "established"},
    "employment": {"volunteer": "volunteers", "mixed": "paid and volunteers"},
    "pay_framework": {"agenda_for_change": "NHS Agenda for Change", "organisation_scale": "the employer's own scale",
                      "sessional": "by the session or hour"},
    "recruitment_route": {"open": "open recruitment", "from_service": "from the people the service serves"},
    "funding": {"recurrent": "recurrent", "pilot": "pilot or time-limited", "none": "not secured yet"},
    "supervision.one_to_one": {"regular": "regular and planned", "ad_hoc": "only when needed, not planned"},
}


@dataclass(frozen=True)
class Plain:
    """Plain wording, for one knowledge base."""

    kb: KnowledgeBase
    questions: Questionnaire

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Plain:
        return _plain(kb)

    # ------------------------------------------------------------------ labels
    def field(self, path: str) -> str:
        """`context.staffing_pressure` -> `Often short-staffed`."""
        qid = path if path in ("stage", "organisation") else f"context.{path.removeprefix('context.')}"
        return self.questions.get(qid).short if self.questions.has(qid) else path.rsplit(".", 1)[-1].replace(
            "_", " ").capitalize()

    def value(self, path: str, value: Any) -> str:
        """An answer as its label: `context.supervision.one_to_one`, `ad_hoc` -> `only when needed, not planned`."""
        short = path.removeprefix("context.")
        if value in VALUE_WORDS.get(short, {}):
            return VALUE_WORDS[short][value]
        qid = path if path in ("stage", "organisation") else f"context.{short}"
        if self.questions.has(qid):
            for choice in self.questions.get(qid).choices:
                if choice.value == value or choice.word == value_text(value).lower():
                    return choice.label
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value_text(value).replace("_", " ")

    def item(self, item_id: str) -> str:
        """`5.8` -> `Distinct team function (5.8)`."""
        item = self.kb.items.get(item_id)
        return f"{item.short} ({item_id})" if item else f"item {item_id}"

    def conclusion(self, name: str) -> str:
        return fact_label(name, self.kb)

    # ------------------------------------------------------------------ facts
    def fact(self, fact: Fact, facts: Any = None, ratings: bool = True) -> str:
        """What one fact the engine matched says, in a team's words (RATINGS: an item's importance and
        top-three counts too)."""
        if isinstance(fact, ContextFact):
            return f"{self.field(fact.field)}: {self.value(fact.field, fact.value)}"
        if isinstance(fact, MeasureFact):
            return self._measure(fact.name, fact.value)
        if isinstance(fact, ItemFact):
            return self._item_fact(fact, ratings)
        if isinstance(fact, GroupAnswerFact):
            return f"the {GROUP.get(fact.group, fact.group)} says {self.item(fact.item)} is " \
                   f"{HAPPENING.get(fact.happening, fact.happening)}"
        if isinstance(fact, DivergentFact):
            return self._divergent(fact.item, facts)
        assert isinstance(fact, DerivedFact)
        return self.conclusion(fact.name)

    def _measure(self, name: str, value: float) -> str:
        if name == "peer_share":
            return f"Peer workers are {value:.0%} of the team"
        return f"{MEASURE.get(name, name.replace('_', ' ').capitalize())}: {value_text(value)}"

    def _item_fact(self, fact: ItemFact, ratings: bool) -> str:
        parts = [f"{self.item(fact.id)}: {HAPPENING.get(fact.happening or '', 'not answered')}"]
        if not ratings:
            return parts[0]
        if fact.importance is not None:
            parts.append(f"importance {fact.importance:.1f} of 4".replace(".0 of", " of"))
        if fact.top3:
            parts.append("in 1 person's top three" if fact.top3 == 1 else f"in {fact.top3} people's top three")
        return ", ".join(parts)

    def _divergent(self, item_id: str, facts: Any) -> str:
        text = f"People disagree on {self.item(item_id)}"
        summary = getattr(facts, "items", {}).get(item_id)
        if summary is None:
            return text
        said = [f"{GROUP.get(g, g)} {'/'.join(sorted(HAPPENING_SHORT.get(a, a) for a in answers))}"
                for g, answers in summary.group_answers.items()]
        return f"{text}: {', '.join(said)}"

    # ------------------------------------------------------------------ conditions (what a rule asks)
    def condition(self, cond: AnyCondition) -> str:
        """A rule's condition as a statement: `Manager prepared is yes`."""
        if isinstance(cond, NotCondition) and isinstance(cond.not_, AllCondition):
            return "not all of: " + "; ".join(self.condition(c) for c in cond.not_.all_)
        if isinstance(cond, NotCondition):
            return f"not: {self.condition(cond.not_)}"
        if isinstance(cond, AllCondition):
            return " and ".join(self.condition(c) for c in cond.all_)
        if isinstance(cond, ContextCondition):
            return self._context_condition(cond)
        if isinstance(cond, MeasureCondition):
            op, bound = cond.comparison()
            return f"{MEASURE.get(cond.measure, cond.measure.replace('_', ' '))} {SIGN[op]} {bound:g}".replace(
                "  ", " ") if cond.measure != "peer_share" else f"peer workers are {SIGN[op]} {bound:.0%} of the team"
        if isinstance(cond, ItemCondition):
            return self._item_condition(cond)
        if isinstance(cond, DivergentCondition):
            return "people disagree on " + ("any item" if cond.divergent == "any" else self.item(cond.divergent))
        assert isinstance(cond, DerivedCondition)
        return f"concluded: {self.conclusion(cond.derived)}"

    def _context_condition(self, cond: ContextCondition) -> str:
        name = self.field(cond.context)
        if cond.known is not None:
            return f"{name} is {'known' if cond.known else 'not known'}"
        if cond.is_ is not None:
            return f"{name} is {self.value(cond.context, cond.is_)}"
        if cond.in_ is not None:
            return f"{name} is {' or '.join(self.value(cond.context, v) for v in cond.in_)}"
        if cond.not_in is not None:
            return f"{name} is not {' or '.join(self.value(cond.context, v) for v in cond.not_in)}"
        return f"{name} mentions {' or '.join(cond.mentions or [])}"

    def _item_condition(self, cond: ItemCondition) -> str:
        who = f"the {GROUP.get(cond.group, cond.group)} says " if cond.group else ""
        tests = []
        if cond.happening is not None:
            tests.append("is " + " or ".join(HAPPENING.get(h, h) for h in cond.happening))
        if cond.importance_ge is not None:
            tests.append(f"has importance at least {cond.importance_ge:g}")
        if cond.importance_le is not None:
            tests.append(f"has importance at most {cond.importance_le:g}")
        if cond.top3 is not None:
            tests.append("is in someone's top three" if cond.top3 else "is in nobody's top three")
        return f"{who}{self.item(cond.item)} {' and '.join(tests)}"

    # ------------------------------------------------------------------ what-if changes
    def change(self, change: Change, data: dict[str, Any]) -> str:
        """A change to DATA (the answers before it) in words: `Often short-staffed: no (was yes)`,
        `Ward manager: Distinct team function (5.8): happening (was partly happening)`."""
        keys = split_path(change.path)
        now, before = self._answer(keys, change.value), self._answer(keys, lookup(data, change.path))
        return f"{self._subject(keys, change.path, data)}: {now} (was {before})"

    def _subject(self, keys: list[str | int], path: str, data: dict[str, Any]) -> str:
        if keys and keys[0] == "context" and len(keys) >= 2:
            return self.field(".".join(str(k) for k in keys[1:]))
        if keys == ["stage"]:
            return self.field("stage")
        if len(keys) >= 3 and keys[0] == "responses" and isinstance(keys[1], int):
            who = self._respondent(data, keys[1])
            if keys[2] == "top3":
                return f"{who}: top three"
            if keys[2] == "inventory" and len(keys) >= 4:
                part = " importance" if keys[-1] == "importance" else ""
                return f"{who}: {self.item(str(keys[3]))}{part}"
        return path

    @staticmethod
    def _respondent(data: dict[str, Any], index: int) -> str:
        """`Ward manager`, else `the line manager`, else `respondent 2`."""
        who = (lookup(data, f"responses[{index}].respondent") or {}) if isinstance(data, dict) else {}
        if not isinstance(who, dict):
            return f"respondent {index + 1}"
        return str(who.get("label") or (f"the {GROUP.get(who.get('group', ''), 'respondent')}"
                                        if who.get("group") else f"respondent {index + 1}"))

    def _answer(self, keys: list[str | int], value: Any) -> str:
        if value is None:
            return "not known"
        if isinstance(value, dict):
            value = value.get("happening")
            if value is None:
                return "not known"
        if isinstance(value, bool) and len(keys) >= 3 and keys[2] == "inventory":
            value = "yes" if value else "no"  # YAML reads a bare yes / no as true / false
        if keys and keys[0] == "context" and len(keys) >= 2:
            return self.value(".".join(str(k) for k in keys[1:]), value)
        if keys and keys[-1] == "importance" or isinstance(value, int) and not isinstance(value, bool):
            return {4: "extremely important", 3: "quite important", 2: "not very important",
                    1: "not at all important"}.get(value, str(value).replace("_", " "))
        if isinstance(value, list):
            return ", ".join(value_text(v) for v in value) or "none"
        if len(keys) >= 4 and keys[2] == "inventory":
            return HAPPENING.get(str(value), str(value))
        return self.value(".".join(str(k) for k in keys), value)


HAPPENING_SHORT = {"yes": "yes", "partly": "partly", "no": "no", "dont_know": "don't know",
                   "not_relevant": "not relevant"}


@functools.lru_cache(maxsize=4)
def _plain(kb: KnowledgeBase) -> Plain:
    return Plain(kb, load_questionnaire(kb))
