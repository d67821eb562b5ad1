"""The exceptions peeradvisor raises, and the exit status each one maps to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


class PeeradvisorError(Exception):
    """Base class: something the user can act on."""

    exit_code = EXIT_INTERNAL


class InputError(PeeradvisorError):
    """A file or option the user gave is invalid; names the file and the field path."""

    exit_code = EXIT_INPUT

    def __init__(self, source: str, message: str, path: str = "") -> None:
        self.source = source
        self.path = path
        self.message = message
        where = f"{source}: {path}: " if path else f"{source}: "
        super().__init__(f"{where}{message}")


class KnowledgeError(InputError):
    """The knowledge base (rules/ or knowledge/) is invalid."""


class UsageError(PeeradvisorError):
    """A command was used wrongly (unknown scenario, conflicting options)."""

    exit_code = EXIT_INPUT
