"""A thread-safe least-recently-used cache bounded by an estimate of the memory it holds.

The verdict cache is keyed by encoded requests, so a caller that sends ever new questions could
otherwise grow it without end; counting entries would not bound it either, since an
undetermined verdict with a long explanation weighs several times a plain one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

ENTRY_OVERHEAD = 100
"""Bytes an entry costs the ordered dictionary itself (hash slot and link), beyond its key and value."""


class ByteBoundedLRU(Generic[V]):
    """``get`` and ``put`` in O(1); once the estimated bytes pass ``max_bytes``, the least recently
    used entries are evicted. ``max_bytes`` 0 turns the cache off."""

    def __init__(self, max_bytes: int, weigh: Callable[[Hashable, V], int]):
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._weigh = weigh
        self._lock = threading.Lock()
        self._max = max_bytes
        self.bytes = 0
        self.evictions = 0

    @property
    def max_bytes(self) -> int:
        return self._max

    @max_bytes.setter
    def max_bytes(self, value: int) -> None:
        with self._lock:
            self._max = max(0, int(value))
            self._shrink()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Hashable) -> V | None:
        found = self._data.get(key)
        if found is None:
            return None
        try:  # one C call, atomic under the GIL; the entry may have been evicted meanwhile
            self._data.move_to_end(key)
        except KeyError:
            pass
        return found[0]

    def put(self, key: Hashable, value: V) -> None:
        if not self._max:
            return
        size = self._weigh(key, value) + ENTRY_OVERHEAD
        if size > self._max:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._data[key] = (value, size)
            self.bytes += size
            self._shrink()

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.bytes = 0

    def _shrink(self) -> None:
        while self.bytes > self._max and self._data:
            _, (_, size) = self._data.popitem(last=False)
            self.bytes -= size
            self.evictions += 1

