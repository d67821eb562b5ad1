"""What if an answer were different? Change answers with `--set PATH=VALUE`, re-run, and compare.

`apply_sets` and `diff` are pure. `run_whatif` is the one helper the commands call (`scenarios run
--set`, and `advise FILE --set` once wired): it loads, changes, re-validates, advises twice and
compares. Paths use the contract's error-path form: `context.staffing_pressure`,
`context.supervision.one_to_one`, `responses[0].inventory.4.4`, `responses[1].inventory.2.1.importance`,
`responses[0].top3`. Values are YAML scalars read by the one loader (`true`, `no`, `3`, `[2.1, 4.4]`);
`null` removes the answer (it becomes *not known*). Setting an inventory item that has question A and B
answers to a plain value changes its `happening` only.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answers import Answers, answers_from_data
from ..errors import InputError, UsageError
from ..kb.loader import KnowledgeBase
from ..report import Report
from ..yamlio import load_file, parse_text

_TOKEN = re.compile(r"\[(\d+)\]|\[\"([^\"]+)\"\]|\['([^']+)'\]|([^.\[\]]+)")


@dataclass(frozen=True)
class Change:
    path: str
    value: Any  # parsed as a YAML scalar
    raw: str = ""  # as typed


@dataclass(frozen=True)
class Moved:
    id: str
    title: str
    before: int
    after: int


@dataclass(frozen=True)
class WhatIf:
    """How the findings changed when some answers changed."""

    changes: tuple[Change, ...]
    disappeared: tuple[tuple[str, str, str, int], ...]  # (id, kind, title, old rank)
    appeared: tuple[tuple[str, str, str, int], ...]  # (id, kind, title, new rank)
    moved: tuple[Moved, ...]
    unchanged: int
    derived_lost: tuple[str, ...]
    derived_gained: tuple[str, ...]
    report: Report  # the report for the changed answers

    @property
    def changed(self) -> bool:
        return bool(self.disappeared or self.appeared or self.moved
                    or self.derived_lost or self.derived_gained)


def parse_set(spec: str) -> Change:
    """`context.staffing_pressure=false` -> Change('context.staffing_pressure', False)."""
    path, sep, raw = spec.partition("=")
    if not sep or not path.strip():
        raise UsageError(f"--set {spec!r}: write PATH=VALUE, e.g. --set context.staffing_pressure=false")
    value = parse_text(raw, f"--set {path.strip()}") if raw.strip() else None
    return Change(path.strip(), value, raw.strip() or "null")


def split_path(path: str) -> list[str | int]:
    """`responses[0].inventory.4.4.importance` -> ['responses', 0, 'inventory', '4.4', 'importance']."""
    tokens: list[str | int] = []
    for m in _TOKEN.finditer(path):
        index, dq, sq, name = m.groups()
        tokens.append(int(index) if index is not None else (dq or sq or name))
    out: list[str | int] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        after_inventory = bool(out) and out[-1] == "inventory"
        if after_inventory and isinstance(tok, str) and "." not in tok and i + 1 < len(tokens):
            out.append(f"{tok}.{tokens[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def _step_into(node: Any, key: str | int, path: str) -> Any:
    if isinstance(key, int):
        if not isinstance(node, list):
            raise InputError("--set", "is not a list", path)
        if key >= len(node):
            raise InputError("--set", f"there are only {len(node)} entries (counted from 0)", path)
        return node[key]
    if not isinstance(node, dict):
        raise InputError("--set", "goes inside a value that is not a mapping", path)
    if _is_item_key(key) and key in node and not isinstance(node[key], dict):
        node[key] = {"happening": node[key]}  # shorthand answer -> question A and B
    return node.setdefault(key, {})


def _assign(parent: Any, key: str | int, value: Any, path: str) -> None:
    if isinstance(key, int):
        _step_into(parent, key, path)
        parent[key] = value
        return
    if not isinstance(parent, dict):
        raise InputError("--set", "goes inside a value that is not a mapping", path)
    old = parent.get(key)
    if value is None:
        parent.pop(key, None)
    elif isinstance(old, dict) and not isinstance(value, dict) and _is_item_key(key):
        old["happening"] = value  # keep the importance answer; change question A only
    else:
        parent[key] = value


def _is_item_key(key: str) -> bool:
    return bool(re.fullmatch(r"\d\.\d", key))


def apply_sets(data: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
    """A changed deep copy of answers data (not yet validated)."""
    out = copy.deepcopy(data)
    for response in out.get("responses") or []:
        if isinstance(response, dict) and isinstance(response.get("inventory"), dict):
            # an unquoted `2.1:` key arrives from YAML as a float; spell it as the contract does
            response["inventory"] = {(f"{k:g}" if isinstance(k, float) else k): v
                                     for k, v in response["inventory"].items()}
    for change in changes:
        keys = split_path(change.path)
        if not keys:
            raise InputError("--set", "empty path", change.path)
        node: Any = out
        for key in keys[:-1]:
            node = _step_into(node, key, change.path)
        _assign(node, keys[-1], change.value, change.path)
    return out


def revalidate(data: dict[str, Any], source: str, changes: list[Change]) -> Answers:
    """Validate the changed answers; an error names the --set that caused it where it can."""
    label = f"{source} with " + ", ".join(f"--set {c.path}" for c in changes)
    try:
        return answers_from_data(data, label)
    except InputError as exc:
        culprit = next((c for c in changes if exc.path and _norm(exc.path).startswith(_norm(c.path))), None)
        if culprit is not None:
            label = f"{source} with --set {culprit.path}={culprit.raw or show_value(culprit.value)}"
        raise InputError(label, problems=exc.problems) from None


def _norm(path: str) -> str:
    return ".".join(str(k) for k in split_path(path))


def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def diff(before: Report, after: Report, changes: tuple[Change, ...] = ()) -> WhatIf:
    """Which findings disappeared, appeared or moved between two reports."""
    old = {f.id: f for f in before.findings}
    new = {f.id: f for f in after.findings}
    gone = tuple((f.id, f.kind, f.title, f.rank) for f in before.findings if f.id not in new)
    came = tuple((f.id, f.kind, f.title, f.rank) for f in after.findings if f.id not in old)
    # a finding moves when its place among the findings both reports share changes, so that one
    # finding disappearing does not make every finding below it "move"
    kept_before = [f.id for f in before.findings if f.id in new]
    kept_after = [f.id for f in after.findings if f.id in old]
    moved = tuple(Moved(i, new[i].title, old[i].rank, new[i].rank) for n, i in enumerate(kept_after)
                  if kept_before.index(i) != n)
    same = len(kept_after) - len(moved)
    lost = tuple(x for x in before.derived if x not in after.derived)
    gained = tuple(x for x in after.derived if x not in before.derived)
    return WhatIf(changes, gone, came, moved, same, lost, gained, after)


def load_data(target: str, kb_root: Path) -> tuple[dict[str, Any], str]:
    """Answers data and a label, from a file path or `scenario:NAME`."""
    if target.startswith("scenario:"):
        from ..cases import find_scenario

        case = find_scenario(kb_root, target.removeprefix("scenario:"))
        return dict(case.answers), f"scenario {case.name}"
    data = load_file(Path(target))
    if not isinstance(data, dict):
        answers_from_data(data, target)  # raises the usual "must be a mapping" error
    return data, target


def run_whatif(data: dict[str, Any], source: str, specs: list[str], kb: KnowledgeBase) -> WhatIf:
    """Advise on the answers as given and as changed by the --set specs, and compare."""
    from ..core import advise

    before = advise(answers_from_data(data, source), kb)
    changes = [parse_set(s) for s in specs]
    after = advise(revalidate(apply_sets(data, changes), source, changes), kb)
    return diff(before, after, tuple(changes))
