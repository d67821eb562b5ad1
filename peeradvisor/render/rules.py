"""The rules listing and the coverage summary, for the terminal: within the terminal's width, ids whole."""

from __future__ import annotations

import textwrap
from typing import Any

from rich.console import Console

from ..kb import KnowledgeBase
from ..kb.evidence_check import CHAPTER5_SECTIONS
from .textgrid import Column, table

MARKS = {"put_in_place": "+", "avoid": "-", "review": "?"}


def rules_text(kb: KnowledgeBase, width: int) -> str:
    """Every rule: id, kind, themes, items and its first evidence; columns when they fit, else one
    block per rule (the id on its own line). Ids are never cut: they are what `why` and errors name."""
    columns = [Column("id", wrap=False), Column("kind", wrap=False), Column("themes"), Column("items"),
               Column("evidence")]
    rows = []
    for rule in kb.rules:
        more = f" (+{len(rule.evidence) - 1})" if len(rule.evidence) > 1 else ""
        rows.append([rule.id, rule.kind, ", ".join(rule.themes),
                     " ".join(f"{i.id}{MARKS[i.direction]}" for i in rule.items),
                     rule.evidence[0].locator.split("›")[-1].strip() + more])
    lines = table(columns, rows, width)
    lines += textwrap.wrap(f"{len(kb.rules)} rules; items: + put in place, - avoid, ? review", width)
    return "\n".join(lines) + "\n"


def show_rules(kb: KnowledgeBase, console: Console) -> None:
    console.print(rules_text(kb, console.width), end="", markup=False, highlight=False, soft_wrap=True)


def coverage_text(data: dict[str, Any], kb: KnowledgeBase, width: int = 80) -> str:
    reached = sum(1 for rules in data["items"].values() if rules)
    lines = [f"Items reached: {reached}/40"]
    rows = [[item_id, kb.items[item_id].short, f"{len(rules)} rule(s)"] for item_id, rules in data["items"].items()]
    lines += table([Column("item", wrap=False), Column("name"), Column("rules", right=True, wrap=False)], rows,
                   width, indent=2)
    lines.append(f"Themes reached: {sum(1 for r in data['themes'].values() if r)}/5")
    rows = [[theme, f"{len(rules)} rule(s)"] for theme, rules in data["themes"].items()]
    lines += table([Column("theme", wrap=False), Column("rules", right=True, wrap=False)], rows, width, indent=2)
    cited = sum(data["chapter5_sections"].values())
    lines.append(f"Chapter 5 sections cited: {cited}/{len(CHAPTER5_SECTIONS)}")
    for section, ok in data["chapter5_sections"].items():
        lines += textwrap.wrap(f"[{'x' if ok else ' '}] {section}", width, initial_indent="  ",
                               subsequent_indent="      ", break_on_hyphens=False)
    lines += textwrap.wrap("Rules by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(data["kinds"].items())),
                           width)
    return "\n".join(lines) + "\n"
