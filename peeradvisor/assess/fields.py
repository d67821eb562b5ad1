"""Read and write one answer inside answers-file data, by question id. Pure."""

from __future__ import annotations

from typing import Any

Path = tuple[str | int, ...]


def path_of(question_id: str, response: int) -> Path:
    """'context.supervision.one_to_one' -> ('context', 'supervision', 'one_to_one');
    'inventory.2.5.importance' -> ('responses', r, 'inventory', '2.5', 'importance')."""
    if question_id in ("organisation", "stage"):
        return (question_id,)
    if question_id.startswith("context."):
        return tuple(question_id.split("."))
    if question_id == "top3":
        return ("responses", response, "top3")
    if question_id.startswith("respondent."):
        return ("responses", response, "respondent", question_id.split(".", 1)[1])
    _, major, minor, part = question_id.split(".")
    return ("responses", response, "inventory", f"{major}.{minor}", part)


def get(data: Any, path: Path) -> Any:
    """The value at PATH, or None when absent (an empty top3 counts as absent)."""
    node = data
    for key in path:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
        else:
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return None
    return None if node == [] else node


def put(data: dict[str, Any], path: Path, value: Any) -> None:
    *parents, key = path
    node: Any = data
    for part in parents:
        node = node[part] if isinstance(part, int) else node.setdefault(part, {})
    node[key] = value


def remove(data: dict[str, Any], path: Path) -> None:
    """Delete the answer at PATH; an item left with neither A nor B is removed as a whole."""
    *parents, key = path
    node: Any = data
    trail = []
    for part in parents:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return
        elif not isinstance(node, dict) or part not in node:
            return
        trail.append((node, part))
        node = node[part]
    if not isinstance(node, dict):
        return
    node.pop(key, None)
    if key == "top3":
        node["top3"] = []
    elif len(path) == 5 and path[2] == "inventory" and not node:
        parent, name = trail[-1]
        parent.pop(name, None)
