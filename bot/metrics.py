"""Process metrics in the Prometheus text format (no client library: a few counters and one
histogram). Each replica serves its own on ``/metrics``; Prometheus sums across replicas."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence

LATENCY_BUCKETS: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Thread-safe counters; ``render()`` gives the exposition text."""

    def __init__(self, buckets: Sequence[float] = LATENCY_BUCKETS) -> None:
        self._lock = threading.Lock()
        self.buckets = tuple(buckets)
        self.answers: dict[str, int] = {}
        self._hist = [0] * (len(self.buckets) + 1)
        self._sum = 0.0
        self.telegram_errors: dict[str, int] = {}  # by HTTP status
        self.rate_limited = 0
        self.duplicates = 0

    def answered(self, verdict: str, seconds: float) -> None:
        with self._lock:
            self.answers[verdict] = self.answers.get(verdict, 0) + 1
            self._hist[bisect.bisect_left(self.buckets, seconds)] += 1
            self._sum += seconds

    def telegram_status(self, status: int) -> None:
        if status >= 400:
            with self._lock:
                key = str(status)
                self.telegram_errors[key] = self.telegram_errors.get(key, 0) + 1

    def limited(self) -> None:
        with self._lock:
            self.rate_limited += 1

    def duplicate(self) -> None:
        with self._lock:
            self.duplicates += 1

    def render(self) -> str:
        with self._lock:
            out = [
                "# HELP netral_answers_total Questions answered, by verdict.",
                "# TYPE netral_answers_total counter",
            ]
            out += [f'netral_answers_total{{verdict="{v}"}} {n}' for v, n in sorted(self.answers.items())]
            out += [
                "# HELP netral_answer_seconds Time from receiving a question to its answer being sent.",
                "# TYPE netral_answer_seconds histogram",
            ]
            total = 0
            for bound, n in zip((*self.buckets, float("inf")), self._hist, strict=True):
                total += n
                le = "+Inf" if bound == float("inf") else repr(bound)
                out.append(f'netral_answer_seconds_bucket{{le="{le}"}} {total}')
            out += [f"netral_answer_seconds_sum {self._sum:.6f}", f"netral_answer_seconds_count {total}"]
            out += [
                "# HELP netral_telegram_errors_total Bot API responses with an HTTP error, by status.",
                "# TYPE netral_telegram_errors_total counter",
            ]
            out += [
                f'netral_telegram_errors_total{{status="{s}"}} {n}'
                for s, n in sorted(self.telegram_errors.items())
            ]
            out += [
                "# HELP netral_telegram_429_total Bot API 429 Too Many Requests responses.",
                "# TYPE netral_telegram_429_total counter",
                f"netral_telegram_429_total {self.telegram_errors.get('429', 0)}",
                "# HELP netral_rate_limited_total Messages refused by the per-user/per-chat limit.",
                "# TYPE netral_rate_limited_total counter",
                f"netral_rate_limited_total {self.rate_limited}",
                "# HELP netral_duplicate_updates_total Re-delivered updates not answered again.",
                "# TYPE netral_duplicate_updates_total counter",
                f"netral_duplicate_updates_total {self.duplicates}",
            ]
        return "\n".join(out) + "\n"
