"""The memo's words: the context as understood, the one-paragraph summary, and what the study can and
cannot say."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peeradvisor import safe_text
from peeradvisor.answers import Answers
from peeradvisor.facts import flatten_context
from peeradvisor.report import Report

from .model import ContextLine

OWNER_WORDS = {"line_manager": "Line manager", "strategic_manager": "Senior manager",
               "commissioner": "Commissioner", "coworker": "The team", "peer_worker": "Peer workers"}
SUPPORT_WORDS = {"strong": "found across the study's cases", "moderate": "found in several of the study's cases",
                 "limited": "thin evidence: one case, group or passage", "contested": "views differed in the study"}
KIND_LABEL = {"warning": "Warning", "recommendation": "Recommendation", "strength": "Strength",
              "caveat": "Caveat"}
DIRECTION_LABEL = {"put_in_place": "put in place", "avoid": "avoid", "review": "review"}
ANSWER_WORDS = {"yes": "yes", "partly": "partly", "no": "no", "dont_know": "don't know",
                "not_relevant": "not relevant"}
GROUP_WORDS = {"peer_worker": "peer worker", "service_user": "service user", "coworker": "coworker",
               "line_manager": "line manager", "strategic_manager": "strategic manager",
               "commissioner": "commissioner"}

# Every context field of the answers file (contract section 1), in the order a reader expects.
LABELS = {
    "stage": "Stage", "employer": "Employer", "partner": "Partner", "led_by": "Led by",
    "setting": "Setting", "setting_detail": "Setting in detail", "employment": "Employment",
    "team_size": "Team size", "peer_workers": "Peer workers", "pay_framework": "Pay",
    "recruitment_route": "Recruitment route", "community_languages": "Community languages",
    "staffing_pressure": "Staffing pressure", "executive_turnover": "Senior leadership",
    "funding": "Funding", "supervision.one_to_one": "One-to-one supervision",
    "supervision.manager_prepared": "Manager prepared for role-specific support",
    "supervision.wellbeing_space": "A space for role-related wellbeing",
    "supervision.peer_group": "Peer workers can meet and support one another",
    "culture.open_about_mental_health": "Openness about mental health",
    "culture.reflective_practice": "Reflective practice",
    "culture.lived_experience_valued": "Lived experience valued",
    "culture.peer_voice_heard": "Peer workers can speak up and challenge",
    "culture.personal_boundaries_supported": "Peer workers control how they share lived experience",
    "culture.ready_for_change": "The organisation knows its culture must change",
}
_WORDS: dict[str, dict[Any, str]] = {
    "stage": {"planning": "planning peer worker roles", "new": "peer worker roles recently introduced",
              "established": "peer worker roles well established"},
    "employer": {"nhs": "the NHS trust employs the peer workers",
                 "voluntary": "a voluntary sector organisation employs the peer workers",
                 "partnership": "a partner agency employs the peer workers to serve NHS service users"},
    "partner": {"voluntary": "a voluntary sector organisation",
                "social_care": "a local authority social services department"},
    "led_by": {"peer": "peer-led (run by people with lived experience)",
               "professional": "professionally led"},
    "setting": {"inpatient": "inpatient (psychiatric wards)", "community": "community services",
                "bme": "a service for black and minority ethnic (BME) communities",
                "other": "another setting"},
    "employment": {"paid": "paid posts", "volunteer": "volunteers",
                   "mixed": "a mix of paid posts and volunteers"},
    "pay_framework": {"agenda_for_change": "Agenda for Change bands",
                      "organisation_scale": "the organisation's own pay scale",
                      "sessional": "sessional pay", "unpaid": "unpaid"},
    "recruitment_route": {"open": "open recruitment", "from_service": "from people using this service",
                          "both": "open recruitment and from people using this service"},
    "community_languages": {True: "many people served speak a language other than English",
                            False: "few people served speak a language other than English"},
    "staffing_pressure": {True: "the team is often short-staffed",
                          False: "the team is not often short-staffed"},
    "executive_turnover": {True: "changed recently or often", False: "stable"},
    "funding": {"recurrent": "recurrent", "pilot": "pilot or time-limited",
                "none": "no dedicated funding"},
    "supervision.one_to_one": {"regular": "regular", "ad_hoc": "ad hoc", "none": "none"},
}
_EMPLOYED_BY = {"nhs": "the NHS trust", "voluntary": "a voluntary sector organisation",
                "partnership": "a partner agency working with the NHS"}
_WHERE = {"inpatient": "on inpatient wards", "community": "in community services",
          "bme": "in a service for black and minority ethnic communities", "other": "in another setting"}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def long_date(date: dt.date) -> str:
    """25 November 2026."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def context_words(name: str, value: Any) -> str:
    """A context answer in words, without the answers around it: "ad hoc", "pilot or time-limited"."""
    return _WORDS.get(name, {}).get(value) or ANSWER_WORDS.get(value, str(value))


def clean(text: str) -> str:
    """Free text on one line, without control characters (safe for every memo format)."""
    return safe_text.line(text)


def group_heading(group: str, people: int) -> str:
    """A stakeholder group and its size: "Peer workers (1,672 people)", "Commissioner (1 person)"."""
    name = GROUP_WORDS.get(group, group)
    name = name[0].upper() + name[1:]
    return f"{name} (1 person)" if people == 1 else f"{name}s ({people:,} people)"


def answers_note(people: int) -> str:
    """What the Appendix shows instead of each person's answers, when there are too many to list."""
    return (f"{people:,} people answered: too many to list one by one, so their answers are summarised by "
            "stakeholder group. For each question: how many answered yes, partly, no, or don't know / not "
            "relevant; the group's mean importance, 1 (not at all important) to 4 (extremely important), with "
            "the number of ratings; and how many named it in their top three.")


def _value(name: str, value: Any, answers: Answers) -> str:
    if name == "setting_detail":
        return clean(str(value))
    if name == "team_size":
        return f"{value} staff, peer workers included"
    if name == "peer_workers":
        size = answers.context.team_size
        return f"{value} of {size} in the team" if size else str(value)
    return context_words(name, value)


def _applies(name: str, answers: Answers) -> bool:
    ctx = answers.context
    if name == "partner":
        return ctx.employer == "partnership"
    if name == "led_by":
        return ctx.employer == "voluntary" or ctx.partner == "voluntary"
    return True


def context_lines(answers: Answers) -> list[ContextLine]:
    """Each context field in words; a field not given is listed as not known (never as no)."""
    known = flatten_context(answers)
    return [ContextLine(field=name, label=label,
                        value=_value(name, known[name], answers) if name in known else None)
            for name, label in LABELS.items() if _applies(name, answers)]


def _who(answers: Answers) -> str:
    ctx = answers.context
    who = _EMPLOYED_BY[ctx.employer]
    if ctx.employer == "partnership" and ctx.partner:
        who += f" ({_WORDS['partner'][ctx.partner]})"
    if ctx.led_by and _applies("led_by", answers):
        who += f", {_WORDS['led_by'][ctx.led_by].split(' (')[0]}"
    return who


def summary(answers: Answers, report: Report, answered: int) -> str:
    """One paragraph: who the service is, who answered, and how much the advice found."""
    ctx, counts = answers.context, report.counts()
    detail = f" ({clean(ctx.setting_detail)})" if ctx.setting_detail else ""
    verb = "plans peer workers employed by" if answers.stage == "planning" else "has peer workers employed by"
    text = (f"{clean(answers.organisation)} {verb} {_who(answers)}, working {_WHERE[ctx.setting]}{detail}; "
            f"{_WORDS['stage'][answers.stage]}. ")
    if answers.responses:
        groups = sorted({GROUP_WORDS[r.respondent.group] for r in answers.responses})
        text += (f"{len(answers.responses):,} {'person' if len(answers.responses) == 1 else 'people'} "
                 f"({', '.join(groups)}) answered {answered} of the study's 40 questions. ")
    else:
        text += "No one has answered the study's 40 questions yet, so the advice rests on the context alone. "
    text += (f"The advice has {counts['warning']} warning(s), {counts['recommendation']} recommendation(s), "
             f"{counts['strength']} strength(s) and {counts['caveat']} note(s) on the evidence")
    return text + "."


def when_words(when: str, stage: str) -> str:
    """When to act, in words that fit the service's stage."""
    if when == "before_start":
        return "Before recruiting" if stage == "planning" else "Now"
    if when == "first_months":
        return "In the first months" if stage == "planning" else "In the next few months"
    return {"ongoing": "Ongoing", "next_review": "At the next review"}.get(when, when)


def do_words(direction: str, now: str) -> str:
    """What to do about an item, given where it stands now."""
    if direction == "put_in_place":
        return "Make it happen fully" if now == "partly" else "Put in place"
    if direction == "avoid":
        return "Stop" if now in ("yes", "partly") else "Avoid"
    return "Decide locally"


def limits(answers: Answers) -> list[str]:
    """What the study can and cannot say about this service."""
    out = [
        "The study is a qualitative, comparative case study of 10 cases (NHS, partnership and voluntary "
        "sector services in England) and 89 people. It describes what helped and hindered peer worker "
        "roles in those cases; it does not measure effects, and its cases were chosen purposively, "
        "not at random.",
        "The importance means of Appendix 4 summarise the 86 people who completed the structured part of "
        "the interview. The study calls that analysis 'not a statistical analysis': a difference between "
        "these respondents' ratings and the study's is a prompt for discussion, not a statistical test.",
        "The advice comes from rules written from the report. It is a starting point for a conversation "
        "with the service, not a substitute for local judgement. The study's researchers stressed that its "
        "interview schedule was not a checklist of good practice 'scoring' the introduction of peer worker "
        "roles, and this memo does not rate the service either.",
    ]
    ctx = answers.context
    if ctx.setting == "other":
        what = clean(ctx.setting_detail) if ctx.setting_detail else "this setting"
        out.append("The study covered inpatient wards, community services and BME-specific services; "
                   f"it did not cover {what}. No setting comparison is shown, and advice may apply "
                   "less directly.")
    if answers.stage == "planning":
        out.append("Every case in the study already had peer workers in post; advice for the planning "
                   "stage draws on what those services learned.")
    if not answers.has_inventory():
        out.append("No inventory answers were given, so there is nothing to compare with the study's "
                   "importance ratings.")
    return out
