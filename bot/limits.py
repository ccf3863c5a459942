"""Small in-memory limits: a bounded LRU mapping and the per-user question token bucket."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small bounded mapping: button keys must not grow memory without limit."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        return self._data[key]

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)

    def pop(self, key: K) -> None:
        self._data.pop(key, None)


class TokenBuckets:
    """Per-user token bucket: ``per_minute`` questions of burst, refilled continuously."""

    def __init__(self, per_minute: int, max_users: int = 50_000) -> None:
        self.capacity = float(max(per_minute, 1))
        self.rate = self.capacity / 60.0
        self._buckets: LRU[str, tuple[float, float]] = LRU(max_users)

    def take(self, key: str, now: float | None = None) -> float:
        """Consume one token; returns 0 when allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key) or (self.capacity, now)
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets.put(key, (tokens - 1.0, now))
            return 0.0
        self._buckets.put(key, (tokens, now))
        return (1.0 - tokens) / self.rate

    def forget(self, key: str) -> None:
        self._buckets.pop(key)
