"""Idempotency-Key on every write: (credential, key) -> request fingerprint + final response.

Layer order: authentication -> rate limiter (middleware) -> this route class -> handler. So a
401 or 429 is never stored; everything the handler answers (including 4xx) is.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from fastapi.routing import APIRoute
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from marketplace_sandbox import clock, faults
from marketplace_sandbox.db import Database
from marketplace_sandbox.models import idempotency_keys
from marketplace_sandbox.problems import Problem, problem_for_exception

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 255
_SKIP_HEADERS = frozenset({"content-length", "date", "x-request-id"})


@dataclass(frozen=True, slots=True)
class Stored:
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes

    def response(self) -> Response:
        response = Response(self.body, status_code=self.status_code)
        del response.headers["content-length"]
        for name, value in self.headers:
            response.headers.append(name, value)
        response.headers["content-length"] = str(len(self.body))
        response.headers["Idempotent-Replayed"] = "true"
        return response


def fingerprint(method: str, path: str, query: str, body: bytes,
                content_type: str = "") -> str:
    boundary = content_type.partition("boundary=")[2].strip('" ')
    if content_type.startswith("multipart/") and boundary:
        # Clients draw a new boundary per attempt; the content is what must match.
        body = body.replace(boundary.encode("latin-1"), b"BOUNDARY")
    try:
        canonical = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS) if body else b""
    except orjson.JSONDecodeError:
        canonical = body
    h = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), canonical):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


class IdempotencyStore:
    def __init__(self, db: Database, *, retention: int, lease: int) -> None:
        self.db = db
        self.retention_us = retention * 1_000_000
        self.lease_us = lease * 1_000_000
        # Requests running in this process: answered without waiting for the database (a
        # SQLite writer holding its transaction open must not delay the 409).
        self._running: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def begin(self, credential: str, key: str, fp: str) -> Stored | None:
        """Claim the key (None: go ahead), or return the stored response, or raise 409/422."""
        with self._lock:
            running = self._running.get((credential, key))
            if running is None:
                self._running[(credential, key)] = fp
        if running is not None:
            if running != fp:
                raise Problem(422, "idempotency_key_reused",
                              "This Idempotency-Key was used for a different request")
            raise Problem(409, "idempotency_key_in_use",
                          "A request with this Idempotency-Key is still running",
                          headers={"Retry-After": "1"})
        try:
            try:
                return self._begin_stored(credential, key, fp)
            except IntegrityError:
                # Another process inserted the key between our read and insert: look again.
                return self._begin_stored(credential, key, fp)
        except BaseException:
            self.release(credential, key)
            raise

    def release(self, credential: str, key: str) -> None:
        with self._lock:
            self._running.pop((credential, key), None)

    def _begin_stored(self, credential: str, key: str, fp: str) -> Stored | None:
        now = clock.now_us()
        where = (idempotency_keys.c.credential == credential) & (idempotency_keys.c.key == key)
        with self.db.write() as tx:
            row = tx.conn.execute(select(idempotency_keys).where(where)).first()
            if row is not None and row.created_us + self.retention_us < now:
                tx.conn.execute(delete(idempotency_keys).where(where))
                row = None
            if row is None:
                tx.conn.execute(insert(idempotency_keys).values(
                    credential=credential, key=key, fingerprint=fp, state="running",
                    created_us=now, lease_until_us=now + self.lease_us))
                return None
            if row.fingerprint != fp:
                raise Problem(422, "idempotency_key_reused",
                              "This Idempotency-Key was used for a different request")
            if row.state == "done":
                self.release(credential, key)
                return Stored(row.status_code, [tuple(h) for h in orjson.loads(row.headers)],
                              row.body)
            if row.lease_until_us > now:
                raise Problem(409, "idempotency_key_in_use",
                              "A request with this Idempotency-Key is still running",
                              headers={"Retry-After": "1"})
            # The first attempt died without finishing: take the key over.
            tx.conn.execute(update(idempotency_keys).where(where).values(
                lease_until_us=now + self.lease_us))
            return None

    def finish(self, credential: str, key: str, response: Response) -> None:
        headers = [(k, v) for k, v in response.headers.items() if k not in _SKIP_HEADERS]
        where = (idempotency_keys.c.credential == credential) & (idempotency_keys.c.key == key)
        with self.db.write() as tx:
            tx.conn.execute(update(idempotency_keys).where(where).values(
                state="done", status_code=response.status_code,
                headers=orjson.dumps(headers).decode(), body=bytes(response.body)))

    def abandon(self, credential: str, key: str) -> None:
        where = (idempotency_keys.c.credential == credential) & (idempotency_keys.c.key == key)
        with self.db.write() as tx:
            tx.conn.execute(delete(idempotency_keys).where(where))

    def purge_expired(self) -> int:
        with self.db.write() as tx:
            result = tx.conn.execute(delete(idempotency_keys).where(
                idempotency_keys.c.created_us < clock.now_us() - self.retention_us))
            return result.rowcount


def parse_key(raw: str | None) -> str:
    if raw is None or not raw.strip():
        raise Problem(400, "idempotency_key_missing",
                      "Every write needs an Idempotency-Key header")
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Problem(400, "malformed_request",
                      f"Idempotency-Key must be 1-{MAX_KEY_LENGTH} characters")
    return key


TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "23505"})  # serialization, deadlock, unique
RETRIES = 3


def _transient(exc: BaseException) -> bool:
    """A conflict with a concurrent writer (PostgreSQL): running again gives the real answer
    (e.g. 409 duplicate_client_ref once the other transaction is visible)."""
    if not isinstance(exc, DBAPIError):
        return False
    return getattr(exc.orig, "sqlstate", None) in TRANSIENT_SQLSTATES


async def _with_retries(handler: Callable[[Request], Coroutine[Any, Any, Response]],
                        request: Request) -> Response:
    for attempt in range(RETRIES):
        try:
            return await handler(request)
        except DBAPIError as exc:
            if not _transient(exc):
                raise
            if attempt == RETRIES - 1:
                raise Problem(503, "temporarily_unavailable",
                              "Conflicting concurrent writes; retry with the same key",
                              headers={"Retry-After": "1"}) from exc
    raise AssertionError("unreachable")  # pragma: no cover


class IdempotentRoute(APIRoute):
    """Route class for the vendor API: writes go through the idempotency layer."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def idempotent_handler(request: Request) -> Response:
            if request.method not in WRITE_METHODS:
                return await handler(request)
            key = parse_key(request.headers.get("idempotency-key"))
            store: IdempotencyStore = request.app.state.ctx.idempotency
            credential = request.state.credential.key
            body = await request.body()
            fp = fingerprint(request.method, request.url.path, request.url.query, body,
                             request.headers.get("content-type", ""))
            stored = await run_in_threadpool(store.begin, credential, key, fp)
            if stored is not None:
                return stored.response()
            try:
                try:
                    response = await _with_retries(handler, request)
                except Exception as exc:
                    known = problem_for_exception(request, exc)
                    if known is None or known.status_code >= 500:
                        # Nothing was committed: a retry with the same key must run again.
                        await run_in_threadpool(store.abandon, credential, key)
                        if known is None:
                            raise
                        return known
                    response = known
                await run_in_threadpool(store.finish, credential, key, response)
            finally:
                store.release(credential, key)
            if faults.active("commit_then_500") is not None:
                return Problem(500, "internal_error",
                               "Committed, then failed (test fault); retry with the same key"
                               ).response(request.url.path)
            return response

        return idempotent_handler
