"""The examples in the trainer's guide are real output: each `$ peeradvisor …` line in a ```console block
of docs/scenarios.md is run and its output compared with the lines under it.

A line `...` in an example stands for any number of lines (the rest of a long output). After a change
to the rules, `uv run pytest tests/test_docs_examples.py --update-golden` rewrites the examples from the
commands' output, keeping each example's head and tail; a middle part that no longer appears is left
for a person to choose again.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeradvisor.cli import app
from peeradvisor.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "docs" / "scenarios.md"]
BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
MORE = "..."


@dataclass(frozen=True)
class Example:
    doc: Path
    command: str
    expected: list[str]


def examples(doc: Path) -> list[Example]:
    """Every `$ peeradvisor …` command of the console blocks, with the lines it should print."""
    out: list[Example] = []
    for block in BLOCK.finditer(doc.read_text(encoding="utf-8")):
        for part in re.split(r"^(?=\$ )", block.group(1), flags=re.M):
            if part.strip():
                command, _, body = part.partition("\n")
                out.append(Example(doc, command.removeprefix("$ ").strip(), body.rstrip("\n").split("\n")
                                   if body.strip() else []))
    return out


def run(command: str) -> list[str]:
    """What the command prints (standard output, then standard error), line by line."""
    args = shlex.split(command)
    assert args[0] == "peeradvisor", command
    result = CliRunner().invoke(app, args[1:])
    text = result.stdout + (result.stderr if result.exit_code else "")
    return [line.rstrip() for line in text.rstrip("\n").split("\n")]


def matches(expected: list[str], actual: list[str]) -> bool:
    """The expected lines equal the actual ones, a `...` line standing for any number of lines."""
    chunks = _chunks(expected)
    if len(chunks) == 1:
        return expected == actual
    head, *middle, tail = chunks
    if actual[:len(head)] != head or (tail and actual[len(actual) - len(tail):] != tail):
        return False
    at, end = len(head), len(actual) - len(tail)
    for chunk in middle:
        found = next((i for i in range(at, end - len(chunk) + 1) if actual[i:i + len(chunk)] == chunk), None)
        if found is None:
            return False
        at = found + len(chunk)
    return at <= end


def _chunks(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line == MORE:
            out.append([])
        else:
            out[-1].append(line)
    return out


def updated(expected: list[str], actual: list[str]) -> list[str]:
    """The example rewritten from ACTUAL: whole, or its head and tail (and middle parts still found)."""
    chunks = _chunks(expected)
    if len(chunks) == 1:
        return actual
    head, *middle, tail = chunks
    kept = [c for c in middle if any(actual[i:i + len(c)] == c for i in range(len(actual)))]
    out = actual[:len(head)]
    for chunk in kept:
        out += [MORE, *chunk]
    return [*out, MORE, *(actual[len(actual) - len(tail):] if tail else [])]


ALL = [e for doc in DOCS for e in examples(doc)]


@pytest.fixture(autouse=True)
def _shared_kb(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands reuse the session's knowledge base (and its compiled engine) instead of rebuilding it."""
    import peeradvisor.kb as kb_module

    monkeypatch.setattr(kb_module, "load_kb", lambda root=None: kb)


def test_the_guide_has_examples() -> None:
    """The guide shows real output for stepping, what-if, why-not and the facilitator's note."""
    commands = " ".join(e.command for e in ALL)
    for needed in ("--step", "--set", "why-not", "--notes", "--handout", "advise"):
        assert needed in commands
    assert all(e.expected for e in ALL)


@pytest.mark.parametrize("example", ALL, ids=[e.command.removeprefix("peeradvisor ") for e in ALL])
def test_example_is_real_output(example: Example, update_golden: bool) -> None:
    """The lines under the command are what it prints (`...` standing for lines left out)."""
    actual = run(example.command)
    if matches(example.expected, actual):
        return
    if update_golden:
        text = example.doc.read_text(encoding="utf-8")
        old = "\n".join([f"$ {example.command}", *example.expected])
        new = "\n".join([f"$ {example.command}", *updated(example.expected, actual)])
        assert text.count(old) == 1, f"cannot find the example to update: {example.command}"
        example.doc.write_text(text.replace(old, new), encoding="utf-8")
        return
    shown = "\n".join(actual)
    pytest.fail(f"{example.doc.name}: `{example.command}` prints something else; run with --update-golden "
                f"or edit the example. It prints:\n{shown}")


class TestMatching:
    """The comparison itself: `...` stands for lines, and nothing else is forgiven."""

    def test_exact(self) -> None:
        """Without `...` every line must be equal, no more and no fewer."""
        assert matches(["a", "b"], ["a", "b"])
        assert not matches(["a", "b"], ["a", "b", "c"])
        assert not matches(["a", "x"], ["a", "b"])

    def test_elision(self) -> None:
        """Head, middle parts in order, and tail; a missing or misplaced part fails."""
        actual = ["h", "1", "m", "2", "n", "t"]
        assert matches(["h", MORE, "m", MORE, "t"], actual)
        assert matches(["h", MORE], actual)
        assert not matches(["h", MORE, "x", MORE, "t"], actual)
        assert not matches(["h", MORE, "n", MORE, "m", MORE, "t"], actual)
        assert not matches(["x", MORE], actual)

    def test_update_keeps_the_shape(self) -> None:
        """Updating keeps as many head and tail lines as before, and middle parts that still appear."""
        assert updated(["a", MORE, "m", MORE, "z"], ["A", "B", "m", "C", "Z"]) == ["A", MORE, "m", MORE, "Z"]
        assert updated(["a", "b"], ["c"]) == ["c"]
