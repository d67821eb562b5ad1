"""`peeradvisor scenarios list|show|run`: the trainer's library of situations from the study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor.cli_errors import handle_errors
from peeradvisor.commands.params import KbOption
from peeradvisor.render.formats import DataFormat, ListFormat, TextFormat

if TYPE_CHECKING:
    from peeradvisor.cases import Case
    from peeradvisor.kb.loader import KnowledgeBase

SetOption = Annotated[list[str] | None, typer.Option(
    "--set", metavar="PATH=VALUE",
    help="Change an answer and compare, e.g. --set context.staffing_pressure=false or "
         "--set responses[0].inventory.4.4=yes (repeatable).")]


scenarios_app = typer.Typer(help="Trainer scenarios from the study: list, show, run (step by step, what-if).",
                            no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(scenarios_app, name="scenarios")


def _load(kb_root: Path | None) -> tuple[KnowledgeBase, list[Case]]:
    from peeradvisor.cases import load_folder, scenarios_folder
    from peeradvisor.kb import load_kb

    kb = load_kb(kb_root)
    return kb, load_folder(scenarios_folder(kb.root))


def summary(case: Case) -> dict[str, Any]:
    """One scenario as listed by `scenarios list --format json`."""
    ctx = case.answers.get("context") or {}
    groups = [(r.get("respondent") or {}).get("group") for r in case.answers.get("responses") or []]
    return {"name": case.name, "title": case.title,
            "employer": ctx.get("employer"), "setting": ctx.get("setting"),
            "stage": case.answers.get("stage", "new"), "respondents": groups,
            "based_on": [e.locator for e in case.based_on], "discussion": len(case.discussion)}


@scenarios_app.command("list")
@handle_errors
def list_scenarios(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    kb: KbOption = None,
) -> None:
    """List the scenarios with their employer, setting and stage."""
    _, cases = _load(kb)
    if fmt == ListFormat.json:
        typer.echo(json.dumps({"scenarios": [summary(c) for c in cases]}, indent=2, ensure_ascii=False))
        return
    from peeradvisor.console import make_console

    console = make_console()
    for case in cases:
        row = summary(case)
        console.print(f"{case.name}", style="heading", markup=False, highlight=False)
        console.print(f"  {row['employer']} · {row['setting']} · {row['stage']} — {case.title}",
                      markup=False, highlight=False)
    console.print(f"{len(cases)} scenario(s); `peeradvisor scenarios show NAME` tells the story.",
                  style="muted", markup=False, highlight=False)


@scenarios_app.command("show")
@handle_errors
def show_scenario(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Scenario name (see `scenarios list`).",
                                              show_default=False)],
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")] = DataFormat.text,
    kb: KbOption = None,
) -> None:
    """Tell a scenario's story: context, respondents, discussion questions and where it comes from."""
    from peeradvisor.cases import find_scenario
    from peeradvisor.kb import load_kb

    case = find_scenario(load_kb(kb).root, name)
    if fmt == DataFormat.json:
        data = {**summary(case), "story": case.story.strip(), "discussion": case.discussion,
                "based_on": [e.model_dump(exclude_none=True) for e in case.based_on],
                "expect": case.expect.model_dump(exclude_none=True), "answers": case.answers}
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    from peeradvisor.render.scenarios import story_text

    typer.echo(story_text(case, _width()), nl=False)


def _width() -> int:
    from peeradvisor.console import make_console

    return make_console().width or 80


@scenarios_app.command("run")
@handle_errors
def run_scenario(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Scenario name (see `scenarios list`).",
                                              show_default=False)],
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
    step: Annotated[bool, typer.Option("--step", help="Show the rules firing one at a time.")] = False,
    no_pause: Annotated[bool, typer.Option("--no-pause",
                                           help="With --step: do not wait for Enter.")] = False,
    sets: SetOption = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every finding, not the top 12.")] = False,
    levers: Annotated[bool, typer.Option(
        "--levers", help="The single changes to the scenario's answers that would most improve the advice, "
                         "each with its --set line.")] = False,
    kb: KbOption = None,
) -> None:
    """Advise on a scenario's answers: the report, the reasoning step by step, or a what-if comparison."""
    from peeradvisor.cases import find_scenario
    from peeradvisor.kb import load_kb

    knowledge = load_kb(kb)
    case = find_scenario(knowledge.root, name)
    if levers:
        from peeradvisor.analysis.levers import find_levers
        from peeradvisor.render.levers import render as render_levers

        typer.echo(render_levers(find_levers(case.parsed(), knowledge), fmt.value, _width(),
                                 f"peeradvisor scenarios run {case.name}"), nl=False)
    elif step:
        _run_steps(case, knowledge, fmt.value, sets or [], not no_pause)
    elif sets:
        from peeradvisor.analysis import whatif
        from peeradvisor.render.whatif import render

        result = whatif.run_whatif(dict(case.answers), f"scenario {case.name}", sets, knowledge)
        typer.echo(render(result, fmt.value, _width()), nl=False)
    else:
        _report(case, knowledge, fmt.value, show_all)


def _report(case: Case, kb: KnowledgeBase, fmt: str, show_all: bool) -> None:
    from peeradvisor.core import advise

    report = advise(case.parsed(), kb)
    if fmt == "json":
        from peeradvisor.render import json as json_render

        typer.echo(json_render.render(report), nl=False)
    elif fmt == "md":
        from peeradvisor.render import markdown as md_render

        typer.echo(md_render.render(report), nl=False)
    else:
        from peeradvisor.console import make_console
        from peeradvisor.render.terminal import show

        show(report, make_console(), kb=kb, full=show_all)


def _run_steps(case: Case, kb: KnowledgeBase, fmt: str, sets: list[str], paced: bool) -> None:
    from peeradvisor.analysis.steps import build_steps, step_data
    from peeradvisor.engine import engine_for
    from peeradvisor.facts import build_facts

    answers = case.parsed()
    if sets:
        from peeradvisor.analysis import whatif

        changes = [whatif.parse_set(s) for s in sets]
        answers = whatif.revalidate(whatif.apply_sets(dict(case.answers), changes), f"scenario {case.name}",
                                    changes)
    facts = build_facts(answers)
    steps = build_steps(engine_for(kb).steps(facts), kb, facts)
    if fmt == "json":
        payload = {"format": "peeradvisor/steps@1", "scenario": case.name,
                   "steps": [step_data(s) for s in steps]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    from peeradvisor.console import make_console
    from peeradvisor.render.steps import play, show_intro

    console = make_console()
    show_intro(console, case.title or case.name, case.story, steps)
    play(console, steps, _ask if paced else (lambda _step: True))


def _ask(_step: object) -> bool:
    """Wait for the trainer: Enter goes on, q stops; end of input goes on without pausing again."""
    typer.echo("-- Enter: next step · q: stop --", err=True, nl=False)
    try:
        reply = input()
    except EOFError:
        typer.echo("", err=True)
        return True
    return reply.strip().lower() not in {"q", "quit", "stop"}
