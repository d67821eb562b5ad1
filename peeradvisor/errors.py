"""The exceptions peeradvisor raises, and the exit status each one maps to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


class PeeradvisorError(Exception):
    """Base class: something the user can act on."""

    exit_code = EXIT_INTERNAL


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input: where inside it (a field path, or `row 3, column "2.1 A"`), and what.

    `source` names another file than the error's own, where one error covers several files (`merge`).
    """

    message: str
    path: str = ""
    source: str = ""

    def line(self, source: str) -> str:
        where = self.source or source
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InputError(PeeradvisorError):
    """A file or option the user gave is invalid; names the file and the field path.

    It may carry several `problems` (every one found in the file): its text is then one line per problem,
    and `path` and `message` are those of the first.
    """

    exit_code = EXIT_INPUT

    def __init__(self, source: str, message: str = "", path: str = "", *,
                 problems: Iterable[Problem] = ()) -> None:
        listed = tuple(problems) or (Problem(message, path),)
        self.source = source
        self.problems = listed
        self.path = listed[0].path
        self.message = listed[0].message
        super().__init__("\n".join(p.line(source) for p in listed))

    def lines(self) -> list[str]:
        """One line per problem, each `source: path: message`."""
        return [p.line(self.source) for p in self.problems]


class KnowledgeError(InputError):
    """The knowledge base (rules/ or knowledge/) is invalid."""


class WriteError(PeeradvisorError):
    """A file (or standard output) could not be written: a full disk, a read-only folder. Exit 1: the
    input was fine; the machine could not take the output."""

    exit_code = EXIT_INTERNAL

    def __init__(self, target: str, reason: str) -> None:
        self.target = target
        super().__init__(f"{target}: {reason}")


class UsageError(PeeradvisorError):
    """A command was used wrongly (unknown scenario, conflicting options)."""

    exit_code = EXIT_INPUT
