"""The package's layers: each module imports only from its own layer or the layers below it.

cli → commands (and assess) → render → analysis → core → engine, kb, facts, cases → answers, report, vocab.
Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "peeradvisor"

LAYERS: dict[str, int] = {
    "vocab": 0, "errors": 0, "safe_text": 0, "report": 0, "answers": 0, "yamlio": 0, "validation": 0,
    "facts": 1, "kb": 1, "engine": 1, "cases": 1,
    "core": 2,
    "analysis": 3,
    "render": 4, "console": 4,
    "commands": 5, "assess": 5, "cli_errors": 5, "respondents": 1,
    "api": 3, "cli": 6, "__main__": 6, "__init__": 6,
}


def layer_of(module: str) -> int:
    """`peeradvisor.render.memo.build` -> the layer of `render`."""
    parts = module.split(".")
    return LAYERS[parts[1] if len(parts) > 1 else "__init__"]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1] if len(parts) > 2 else [*parts[:-1], "__init__"]
    return ".".join(parts)


def imported(path: Path, module: str) -> list[str]:
    """Every peeradvisor module this file imports, made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("peeradvisor")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("peeradvisor"):
                names = [f"{target}.{a.name}" for a in node.names]
                out += [n if n.split(".")[1:2] and n.split(".")[1] in LAYERS else target for n in names] \
                    if target == "peeradvisor" else [target]
    return out


def test_every_module_has_a_layer() -> None:
    """A new top-level module or package must be placed in a layer here."""
    tops = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
            if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))}
    assert tops <= set(LAYERS), sorted(tops - set(LAYERS))


def test_imports_point_down() -> None:
    """No module imports from a layer above its own."""
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        own = layer_of(module)
        for target in imported(path, module):
            if target.split(".")[1:2] and layer_of(target) > own:
                wrong.append(f"{module} imports {target}")
    assert wrong == []
