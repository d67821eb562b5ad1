"""Something built from a knowledge base once and then shared: a cache keyed by the knowledge base itself
(dropped with it), safe to use from several threads."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .loader import KnowledgeBase

T = TypeVar("T")


class PerKb(Generic[T]):
    """`PerKb(build)(kb)` gives `build(kb)`, built on first use for each knowledge base."""

    def __init__(self, build: Callable[[KnowledgeBase], T]) -> None:
        self._build = build
        self._made: weakref.WeakKeyDictionary[KnowledgeBase, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, kb: KnowledgeBase) -> T:
        with self._lock:
            found = self._made.get(kb)
            if found is None:
                found = self._made[kb] = self._build(kb)
            return found
