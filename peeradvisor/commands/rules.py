"""`peeradvisor rules`: list the knowledge base, lint it, and show its coverage of the study."""

from __future__ import annotations

from pathlib import Path

from .. import safe_text
from ..cli_errors import say
from ..console import make_console
from ..errors import EXIT_INPUT, UsageError
from ..kb import load_kb
from ..kb.checks import lint
from ..kb.evidence_check import CHAPTER5_SECTIONS, Study, check_evidence, default_study_path
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


def lint_rules(kb_root: Path | None, study_path: Path | None) -> int:
    kb = load_kb(kb_root)  # raises on errors: bad references, duplicate ids, cycles
    from ..engine import engine_for

    engine_for(kb)  # compiling proves every rule becomes a valid Rete rule
    warnings = [str(p) for p in lint(kb)]
    path = study_path or default_study_path(kb.root)
    if path.exists() and not path.is_file():  # a named pipe would wait for ever, a device never end
        raise UsageError(f"--study {path} is {file_kind(path.stat().st_mode)}, not a regular file")
    errors: list[str] = []
    if path.exists():
        errors = check_evidence(kb.rules, Study.read(path))
    elif study_path is not None:
        raise UsageError(f"--study {study_path}: no such file")
    for line in errors:
        say(f"error: {line}")
    for line in warnings:
        say(f"warning: {line}")
    checked = "evidence checked against the study" if path.exists() else "study text not found: evidence not checked"
    echo(f"{len(kb.rules)} rules, {len(errors)} error(s), {len(warnings)} warning(s); {checked}")
    return EXIT_INPUT if errors else 0


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
