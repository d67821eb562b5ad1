"""The one loader for YAML and JSON files: safe, size- and depth-limited."""

from __future__ import annotations

import errno
import functools
import json
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from . import safe_text
from .errors import InputError, UsageError, WriteError

MAX_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader, stricter: a key twice in one mapping is refused (with both lines), dates stay the
    text they are written as (only the answers file's `assessed_on` is a date, and it checks its own), and
    an integer too long to read is refused where it stands."""

    yaml_implicit_resolvers = {first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
                               for first, resolvers in _Base.yaml_implicit_resolvers.items()}

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Mark] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise DuplicateKey(key, seen[key].line + 1, key_node.start_mark.line + 1)
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)  # type: ignore[no-any-return]
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(node.value):,} characters is too long", node.start_mark) from None

    def construct_yaml_str_as_written(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor(_TIMESTAMP, _Loader.construct_yaml_str_as_written)  # an explicit !!timestamp too


class DuplicateKey(ValueError):
    def __init__(self, key: Any, first: int | None = None, again: int | None = None) -> None:
        self.key, self.first, self.again = key, first, again
        super().__init__(f"duplicate key {key!r}")

    def message(self) -> str:
        where = f"line {self.again}: " if self.again else ""
        lines = f" (lines {self.first} and {self.again})" if self.first else ""
        return f"{where}{str(self.key)[:60]!r} is given twice in one mapping{lines}; keep one"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def _json_int(digits: str) -> int:
    if len(digits) > 4000:  # Python reads at most 4,300 digits; no answer needs more than a few
        raise ValueError(f"a number of {len(digits):,} digits is too long")
    return int(digits)


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_json_int)
    except DuplicateKey as exc:
        try:  # JSON is YAML too: read it again as YAML to find the lines of both keys
            yaml.load(text, Loader=_Loader)
        except DuplicateKey as located:
            if located.key == exc.key:
                raise located from None
        except yaml.YAMLError:
            pass
        raise


def read_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a regular file, refusing missing, unreadable, huge or empty ones, and anything that is not a
    regular file (a named pipe would wait forever, a device such as /dev/zero never ends)."""
    source = str(path)
    try:
        # O_NONBLOCK: opening a named pipe nobody writes to returns at once, so it can be refused
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except PermissionError:
        raise InputError(source, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(source, f"is {file_kind(mode)}, not a regular file")
        os.set_blocking(fd, True)
        try:
            data = fh.read(max_bytes + 1)  # never more than the limit, whatever the size claims
        except OSError as exc:
            raise InputError(source, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > max_bytes:
        size = max(len(data), os.stat(path).st_size if os.path.exists(path) else 0)
        raise InputError(source, f"file is {size:,} bytes; the limit is {max_bytes:,}")
    if not data.strip():
        raise InputError(source, "is empty")
    return data


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


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
        data = _parse_json(text) if source.endswith(".json") else yaml.load(text, Loader=_Loader)
    except DuplicateKey as exc:
        raise InputError(source, exc.message()) from None
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
    except ValueError as exc:  # json: an integer of more digits than Python reads (4,300)
        raise InputError(source, f"not valid JSON: {exc}") from None
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
    # A string holding a control or invisible character (bidi, zero-width) is written with escapes, so the
    # file holds exactly the data and shows it as it is; plain text stays readable (allow_unicode).
    readable = not any(safe_text.suspect(s) for s in _strings(data))
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=readable, width=100)


def _strings(data: Any) -> Iterator[str]:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


class _CompactDumper(yaml.SafeDumper):
    def represent_mapping(self, tag: str, mapping: Any, flow_style: bool | None = None) -> yaml.MappingNode:
        node = super().represent_mapping(tag, mapping, flow_style)
        node.flow_style = len(node.value) <= 3 and all(isinstance(v, yaml.ScalarNode) for _, v in node.value)
        return node

    def represent_sequence(self, tag: str, sequence: Any, flow_style: bool | None = None) -> yaml.SequenceNode:
        node = super().represent_sequence(tag, sequence, flow_style)
        node.flow_style = bool(node.value) and all(isinstance(v, yaml.ScalarNode) for v in node.value)
        return node


def output_target(path: Path) -> Path:
    """The file writing PATH replaces: PATH, or the file a symbolic link there points to. Anything but a
    regular file is refused (exit 2): a named pipe, a device (/dev/null), a link to /proc/self/fd/1 must
    not be replaced by a file, and writing into them cannot be made atomic."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode  # follows links
    except FileNotFoundError:
        return path.resolve() if path.is_symlink() else path
    except OSError as exc:
        raise UsageError(f"{path}: cannot write here ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path} is {file_kind(mode)}, not a regular file; peeradvisor writes only "
                         "regular files (replaced whole, never half-written): give a file name")
    return path.resolve() if path.is_symlink() else path


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside PATH, then rename: readers never see half a file, and a write that
    fails (a full disk) leaves PATH as it was."""
    path = Path(path)
    target = output_target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        if exc.errno in _FULL:
            raise _write_error(path, exc) from None
        raise InputError(str(path), f"cannot write here ({exc.strerror or type(exc).__name__})") from None
    try:
        os.chmod(tmp, _file_mode(target))  # mkstemp makes it private; others should read it as they would any file
        try:
            write_all(fd, text.encode("utf-8") if isinstance(text, str) else text)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from None
        raise


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def write_all(fd: int, data: bytes) -> None:
    """Write every byte to FD, or raise: a short write (a disk filling up) is never taken as done."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_error(path: Path, exc: OSError) -> WriteError:
    if exc.errno == errno.ENOSPC:
        return WriteError(str(path), "no space left on the device; nothing was written (free some space "
                                     "and run again)")
    reason = exc.strerror or type(exc).__name__
    return WriteError(str(path), f"cannot be written ({reason}); nothing was written")


def _file_mode(path: Path) -> int:
    """The mode PATH keeps if it exists, else the one a new file gets under the user's umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask
