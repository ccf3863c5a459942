"""Small in-memory limits: a bounded LRU mapping, token buckets, per-user + per-chat budgets, and
``Recent`` (de-duplicates repeated actions and coalesces notices within a window).

Every action a user can trigger (a question, a "📜 Lihat pasal" tap, a 👍/👎, an example button)
spends from two buckets: the user's and the chat's. The chat budget protects the other members of
a group, since Telegram itself allows a bot only ~20 messages per minute in one group. Budgets are
keyed by the salted user hash / chat id and are never reset by ``/hapus``: deleting one's data
must not buy a fresh quota.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
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

    def __len__(self) -> int:
        return len(self._data)

    def items(self) -> list[tuple[K, V]]:
        return list(self._data.items())


class TokenBuckets:
    """Per-key token bucket: ``per_minute`` actions of burst, refilled continuously."""

    def __init__(self, per_minute: int, max_keys: int = 50_000) -> None:
        self.capacity = float(max(per_minute, 1))
        self.rate = self.capacity / 60.0
        self._buckets: LRU[Hashable, tuple[float, float]] = LRU(max_keys)

    def _level(self, key: Hashable, now: float) -> float:
        tokens, last = self._buckets.get(key) or (self.capacity, now)
        return min(self.capacity, tokens + (now - last) * self.rate)

    def wait(self, key: Hashable, cost: float = 1.0, now: float | None = None) -> float:
        """Seconds until ``cost`` tokens are available (0 = now), without spending any."""
        now = time.monotonic() if now is None else now
        tokens = self._level(key, now)
        return 0.0 if tokens >= cost else (cost - tokens) / self.rate

    def spend(self, key: Hashable, cost: float = 1.0, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._buckets.put(key, (self._level(key, now) - cost, now))

    def take(self, key: Hashable, cost: float = 1.0, now: float | None = None) -> float:
        """Consume ``cost`` tokens; returns 0 when allowed, else the seconds until they are available."""
        now = time.monotonic() if now is None else now
        wait = self.wait(key, cost, now)
        if not wait:
            self.spend(key, cost, now)
        return wait


@dataclass(frozen=True)
class Costs:
    """What each kind of action spends from the budgets (a question = 1)."""

    question: float = 1.0
    unit_view: float = 1.0
    example: float = 1.0
    feedback: float = 0.5  # sends no message (only a callback answer), but must not be free


class Budgets:
    """A user bucket and a chat bucket; an action goes ahead only when both can pay for it."""

    def __init__(self, user_per_minute: int, chat_per_minute: int, costs: Costs = Costs()) -> None:
        self.users = TokenBuckets(user_per_minute)
        self.chats = TokenBuckets(chat_per_minute)
        self.costs = costs

    def take(self, user_key: str, chat_id: int, cost: float = 1.0, now: float | None = None) -> float:
        """Spend ``cost`` from both buckets; 0 when allowed, else the seconds to wait (nothing spent)."""
        now = time.monotonic() if now is None else now
        wait = max(self.users.wait(user_key, cost, now), self.chats.wait(chat_id, cost, now))
        if not wait:
            self.users.spend(user_key, cost, now)
            self.chats.spend(chat_id, cost, now)
        return wait


class Recent:
    """Remembers keys for ``window`` seconds: ``first(key)`` is True only once per window.

    Used to de-duplicate repeated identical unit views and to send one throttle notice per window.
    """

    def __init__(self, window: float, size: int = 20_000) -> None:
        self.window = window
        self._seen: LRU[Hashable, float] = LRU(size)

    def seen(self, key: Hashable, now: float | None = None) -> bool:
        """Whether ``key`` was marked less than ``window`` seconds ago."""
        now = time.monotonic() if now is None else now
        last = self._seen.get(key)
        return last is not None and now - last < self.window

    def mark(self, key: Hashable, now: float | None = None) -> None:
        self._seen.put(key, time.monotonic() if now is None else now)

    def forget(self, key: Hashable) -> None:
        self._seen.pop(key)

    def first(self, key: Hashable, now: float | None = None) -> bool:
        """True (and mark) when ``key`` was not seen within the window, else False."""
        now = time.monotonic() if now is None else now
        if self.seen(key, now):
            return False
        self.mark(key, now)
        return True
