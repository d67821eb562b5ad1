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
