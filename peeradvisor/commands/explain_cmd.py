"""`peeradvisor why ID FILE` and `peeradvisor why-not ID FILE`: explain one finding, or its absence.

FILE is an answers file or `scenario:NAME`. `why` gives the finding's reasons, the chain of derived
facts behind it (each with the rule that concluded it and that rule's own reasons) and the evidence.
`why-not` checks each condition of the rule against the answers and, for derived facts it needed,
why the rules that would have concluded them did not fire.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor.cli_errors import handle_errors
from peeradvisor.commands.params import KbOption
from peeradvisor.errors import UsageError

if TYPE_CHECKING:
    from peeradvisor.analysis.steps import Step
    from peeradvisor.analysis.whynot import Check, Verdict
    from peeradvisor.facts import FactSet
    from peeradvisor.inference import Firing
    from peeradvisor.kb.loader import KnowledgeBase
    from peeradvisor.report import Report

Target = Annotated[str, typer.Argument(metavar="FILE", help="Answers file, or scenario:NAME.",
                                       show_default=False)]
FindingId = Annotated[str, typer.Argument(metavar="FINDING_ID", help="A rule id (see `peeradvisor rules`).",
                                          show_default=False)]


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("why")(handle_errors(why))
    app.command("why-not")(handle_errors(why_not))


def why(finding_id: FindingId, target: Target,
        fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
        kb: KbOption = None) -> None:
    """Explain a finding: its reasons, the derived facts it built on, and the evidence."""
    knowledge, rule = _knowledge(kb, finding_id)
    source, facts, firings, report = _run(target, knowledge)
    if not any(f.rule_id == rule.id for f in firings):
        raise UsageError(f"{rule.id} did not fire for {source}; `peeradvisor why-not {rule.id} {target}` "
                         "shows which conditions are not met")
    data = why_data(rule.id, knowledge, facts, firings, report)
    text = json.dumps(data, indent=2, ensure_ascii=False) if fmt == Format.json else why_text(data, _width())
    typer.echo(text)


def why_not(finding_id: FindingId, target: Target,
            fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
            kb: KbOption = None) -> None:
    """Explain why a rule did not fire: each condition met or not, and the derived facts it lacked."""
    from peeradvisor.analysis.whynot import explain, verdict_data

    knowledge, rule = _knowledge(kb, finding_id)
    source, facts, firings, report = _run(target, knowledge)
    verdict = explain(rule, facts, set(report.derived), knowledge)
    fired = any(f.rule_id == rule.id for f in firings)
    if fmt == Format.json:
        typer.echo(json.dumps({"format": "peeradvisor/whynot@1", "source": source, "fired": fired,
                               **verdict_data(verdict)}, indent=2, ensure_ascii=False))
        return
    typer.echo(whynot_text(verdict, source, fired, _width()))


def _knowledge(kb_root: Path | None, rule_id: str) -> tuple[KnowledgeBase, Any]:
    from peeradvisor.kb import load_kb

    knowledge = load_kb(kb_root)
    return knowledge, _rule(knowledge, rule_id)


def _run(target: str, knowledge: KnowledgeBase) -> tuple[str, FactSet, list[Firing], Report]:
    from peeradvisor.analysis.whatif import load_data
    from peeradvisor.answers import answers_from_data
    from peeradvisor.core import build_report, run_engine

    data, source = load_data(target, knowledge.root)
    answers = answers_from_data(data, source)
    facts, firings = run_engine(answers, knowledge)
    return source, facts, firings, build_report(answers, knowledge, facts, firings)


def _rule(kb: KnowledgeBase, rule_id: str) -> Any:
    ids = [r.id for r in kb.rules]
    if rule_id in ids:
        return kb.rule(rule_id)
    close = difflib.get_close_matches(rule_id, ids, n=3, cutoff=0.5)
    close += [i for i in ids if rule_id and rule_id in i and i not in close][: 3 - len(close)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `peeradvisor rules` lists every rule id"
    raise UsageError(f"unknown finding id {rule_id!r}{hint}")


def _width() -> int:
    from peeradvisor.console import make_console

    return make_console().width or 80


def why_data(rule_id: str, kb: KnowledgeBase, facts: FactSet, firings: list[Firing],
             report: Report) -> dict[str, Any]:
    """The finding, its reasons, the chain of derived facts behind it, and the evidence (plain data)."""
    from peeradvisor.analysis.steps import ancestors, build_steps, steps_for
    from peeradvisor.core import derivations

    rule = kb.rule(rule_id)
    finding = report.finding(rule_id)
    steps = build_steps(firings, kb, facts)
    own = steps_for(steps, rule_id)
    because = list(finding.because) if finding else list(dict.fromkeys(x for s in own for x in s.matched))
    rests_on = derivations(firings, facts)
    chain = [{"name": s.concluded, "by": s.rule_id, "title": s.title, "step": s.number,
              "because": _reasons(steps, s),
              "uses": [{"name": x.name, "by": x.by, "step": x.step} for x in s.links],
              "rests_on": rests_on.get((s.concluded or "", s.rule_id), [])}
             for s in ancestors(steps, rule_id)]
    return {"format": "peeradvisor/why@1", "id": rule.id, "kind": rule.kind, "title": rule.title,
            "rank": finding.rank if finding else None, "because": because,
            "concludes": rule.concludes, "chain": chain,
            "evidence": [e.model_dump(exclude_none=True) for e in rule.evidence]}


def _reasons(steps: list[Step], first: Step) -> list[str]:
    """The reasons of every firing that reached the same conclusion by the same rule (first, repeats)."""
    same = [s for s in steps if s.rule_id == first.rule_id and s.concluded == first.concluded]
    return list(dict.fromkeys(x for s in same for x in (*s.matched, *s.holds)))


def _wrap(text: str, width: int, indent: int, hang: int = 2) -> list[str]:
    lines = textwrap.wrap(text, width - 1, initial_indent=" " * indent,
                          subsequent_indent=" " * (indent + hang), break_on_hyphens=False)
    return lines or [""]


def why_text(data: dict[str, Any], width: int = 80) -> str:
    rank = f"#{data['rank']} " if data["rank"] else ""
    out = _wrap(f"{rank}{data['kind']}: {data['id']}", width, 0) + _wrap(data["title"], width, 2)
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


def whynot_text(verdict: Verdict, source: str, fired: bool, width: int = 80) -> str:
    head = f"{verdict.kind}: {verdict.rule_id}"
    state = (f"It fired for {source}: every condition holds (`peeradvisor why` explains it)." if fired
             else f"It did not fire for {source}.")
    out = _wrap(head, width, 0) + _wrap(verdict.title, width, 2) + [""] + _wrap(state, width, 0) + [""]
    out += _verdict_lines(verdict, width, 0)
    for missing in verdict.missing:
        out += [""] + _wrap(f"Needed {missing.name}, which no rule concluded:", width, 0)
        if not missing.producers:
            out += _wrap("no rule in the knowledge base concludes it", width, 2)
        for producer in missing.producers:
            out += _wrap(f"- {producer.rule_id} did not fire:", width, 2)
            out += _verdict_lines(producer, width, 4)
    return "\n".join(out)
