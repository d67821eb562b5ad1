"""The knowledge base start-up cache never changes what is loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peeradvisor.kb import load_kb

ROOT = Path(__file__).resolve().parents[1]


def test_cached_load_equals_fresh_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading twice (filling, then reading the cache) gives the same rules as loading with no cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first, second = load_kb(ROOT), load_kb(ROOT)
    assert list((tmp_path / "peeradvisor").glob("*.json"))
    monkeypatch.setenv("PEERADVISOR_NO_CACHE", "1")
    fresh = load_kb(ROOT)
    assert first.rules == second.rules == fresh.rules
    assert second.study == fresh.study and second.items == fresh.items


def test_corrupt_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged cache entry is parsed again from the YAML rather than trusted or fatal."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = load_kb(ROOT).rules
    for entry in (tmp_path / "peeradvisor").glob("*.json"):
        entry.write_text("{not json")
    assert load_kb(ROOT).rules == expected


def test_edited_rule_file_is_not_served_from_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing a rule file changes its key, so the edit is what gets loaded."""
    import shutil

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kb_root = tmp_path / "kb"
    shutil.copytree(ROOT / "rules", kb_root / "rules")
    shutil.copytree(ROOT / "knowledge", kb_root / "knowledge")
    load_kb(kb_root)
    path = kb_root / "rules" / "caveats.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"(?m)^    title: .*$", "    title: An edited title", text, count=1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    assert "An edited title" in {r.title for r in load_kb(kb_root).rules}


def _entries(folder: Path) -> list[Path]:
    entries = list((folder / "peeradvisor").glob("*.json"))
    assert entries
    return entries


def test_empty_entries_are_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`{}` in every entry (valid JSON, wrong content) is ignored and rebuilt, not blamed on items.yaml."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = load_kb(ROOT)
    for entry in _entries(tmp_path):
        entry.write_text("{}", encoding="utf-8")
    again = load_kb(ROOT)
    assert again.rules == expected.rules and again.items == expected.items
    assert all(entry.read_text(encoding="utf-8") != "{}" for entry in _entries(tmp_path))


def test_edited_entry_cannot_change_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose data was edited (a warning turned into a strength) is ignored: the YAML decides."""
    import json

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = load_kb(ROOT)
    warning = next(r for r in expected.rules if r.kind == "warning")
    edited = 0
    for entry in _entries(tmp_path):
        header, _, body = entry.read_text(encoding="utf-8").partition("\n")
        held = json.loads(body)
        for data in held.get("rules", []) if isinstance(held, dict) else []:
            if data["id"] == warning.id:
                data["kind"] = "strength"
                entry.write_text(f"{header}\n{json.dumps(held)}", encoding="utf-8")
                edited += 1
    assert edited == 1
    assert load_kb(ROOT).rule(warning.id).kind == "warning"


def test_lint_reads_the_rule_files_not_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a sound-looking entry for a rule file is not what `rules lint` checks: it reads the file."""
    import shutil

    from typer.testing import CliRunner

    from peeradvisor.cli import app
    from peeradvisor.kb import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kb_root = tmp_path / "kb"
    shutil.copytree(ROOT / "rules", kb_root / "rules")
    shutil.copytree(ROOT / "knowledge", kb_root / "knowledge")
    path = kb_root / "rules" / "caveats.yaml"
    good = cache.load_cached(path)
    broken = path.read_text(encoding="utf-8").replace("    support:", "    not_support:", 1)
    path.write_text(broken, encoding="utf-8")
    folder = cache.folder()
    assert folder is not None
    digest = cache._digest(cache.VERSION + broken)
    cache._write(folder / f"{digest}.json", digest, good)  # an entry claiming the broken file is the good one
    result = CliRunner().invoke(app, ["rules", "lint", "--kb", str(kb_root)])
    assert result.exit_code == 2
    assert "caveats.yaml" in result.stderr and "not_support" in result.stderr


def test_relative_cache_home_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative XDG_CACHE_HOME is ignored (XDG spec): no cache folder appears in the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative-cache")
    load_kb(ROOT)
    assert not (tmp_path / "relative-cache").exists()
    assert list((tmp_path / "home" / ".cache" / "peeradvisor").glob("*.json"))
