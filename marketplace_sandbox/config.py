"""Server settings. Every knob has a production-like default; tests shorten the timers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

DAY = 86_400


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """One token bucket: `quota` requests per `window` seconds (IETF RateLimit-Policy)."""

    name: str
    quota: int
    window: int


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = "sqlite:///marketplace_sandbox.db"
    # Test mode enables /vendor/v1/_test/* routes and (later) the X-Test-Fault header.
    test_mode: bool = False
    # Server-wide fault knobs (test mode only), e.g. ("slow=1", "dup_events"); see faults.py.
    faults: tuple[str, ...] = ()
    base_path: str = "/vendor/v1"

    access_token_ttl: int = 3600
    refresh_token_ttl: int = 90 * DAY
    pairing_code_ttl: int = 7 * DAY

    idempotency_retention: int = 7 * DAY
    # A request that started but never finished (crashed worker) frees its key after this.
    idempotency_lease: int = 60

    feed_retention: int = 30 * DAY
    feed_page_max: int = 1000
    long_poll_max: float = 30.0
    # Waiters also re-read the database this often, for writers in other processes.
    notify_fallback_poll: float = 1.0
    sse_heartbeat: float = 15.0
    sse_max_duration: float = 1800.0
    sse_retry_ms: int = 3000

    max_body_bytes: int = 1024 * 1024
    # Image uploads and import files.
    max_upload_bytes: int = 10 * 1024 * 1024
    default_policy: RatePolicy = field(default_factory=lambda: RatePolicy("default", 600, 60))
    batch_policy: RatePolicy = field(default_factory=lambda: RatePolicy("batch", 60, 60))
    # Requests without a credential (device sign-in) share a bucket per client address.
    anonymous_policy: RatePolicy = field(default_factory=lambda: RatePolicy("anonymous", 60, 60))

    accept_window_seconds: int = 600
    timeouts_before_pause: int = 3
    sweeper_max_sleep: float = 1.0

    sqlite_busy_timeout_ms: int = 30_000

    # Store presence: a device request or an open event stream within this many seconds.
    # During published opening hours a vendor with no device present is paused
    # (NO_DEVICE_ONLINE) and resumed when one is back. 0 disables it.
    presence_timeout: float = 300.0
    maintenance_interval: float = 5.0

    # Webhooks: delay before each retry (the last one repeats), how long an endpoint may fail
    # before it is disabled (with a notice in the feed), and how often the sender looks.
    webhook_backoff: tuple[float, ...] = (10, 60, 300, 1800, 7200, 21600, 43200)
    webhook_disable_after: float = 72 * 3600
    webhook_poll: float = 1.0
    webhook_timeout: float = 10.0
    webhook_rotation_overlap: float = 24 * 3600
    expiry_interval: float = 3600.0

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
