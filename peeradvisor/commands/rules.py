"""`peeradvisor rules`: list the knowledge base, lint it, and show its coverage of the study."""

from __future__ import annotations

from pathlib import Path

from .. import safe_text
from ..cli_errors import say
from ..console import make_console
from ..errors import EXIT_INPUT, InputError, UsageError
from ..kb import KnowledgeBase, load_kb
from ..kb.case_checks import CaseRun, case_coverage
from ..kb.checks import lint, located
from ..kb.evidence_check import CHAPTER5_SECTIONS, Study, default_study_path, evidence_problems
from ..yamlio import file_kind
from .common import echo


def list_rules(fmt: str, kb_root: Path | None) -> int:
    kb = load_kb(kb_root)
    if fmt == "json":
        from ..analysis.knowledge import rule_data

        payload = {"format": "peeradvisor/rules@1", "rules": [rule_data(r, kb) for r in kb.rules]}
        echo(safe_text.json_dumps(payload, indent=2))
        return 0
    from ..render.rules import show_rules

    show_rules(kb, make_console())
    return 0


def lint_rules(kb_root: Path | None, study_path: Path | None, verbose: bool = False) -> int:
    # the rule files themselves, never the start-up cache; raises on errors (bad references, duplicate ids,
    # contradictions, cycles, limits)
    if study_path is not None and not study_path.exists():
        raise UsageError(f"--study {study_path}: no such file")
    kb = load_kb(kb_root, cache=False)
    from ..engine import engine_for

    engine_for(kb)  # compiling proves every rule becomes a valid Rete rule; the cases below reuse it
    runs, unreadable = run_cases(kb)
    found, never = case_coverage(kb, runs)
    path = study_path or default_study_path(kb.root)
    if path.exists() and not path.is_file():  # a named pipe would wait for ever, a device never end
        raise UsageError(f"--study {path} is {file_kind(path.stat().st_mode)}, not a regular file")
    faults = evidence_problems(kb, Study.read(path)) if path.exists() else []
    lines = [f"{where}: {p.path}: {p.message}" for where, p in located(kb, [*faults, *lint(kb), *found])]
    errors, warnings = lines[:len(faults)], lines[len(faults):] + unreadable
    for line in errors:
        say(f"error: {line}")
    for line in warnings:
        say(f"warning: {line}")
    if runs:
        listed = ": " + ", ".join(never) if verbose else " (--verbose lists them)"
        echo(f"{len(never)} of {len(kb.findings_rules)} findings are never given by the {len(runs)} cases "
             f"and scenarios{listed if never else ''}")
    checked = "evidence checked against the study" if path.exists() else "study text not found: evidence not checked"
    echo(f"{len(kb.rules)} rules, {len(errors)} error(s), {len(warnings)} warning(s); {checked}")
    return EXIT_INPUT if errors else 0


def case_folders(kb: KnowledgeBase) -> list[Path]:
    """The cases beside the knowledge base (tests/cases, in a source checkout only) and its scenarios."""
    from ..cases import scenarios_folder

    return [folder for folder in (kb.root / "tests" / "cases", scenarios_folder(kb.root)) if folder.is_dir()]


def run_cases(kb: KnowledgeBase) -> tuple[list[CaseRun], list[str]]:
    """Every case and scenario run through the engine; and a warning for each file that cannot be read."""
    from ..cases import load_cases
    from ..core import run_engine

    runs: list[CaseRun] = []
    unreadable: list[str] = []
    for path in (p for folder in case_folders(kb) for p in sorted(folder.glob("*.yaml"))):
        try:
            for case in load_cases(path):
                _, firings = run_engine(case.parsed(), kb)
                expect = case.expect
                runs.append(CaseRun(case.name, str(path), frozenset(f.rule_id for f in firings),
                                    (*expect.present, *expect.absent, *expect.within, *filter(None, [expect.first])),
                                    tuple(expect.absent)))
        except InputError as exc:
            unreadable.append(f"{exc.lines()[0]} (its cases were not run)")
    return runs, unreadable


def schema_text() -> str:
    """The JSON schema of a rule file, as committed in schema/rules.schema.json."""
    import json

    from ..kb.schema import rules_schema

    text: str = json.dumps(rules_schema(), indent=2, ensure_ascii=False) + "\n"
    return text


def print_schema() -> int:
    echo(schema_text(), nl=False)
    return 0


def show_coverage(fmt: str, kb_root: Path | None) -> int:
    kb = load_kb(kb_root)
    from ..analysis.knowledge import coverage

    data = coverage(kb)
    if fmt == "json":
        echo(safe_text.json_dumps(data, indent=2))
        return 0
    from ..render.rules import coverage_text

    echo(coverage_text(data, kb, make_console().width), nl=False)
    reached = sum(1 for rules in data["items"].values() if rules)
    cited = sum(data["chapter5_sections"].values())
    missing = reached < 40 or cited < len(CHAPTER5_SECTIONS)
    return EXIT_INPUT if missing else 0
