"""The rules listing and the coverage summary, for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from ..kb import KnowledgeBase
from ..kb.evidence_check import CHAPTER5_SECTIONS

MARKS = {"put_in_place": "+", "avoid": "-", "review": "?"}


def show_rules(kb: KnowledgeBase, console: Console) -> None:
    table = Table("id", "kind", "themes", "items", "evidence", box=None, pad_edge=False)
    for rule in kb.rules:
        more = f" (+{len(rule.evidence) - 1})" if len(rule.evidence) > 1 else ""
        table.add_row(rule.id, rule.kind, ", ".join(rule.themes),
                      " ".join(f"{i.id}{MARKS[i.direction]}" for i in rule.items),
                      rule.evidence[0].locator.split("›")[-1].strip() + more)
    console.print(table)
    console.print(f"{len(kb.rules)} rules; items: + put in place, - avoid, ? review")


def coverage_text(data: dict[str, Any], kb: KnowledgeBase) -> str:
    reached = sum(1 for rules in data["items"].values() if rules)
    lines = [f"Items reached: {reached}/40"]
    lines += [f"  {item_id:<4} {kb.items[item_id].short:<32} {len(rules)} rule(s)"
              for item_id, rules in data["items"].items()]
    lines.append(f"Themes reached: {sum(1 for r in data['themes'].values() if r)}/5")
    lines += [f"  {theme:<16} {len(rules)} rule(s)" for theme, rules in data["themes"].items()]
    cited = sum(data["chapter5_sections"].values())
    lines.append(f"Chapter 5 sections cited: {cited}/{len(CHAPTER5_SECTIONS)}")
    lines += [f"  [{'x' if ok else ' '}] {section}" for section, ok in data["chapter5_sections"].items()]
    lines.append("Rules by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(data["kinds"].items())))
    return "\n".join(lines) + "\n"
