"""Token buckets per credential, with IETF RateLimit headers on every response."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from marketplace_sandbox.config import RatePolicy


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    policy: RatePolicy
    remaining: int
    reset: int  # seconds until the bucket is full again
    retry_after: int  # whole seconds >= 1 when refused

    def headers(self) -> dict[str, str]:
        p = self.policy
        out = {
            "RateLimit-Policy": f'"{p.name}";q={p.quota};w={p.window}',
            "RateLimit": f'"{p.name}";r={self.remaining};t={self.reset}',
        }
        if not self.allowed:
            out["Retry-After"] = str(self.retry_after)
        return out


class RateLimiter:
    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, policy: RatePolicy, cost: float = 1.0) -> Decision:
        rate = policy.quota / policy.window  # tokens per second
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get((key, policy.name))
            if bucket is None:
                bucket = self._buckets[(key, policy.name)] = _Bucket(float(policy.quota), now)
            bucket.tokens = min(float(policy.quota),
                                bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            allowed = bucket.tokens >= cost
            if allowed:
                bucket.tokens -= cost
            tokens = bucket.tokens
        missing = policy.quota - tokens
        reset = math.ceil(missing / rate) if missing > 0 else 0
        retry_after = max(1, math.ceil((cost - tokens) / rate)) if not allowed else 0
        return Decision(allowed, policy, int(tokens), reset, retry_after)
