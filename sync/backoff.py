"""Retry timing: exponential backoff with full jitter, ``Retry-After`` as a floor, and a
circuit breaker that stops hammering a failing server."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base_s: float = 0.5
    cap_s: float = 60.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempts: int, retry_after: float | None = None) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^attempts)], never below Retry-After."""
        ceiling = min(self.cap_s, self.base_s * (2 ** min(attempts, 30)))
        jittered = self.rng.uniform(0, ceiling)
        return max(jittered, retry_after or 0.0)


@dataclass
class CircuitBreaker:
    """Closed -> open after ``threshold`` failures in a row -> half-open after ``cooldown_s``
    (one probe round) -> closed on a success, open again on a failure."""

    threshold: int = 5
    cooldown_s: float = 30.0
    failures: int = 0
    opened_at: float | None = None

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if time.monotonic() - self.opened_at >= self.cooldown_s else "open"

    def allow(self) -> bool:
        return self.state != "open"

    def wait_s(self) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown_s - (time.monotonic() - self.opened_at))

    def success(self) -> None:
        self.failures = 0
        self.opened_at = None

    def failure(self) -> None:
        self.failures += 1
        if self.opened_at is not None or self.failures >= self.threshold:
            self.opened_at = time.monotonic()
