"""`why` and `why-not` as text for the terminal (JSON is the analysis's own data)."""

from __future__ import annotations

import re
import textwrap

from peeradvisor.analysis.why import Replacement, Why, WhyNot, why_data
from peeradvisor.analysis.whynot import Check, Verdict


def _wrap(text: str, width: int, indent: int, hang: int = 2) -> list[str]:
    """Wrapped to WIDTH; a `command` in backticks is never split, so it can be copied whole."""
    kept = re.sub(r"`[^`]+`", lambda m: m.group(0).replace(" ", "\u00a0"), text)
    lines = textwrap.wrap(kept, width - 1, initial_indent=" " * indent,
                          subsequent_indent=" " * (indent + hang), break_on_hyphens=False, break_long_words=False)
    return [line.replace("\u00a0", " ") for line in lines] or [""]


def _replaced_lines(replaced: Replacement | None, width: int) -> list[str]:
    if replaced is None:
        return []
    text = (f"This finding's conditions held, but the more specific finding {replaced.id} (rank "
            f"{replaced.rank}) replaces it in the report; see `peeradvisor why {replaced.id}`.")
    return ["", *_wrap(text, width, 0)]


def what_if_banner(changes: list[str], width: int = 80) -> str:
    """The what-if a question was asked under, above its answer: `What if: Often short-staffed: no (was yes)`."""
    return "\n".join(_wrap("What if: " + "; ".join(changes), width, 0, 4)) + "\n\n"


def why_text(why: Why, width: int = 80) -> str:
    data = why_data(why)
    rank = f"#{data['rank']} " if data["rank"] else ""
    out = _wrap(f"{rank}{data['kind']}: {data['id']}", width, 0) + _wrap(data["title"], width, 2)
    out += _replaced_lines(why.replaced_by, width)
    out += ["", "Because:"] + [x for b in data["because"] for x in _wrap(f"- {b}", width, 2)]
    if data["chain"]:
        out += ["", "Built on these conclusions (nearest first):"]
        for link in data["chain"]:
            head = f"- {link['name']} (step {link['step']}), concluded by {link['by']}: {link['title']}"
            out += _wrap(head, width, 2)
            out += [x for b in link["because"] for x in _wrap(f"because {b}", width, 6, 4)]
            uses = [f"uses {u['name']} (step {u['step']})" for u in link["uses"]]
            out += [x for u in uses for x in _wrap(u, width, 6, 4)]
    out += ["", "Evidence:"]
    for ev in data["evidence"]:
        out += _wrap(f"- {ev['locator']}", width, 2)
        if ev.get("excerpt"):
            out += _wrap(f"“{ev['excerpt']}”", width, 4, 1)
    return "\n".join(out)


def _check_lines(check: Check, width: int, indent: int) -> list[str]:
    mark = "met    " if check.met else "NOT met"
    lines = _wrap(f"[{mark}] {check.condition}", width, indent, 10)
    return lines + _wrap(f"answers: {check.actual}", width, indent + 10, 2)


def _verdict_lines(verdict: Verdict, width: int, indent: int) -> list[str]:
    out: list[str] = []
    if verdict.stage:
        out += _check_lines(verdict.stage, width, indent)
    if verdict.when:
        out += _wrap("All of:", width, indent)
        out += [x for c in verdict.when for x in _check_lines(c, width, indent + 2)]
    if verdict.any:
        out += _wrap("At least one of:", width, indent)
        out += [x for c in verdict.any for x in _check_lines(c, width, indent + 2)]
    return out


def _state(result: WhyNot, source: str) -> str:
    replaced = result.replaced_by
    if replaced is not None:
        return (f"Its conditions held for {source}, but the more specific finding {replaced.id} (rank "
                f"{replaced.rank}) replaces it, so it is not in the report; see `peeradvisor why {replaced.id}`.")
    if result.fired:
        return f"It fired for {source}: every condition holds (`peeradvisor why` explains it)."
    return f"It did not fire for {source}."


def whynot_text(result: WhyNot, source: str, width: int = 80) -> str:
    verdict = result.verdict
    head = f"{verdict.kind}: {verdict.rule_id}"
    out = _wrap(head, width, 0) + _wrap(verdict.title, width, 2) + [""]
    out += _wrap(_state(result, source), width, 0) + [""]
    out += _verdict_lines(verdict, width, 0)
    for missing in verdict.missing:
        out += [""] + _wrap(f"Needed {missing.name}, which no rule concluded:", width, 0)
        if not missing.producers:
            out += _wrap("no rule in the knowledge base concludes it", width, 2)
        for producer in missing.producers:
            out += _wrap(f"- {producer.rule_id} did not fire:", width, 2)
            out += _verdict_lines(producer, width, 4)
    return "\n".join(out)
