"""A start-up cache for the knowledge base's YAML: the parsed data kept as JSON, keyed by file content.

Parsing some 170 rules of YAML is most of the time it takes to load the knowledge base; JSON of the same
data loads several times faster. An entry is used only when the file's bytes hash to its name, and only
data that survives a JSON round trip unchanged is cached, so the cache can never change what is loaded.
Set PEERADVISOR_NO_CACHE=1 to bypass it. Any problem with the cache folder just means no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..yamlio import atomic_write, parse_text, read_text

VERSION = "1"


def _folder() -> Path | None:
    if os.environ.get("PEERADVISOR_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "peeradvisor"


def load_cached(path: Path) -> Any:
    """The parsed content of a knowledge base YAML file, from the cache when it holds this exact file."""
    text = read_text(path)
    folder = _folder()
    if folder is None:
        return parse_text(text, str(path))
    entry = folder / f"{hashlib.sha256((VERSION + text).encode('utf-8')).hexdigest()}.json"
    try:
        return json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = parse_text(text, str(path))
    try:
        encoded = json.dumps(data, ensure_ascii=False)
        if json.loads(encoded) == data:
            atomic_write(entry, encoded)
    except Exception:  # noqa: BLE001 - a cache that cannot be written must never stop loading
        pass
    return data
