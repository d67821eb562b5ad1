"""A start-up cache for the knowledge base's YAML: the parsed data kept as JSON, keyed by file content.

Parsing some 190 rules of YAML is most of the time it takes to load the knowledge base; JSON of the same
data loads several times faster. An entry is named by the hash of the file's text and holds, beside the
data, the hash of that text and the hash of the data as written. It is used only when both hashes check out
(and its data is then validated like any other); anything else (a damaged, emptied or edited entry) is
ignored, the YAML parsed again and the entry written anew. So the cache can never change what is loaded.
`rules lint` does not use it at all.
Set PEERADVISOR_NO_CACHE=1 to bypass it. Any problem with the cache folder just means no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..yamlio import atomic_write, parse_text, read_text

VERSION = "2"


def folder() -> Path | None:
    """$XDG_CACHE_HOME/peeradvisor, else ~/.cache/peeradvisor; None when caching is off or no absolute
    folder is known (the XDG spec says to ignore a relative XDG_CACHE_HOME)."""
    if os.environ.get("PEERADVISOR_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "peeradvisor" if os.path.isabs(base) else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(entry: Path, source_hash: str) -> tuple[bool, Any]:
    """(True, data) when ENTRY is a sound entry for the text hashing to SOURCE_HASH, else (False, None).

    An entry is a header line (JSON: version, source hash, hash of the rest) and then the data as JSON, so
    checking it costs one hash of the text read, not a second encoding of the data.
    """
    try:
        header, _, body = entry.read_text(encoding="utf-8").partition("\n")
        held = json.loads(header)
        if held != {"version": VERSION, "source": source_hash, "data_sha256": _digest(body)}:
            return False, None
        return True, json.loads(body)
    except (OSError, ValueError, RecursionError):
        return False, None


def _write(entry: Path, source_hash: str, data: Any) -> None:
    try:
        body = json.dumps(data, ensure_ascii=False)
        if json.loads(body) != data:  # only data that survives a JSON round trip unchanged is cached
            return
        header = json.dumps({"version": VERSION, "source": source_hash, "data_sha256": _digest(body)})
        atomic_write(entry, f"{header}\n{body}")
    except Exception:  # noqa: BLE001 - a cache that cannot be written must never stop loading
        pass


def load_cached(path: Path) -> Any:
    """The parsed content of a knowledge base YAML file, from the cache when it holds this exact file."""
    text = read_text(path)
    where = folder()
    if where is None:
        return parse_text(text, str(path))
    source_hash = _digest(VERSION + text)
    entry = where / f"{source_hash}.json"
    sound, data = _read(entry, source_hash)
    if sound:
        return data
    data = parse_text(text, str(path))
    _write(entry, source_hash, data)
    return data
