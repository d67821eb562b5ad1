"""The one loader for YAML and JSON files: safe, size- and depth-limited."""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file, refusing missing, unreadable, huge or empty ones."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(source, f"file is {size:,} bytes; the limit is {max_bytes:,}")
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(source, "is a folder, not a file") from None
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except PermissionError:
        raise InputError(source, "cannot be read (permission denied)") from None
    if not data.strip():
        raise InputError(source, "is empty")
    return data


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing missing, huge, binary or empty files."""
    source = str(path)
    data = read_bytes(path, max_bytes=max_bytes)
    if b"\x00" in data:
        raise InputError(source, "looks like a binary file, not YAML or JSON text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise InputError(source, "is empty")
    return text


def parse_text(text: str, source: str) -> Any:
    """Parse YAML (or JSON, which YAML reads too) with the safe loader only."""
    try:
        # _Loader is a SafeLoader: tags that would build Python objects are refused
        data = json.loads(text) if source.endswith(".json") else yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InputError(source, f"not valid YAML: {where}{exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"not valid YAML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InputError(source, f"nested too deeply (limit {MAX_DEPTH} levels)") from None
    _check_depth(data, source)
    return data


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """The line (from 1) where the value at PATH (mapping keys and list indexes) starts in the YAML TEXT.

    Where PATH goes further than the text does (a missing field), the line of the deepest part that exists.
    It composes the whole node tree again, so it is for reporting an error, never for loading.
    """
    try:
        node = _composed(text)
    except (yaml.YAMLError, RecursionError):
        return None
    if node is None:
        return None
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


@functools.lru_cache(maxsize=4)  # several problems in one file: its tree is composed once
def _composed(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_Loader)


def load_file(path: Path | str, *, max_bytes: int = MAX_BYTES) -> Any:
    path = Path(path)
    return parse_text(read_text(path, max_bytes=max_bytes), str(path))


def _check_depth(data: Any, source: str) -> None:
    stack: list[tuple[Any, int]] = [(data, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:  # also stops alias "billion laughs" expansions
            raise InputError(source, f"has more than {MAX_NODES:,} values; is it really an answers file?")
        if depth > MAX_DEPTH:
            raise InputError(source, f"nested too deeply (limit {MAX_DEPTH} levels)")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def dump_yaml(data: Any, *, compact: bool = False) -> str:
    """YAML in the order given. COMPACT: small mappings and lists of plain values on one line, as the
    examples write an answer (`"2.1": {happening: no, importance: 4}`), so a file of many respondents reads."""
    dumper = _CompactDumper if compact else yaml.SafeDumper
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


class _CompactDumper(yaml.SafeDumper):
    def represent_mapping(self, tag: str, mapping: Any, flow_style: bool | None = None) -> yaml.MappingNode:
        node = super().represent_mapping(tag, mapping, flow_style)
        node.flow_style = len(node.value) <= 3 and all(isinstance(v, yaml.ScalarNode) for _, v in node.value)
        return node

    def represent_sequence(self, tag: str, sequence: Any, flow_style: bool | None = None) -> yaml.SequenceNode:
        node = super().represent_sequence(tag, sequence, flow_style)
        node.flow_style = bool(node.value) and all(isinstance(v, yaml.ScalarNode) for v in node.value)
        return node


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside PATH, then rename: readers never see half a file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(str(path), f"cannot write here ({exc.strerror or type(exc).__name__})") from None
    try:
        os.chmod(tmp, _file_mode(path))  # mkstemp makes it private; others should read it as they would any file
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode PATH keeps if it exists, else the one a new file gets under the user's umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask
