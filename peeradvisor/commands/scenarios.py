"""`peeradvisor scenarios list|show|run`: the trainer's library of situations from the study."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor import safe_text
from peeradvisor.cli_errors import handle_errors
from peeradvisor.commands.common import echo
from peeradvisor.commands.params import App, KbOption, SetOption
from peeradvisor.commands.step_mode import AllStepsOption, DetailOption, NoPauseOption, PresentOption, StepOption
from peeradvisor.errors import UsageError
from peeradvisor.render.formats import DocumentFormat, ListFormat, TextFormat

if TYPE_CHECKING:
    from peeradvisor.cases import Case
    from peeradvisor.kb.loader import KnowledgeBase


scenarios_app = App(help="Trainer scenarios from the study: list, show, run (step by step, what-if).",
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
        echo(safe_text.json_dumps({"scenarios": [summary(c) for c in cases]}, indent=2))
        return
    from peeradvisor.console import make_console

    console = make_console()
    for case in cases:
        row = summary(case)
        console.print(f"{case.name}", style="heading", markup=False, highlight=False)
        about = f"{row['employer']} · {row['setting']} · {row['stage']} — {case.title}"
        for line in textwrap.wrap(about, console.width, initial_indent="  ", subsequent_indent="    "):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
    console.print(f"{len(cases)} scenario(s); `peeradvisor scenarios show NAME` tells the story.",
                  style="muted", markup=False, highlight=False)


@scenarios_app.command("show")
@handle_errors
def show_scenario(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Scenario name (see `scenarios list`).",
                                              show_default=False)],
    fmt: Annotated[DocumentFormat, typer.Option(
        "--format", "-f", help="text or json; md or html make the handout.")] = DocumentFormat.text,
    handout: Annotated[bool, typer.Option(
        "--handout", help="A one-page handout for trainees (Markdown, or HTML with --format html): the story, "
                          "the setting, the questions and what the study says, without the advice.")] = False,
    notes: Annotated[bool, typer.Option(
        "--notes", help="The facilitator's note: timing, points to draw out, a passage to read aloud "
                        "(with --handout: the trainer's copy).")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", show_default=False,
                                                help="Write the handout here instead of stdout.")] = None,
    kb: KbOption = None,
) -> None:
    """Tell a scenario's story: context, respondents, discussion questions and where it comes from."""
    from peeradvisor.cases import find_scenario
    from peeradvisor.commands.common import emit
    from peeradvisor.kb import load_kb

    knowledge = load_kb(kb)
    case = find_scenario(knowledge.root, name)
    if fmt == DocumentFormat.json:
        if handout:
            raise UsageError("--handout is a document: use --format md or --format html")
        data = {**summary(case), "story": case.story.strip(), "discussion": case.discussion,
                "based_on": [e.model_dump(exclude_none=True) for e in case.based_on],
                "facilitator": case.facilitator.model_dump() if case.facilitator else None,
                "expect": case.expect.model_dump(exclude_none=True), "answers": case.answers}
        emit(safe_text.json_dumps(data, indent=2, default=str) + "\n", output)
        return
    from peeradvisor.render import scenarios as render

    if handout or fmt in (DocumentFormat.md, DocumentFormat.html):
        emit(render.handout(case, knowledge, "html" if fmt == DocumentFormat.html else "md", notes), output)
    elif notes:
        emit(render.notes_text(case, _width()), output)
    else:
        emit(render.story_text(case, knowledge, _width()), output)


def _width() -> int:
    from peeradvisor.console import make_console

    return make_console().width or 80


@scenarios_app.command("run")
@handle_errors
def run_scenario(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Scenario name (see `scenarios list`).",
                                              show_default=False)],
    fmt: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
    step: StepOption = False,
    present: PresentOption = False,
    no_pause: NoPauseOption = False,
    all_steps: AllStepsOption = False,
    detail: DetailOption = False,
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

        echo(render_levers(find_levers(case.parsed(), knowledge), fmt.value, _width(),
                           f"peeradvisor scenarios run {case.name}"), nl=False)
    elif step or present:
        from peeradvisor.commands.step_mode import StepOptions, step_through

        options = StepOptions(fmt.value, not no_pause, present, all_steps, detail)
        step_through(dict(case.answers), f"scenario {case.name}", knowledge, sets or [], options,
                     case.title or case.name, case.story, case.name)
    elif sets and fmt == TextFormat.text:
        from peeradvisor.commands.step_mode import compare

        compare(dict(case.answers), f"scenario {case.name}", knowledge, sets, detail)
    elif sets:
        from peeradvisor.analysis import whatif
        from peeradvisor.render.whatif import render

        result = whatif.run_whatif(dict(case.answers), f"scenario {case.name}", sets, knowledge)
        echo(render(result, fmt.value, _width()), nl=False)
    else:
        _report(case, knowledge, fmt.value, show_all)


def _report(case: Case, kb: KnowledgeBase, fmt: str, show_all: bool) -> None:
    from peeradvisor.core import advise

    report = advise(case.parsed(), kb)
    if fmt == "json":
        from peeradvisor.render import json as json_render

        echo(json_render.render(report), nl=False)
    elif fmt == "md":
        from peeradvisor.render import markdown as md_render

        echo(md_render.render(report), nl=False)
    else:
        from peeradvisor.console import make_console
        from peeradvisor.render.terminal import show

        show(report, make_console(), kb=kb, full=show_all)
