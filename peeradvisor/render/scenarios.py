"""A scenario told for a trainer's screen, the facilitator's note, and a one-page handout for trainees.

The handout (Markdown or HTML, through the one jinja environment) gives the story, the setting in plain
words, the discussion questions and what the study says — never the advice or the findings, which the
room is to work out. The facilitator's note is the trainer's own: timing, the points to draw out, and a
passage of the study to read aloud.
"""

from __future__ import annotations

import textwrap
from typing import Any

from peeradvisor.cases import Case
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.render.plain import GROUP, Plain
from peeradvisor.render.templates import render_template

STUDY = ("Gillard S, et al. New ways of working in mental health services: a qualitative, comparative case "
         "study assessing and informing the emergence of new peer worker roles in mental health services in "
         "England. NIHR Health Services and Delivery Research 2014;2(19).")
QUOTES = 3  # passages of the study on a handout: enough to discuss, and one page
PARTS = {"": "The service", "supervision": "Supervision and support", "culture": "Culture"}


def _wrap(text: str, width: int, indent: str = "", hang: str = "") -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width - 1, initial_indent=indent, subsequent_indent=hang or indent,
                         break_on_hyphens=False) or [""]


def setting(case: Case, kb: KnowledgeBase) -> list[tuple[str, str]]:
    """The scenario's context in plain words, part by part: (`The service`, `Employer: NHS trust · …`)."""
    plain = Plain.of(kb)
    ctx = case.answers.get("context") or {}
    parts: dict[str, list[str]] = {name: [] for name in PARTS.values()}
    stage = case.answers.get("stage", "new")
    parts["The service"].append(f"{plain.field('stage')}: {plain.value('stage', stage)}")
    for key, value in ctx.items():
        if isinstance(value, dict):
            parts[PARTS.get(key, "The service")] += [f"{plain.field(f'{key}.{k}')}: {plain.value(f'{key}.{k}', v)}"
                                                    for k, v in value.items()]
        elif not isinstance(value, list):
            parts["The service"].append(f"{plain.field(key)}: {plain.value(key, value)}")
    rows = [(name, " · ".join(texts)) for name, texts in parts.items() if texts]
    return rows + [("Who answered", "; ".join(respondents(case)))]


def respondents(case: Case) -> list[str]:
    """`Ward manager (line manager)` for each respondent."""
    out = []
    for response in case.answers.get("responses") or []:
        who = response.get("respondent") or {}
        group = GROUP.get(str(who.get("group")), str(who.get("group")))
        out.append(f"{who['label']} ({group})" if who.get("label") else f"a {group}")
    return out


def story_text(case: Case, kb: KnowledgeBase, width: int = 80) -> str:
    """The scenario as plain text for a trainer's screen (the answers are not given away)."""
    lines = [*_wrap(case.title or case.name, width), "", *_wrap(case.story, width), "", "The setting:"]
    for name, text in setting(case, kb):
        lines += _wrap(f"{name}: {text}", width, "  ", "    ")
    if case.discussion:
        lines += ["", "For discussion:"]
        for n, question in enumerate(case.discussion, start=1):
            lines += _wrap(f"{n}. {question}", width, "  ", "     ")
    lines += ["", "Based on:"] + [x for e in case.based_on for x in _wrap(f"- {e.locator}", width, "  ", "    ")]
    if case.facilitator:
        lines += ["", *_wrap(f"About {case.facilitator.minutes} minutes. The facilitator's note: `peeradvisor "
                             f"scenarios show {case.name} --notes`; a handout for the room: `--handout`.", width)]
    return "\n".join(lines) + "\n"


def notes_text(case: Case, width: int = 80) -> str:
    """The facilitator's note: timing, the points to draw out, the passage to read aloud, what to run."""
    note = case.facilitator
    lines = [*_wrap(f"{case.title or case.name} — the facilitator's note", width), ""]
    if note is None:
        return "\n".join([*lines, "This scenario has no facilitator's note yet."]) + "\n"
    lines += [f"Timing: about {note.minutes} minutes.", "", "Points to draw out:"]
    for n, point in enumerate(note.points, start=1):
        lines += _wrap(f"{n}. {point}", width, "  ", "     ")
    lines += ["", "Read aloud:", *_wrap(f"“{note.read_aloud.excerpt}”", width, "  ", "   "),
              *_wrap(f"— {note.read_aloud.locator}", width, "    ", "      ")]
    lines += ["", "Then:", f"  peeradvisor scenarios run {case.name} --present",
              *_wrap("and ask the room what would change the advice: `--set PATH=VALUE` shows it.", width, "  ")]
    return "\n".join(lines) + "\n"


def handout_data(case: Case, kb: KnowledgeBase, notes: bool = False) -> dict[str, Any]:
    """What a handout shows (NOTES: the trainer's copy, with the facilitator's note)."""
    quotes = [{"locator": e.locator, "excerpt": e.excerpt} for e in case.based_on if e.excerpt]
    note = case.facilitator
    if note is not None:
        quotes.insert(0, {"locator": note.read_aloud.locator, "excerpt": note.read_aloud.excerpt})
    quotes = quotes[:QUOTES]
    return {"title": case.title or case.name, "scenario": case.name, "story": " ".join(case.story.split()),
            "setting": setting(case, kb), "discussion": case.discussion, "quotes": quotes,
            "sources": [e.locator for e in case.based_on], "study": STUDY,
            "minutes": note.minutes if note else None, "note": note if notes else None}


def handout(case: Case, kb: KnowledgeBase, fmt: str = "md", notes: bool = False) -> str:
    """A one-page handout for trainees, as Markdown or HTML."""
    name = "scenario_handout.html.j2" if fmt == "html" else "scenario_handout.md.j2"
    return render_template(name, **handout_data(case, kb, notes))
