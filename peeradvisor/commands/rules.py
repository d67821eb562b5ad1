"""`peeradvisor rules`: list the knowledge base, lint it, and show its coverage of the study."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from .. import vocab
from ..console import make_console
from ..core.describe import describe_condition
from ..errors import EXIT_INPUT, UsageError
from ..kb import KnowledgeBase, Rule, load_kb
from ..kb.checks import _walk, lint
from ..kb.conditions import item_of
from ..kb.evidence_check import CHAPTER5_SECTIONS, Study, check_evidence, default_study_path, norm


def rule_data(rule: Rule, kb: KnowledgeBase) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id, "kind": rule.kind, "title": rule.title, "advice": rule.advice.strip(),
        "strength": rule.strength, "stages": list(rule.stages), "themes": list(rule.themes),
        "items": [i.model_dump() for i in rule.items],
        "evidence": [e.model_dump(exclude_none=True) for e in rule.evidence],
        "when": [describe_condition(c) for c in rule.when],
        "any": [describe_condition(c) for c in rule.any],
        "file": kb.rule_files.get(rule.id, ""),
    }
    if rule.concludes:
        data["concludes"] = rule.concludes
    if rule.supersedes:
        data["supersedes"] = list(rule.supersedes)
    return data


def list_rules(fmt: str, kb_root: Path | None) -> int:
    kb = load_kb(kb_root)
    if fmt == "json":
        payload = {"format": "peeradvisor/rules@1", "rules": [rule_data(r, kb) for r in kb.rules]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    from rich.table import Table

    table = Table("id", "kind", "themes", "items", "evidence", box=None, pad_edge=False)
    marks = {"put_in_place": "+", "avoid": "-", "review": "?"}
    for rule in kb.rules:
        table.add_row(rule.id, rule.kind, ", ".join(rule.themes),
                      " ".join(f"{i.id}{marks[i.direction]}" for i in rule.items),
                      rule.evidence[0].locator.split("›")[-1].strip() + (f" (+{len(rule.evidence) - 1})"
                                                                          if len(rule.evidence) > 1 else ""))
    console = make_console()
    console.print(table)
    console.print(f"{len(kb.rules)} rules; items: + put in place, - avoid, ? review")
    return 0


def lint_rules(kb_root: Path | None, study_path: Path | None) -> int:
    kb = load_kb(kb_root)  # raises on errors: bad references, duplicate ids, cycles
    from ..engine import engine_for

    engine_for(kb)  # compiling proves every rule becomes a valid Rete rule
    warnings = [str(p) for p in lint(kb)]
    path = study_path or default_study_path(kb.root)
    errors: list[str] = []
    if path.exists():
        errors = check_evidence(kb.rules, Study.read(path))
    elif study_path is not None:
        raise UsageError(f"--study {study_path}: no such file")
    for line in errors:
        typer.echo(f"error: {line}", err=True)
    for line in warnings:
        typer.echo(f"warning: {line}", err=True)
    checked = "evidence checked against the study" if path.exists() else "study text not found: evidence not checked"
    typer.echo(f"{len(kb.rules)} rules, {len(errors)} error(s), {len(warnings)} warning(s); {checked}")
    return EXIT_INPUT if errors else 0


def coverage(kb: KnowledgeBase) -> dict[str, Any]:
    items: dict[str, list[str]] = {i: [] for i in vocab.ITEM_IDS}
    for rule in kb.rules:
        ids = {ref.id for ref in rule.items} | {item_of(c) or "" for _, c in _walk(rule)}
        for item_id in ids & set(items):
            items[item_id].append(rule.id)
    themes = {t: [r.id for r in kb.rules if t in r.themes] for t in vocab.THEMES}
    cited = {norm(p.strip()) for r in kb.rules for e in r.evidence for p in e.locator.split("›")}
    sections = {s: norm(s) in cited for s in CHAPTER5_SECTIONS}
    kinds: dict[str, int] = {}
    for rule in kb.rules:
        kinds[rule.kind] = kinds.get(rule.kind, 0) + 1
    return {"items": items, "themes": themes, "chapter5_sections": sections, "kinds": kinds}


def show_coverage(fmt: str, kb_root: Path | None) -> int:
    kb = load_kb(kb_root)
    data = coverage(kb)
    if fmt == "json":
        typer.echo(json.dumps(data, indent=2))
        return 0
    reached = sum(1 for rules in data["items"].values() if rules)
    typer.echo(f"Items reached: {reached}/40")
    for item_id, rules in data["items"].items():
        typer.echo(f"  {item_id:<4} {kb.items[item_id].short:<32} {len(rules)} rule(s)")
    typer.echo(f"Themes reached: {sum(1 for r in data['themes'].values() if r)}/5")
    for theme, rules in data["themes"].items():
        typer.echo(f"  {theme:<16} {len(rules)} rule(s)")
    cited = sum(data["chapter5_sections"].values())
    typer.echo(f"Chapter 5 sections cited: {cited}/{len(CHAPTER5_SECTIONS)}")
    for section, ok in data["chapter5_sections"].items():
        typer.echo(f"  [{'x' if ok else ' '}] {section}")
    typer.echo("Rules by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(data["kinds"].items())))
    missing = reached < 40 or cited < len(CHAPTER5_SECTIONS)
    return EXIT_INPUT if missing else 0
