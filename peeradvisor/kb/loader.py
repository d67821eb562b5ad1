"""Load and cross-check the knowledge base: rules/*.yaml and knowledge/*.yaml."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError, KnowledgeError
from ..errors import Problem as Located
from ..report import KbStamp
from ..yamlio import parse_text, read_text
from .cache import load_cached
from .models import (
    Domain,
    Item,
    ItemsFile,
    PhrasesFile,
    Point,
    PointsFile,
    Rule,
    RuleFile,
    StudyData,
    ThemeInfo,
    ThemesFile,
)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Everything the advisor knows, validated: items, themes, study data and rules."""

    root: Path
    domains: tuple[Domain, ...]
    items: dict[str, Item]
    themes: dict[str, ThemeInfo]
    study: StudyData
    rules: tuple[Rule, ...]
    rule_files: dict[str, str] = field(default_factory=dict)  # rule id -> file it came from
    points: dict[str, Point] = field(default_factory=dict)
    sha256: str = ""  # over every rule and knowledge file, so that any edit changes it
    phrases: PhrasesFile | None = None
    _by_id: dict[str, Rule] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {rule.id: rule for rule in self.rules})

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def stamp(self) -> KbStamp:
        """What advised: the package version, how many rules, and the files' hash (contract section 2b)."""
        return KbStamp(version=package_version(), rules=len(self.rules), sha256=self.sha256)

    @property
    def findings_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind != "derive")


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peeradvisor")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def content_hash(root: Path) -> str:
    """SHA-256 over the rule and knowledge files (names and bytes, in name order)."""
    digest = hashlib.sha256()
    for path in sorted([*(root / "rules").glob("*.yaml"), *(root / "knowledge").glob("*.yaml")]):
        digest.update(f"{path.parent.name}/{path.name}\0".encode())
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def default_root() -> Path:
    """The knowledge base beside the package (a source checkout) or shipped inside it (a wheel)."""
    env = os.environ.get("PEERADVISOR_KB")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[2]
    if (here / "rules").is_dir() and (here / "knowledge").is_dir():
        return here
    return Path(__file__).resolve().parents[1] / "_kb"


def _validate(model: type[M], data: Any, source: str, prefix: str = "", path: Path | None = None) -> M:
    """DATA as MODEL, or a KnowledgeError naming every problem (with its line, when PATH is the file)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        from .locate import validation_problems  # only on the way out: finding lines costs a second parse

        raise KnowledgeError(source, problems=validation_problems(exc, source, path, prefix)) from None


def _load(path: Path, model: type[M], cache: bool = True) -> M:
    try:
        data = load_cached(path) if cache else parse_text(read_text(path), str(path))
    except InputError as exc:
        raise KnowledgeError(exc.source, problems=exc.problems) from None
    return _validate(model, data, _display(path), path=path)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_kb(root: Path | None = None, *, cache: bool = True) -> KnowledgeBase:
    """Load every file, validate each against its model, then check cross-references.

    CACHE=False reads every file itself, not the start-up cache (what `rules lint` does).
    """
    root = Path(root) if root else default_root()
    knowledge = root / "knowledge"
    items_file = _load(knowledge / "items.yaml", ItemsFile, cache)
    themes_file = _load(knowledge / "themes.yaml", ThemesFile, cache)
    study = _load(knowledge / "study_data.yaml", StudyData, cache)
    points = _load(knowledge / "points.yaml", PointsFile, cache).points
    phrases = _load(knowledge / "phrases.yaml", PhrasesFile, cache)
    rules: list[Rule] = []
    origin: dict[str, str] = {}
    rule_files = sorted((root / "rules").glob("*.yaml"))
    if not rule_files:
        raise KnowledgeError(_display(root / "rules"), "no rule files (*.yaml) found")
    broken: list[KnowledgeError] = []  # every rule file is read, so that one run reports them all
    for path in rule_files:
        try:
            loaded = _load(path, RuleFile, cache).rules
        except KnowledgeError as exc:
            broken.append(exc)
            continue
        for index, rule in enumerate(loaded):
            if rule.id in origin:
                from .locate import rule_line

                line = rule_line(path, index, "id")
                raise KnowledgeError(f"{_display(path)}:{line}" if line else _display(path),
                                     f"duplicate rule id {rule.id!r} (also in {origin[rule.id]})",
                                     f"rules[{index}].id")
            origin[rule.id] = _display(path)
            rules.append(rule)
    if broken:
        raise KnowledgeError(broken[0].source, problems=[
            Located(p.message, p.path, p.source or exc.source) for exc in broken for p in exc.problems])
    kb = KnowledgeBase(
        root=root,
        domains=tuple(items_file.domains),
        items={item.id: item for item in items_file.items},
        themes={theme.id: theme for theme in themes_file.themes},
        study=study,
        rules=tuple(rules),
        rule_files=origin,
        points={point.id: point for point in points},
        sha256=content_hash(root),
        phrases=phrases,
    )
    from .checks import check_references, located

    problems = check_references(kb)
    if problems:
        where = located(kb, problems)
        raise KnowledgeError(where[0][0], problems=[Located(p.message, p.path, at) for at, p in where])
    return kb
