"""Pure ASGI middleware: request id, Date, body-size limit, test faults, authentication and
rate limiting.

Authentication and the rate limiter run before the idempotency layer, so their refusals (401,
429) are never stored against an Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import re

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marketplace_sandbox import auth, clock, faults, ids
from marketplace_sandbox.context import AppContext, hold_var
from marketplace_sandbox.problems import Problem, request_id_var

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
BATCH_PATHS = ("/catalog/batch-upsert", "/inventory/changes", "/imports", "/exports")


class BodyTooLarge(Problem):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "payload_too_large", f"The body exceeds {limit} bytes")


class ApiMiddleware:
    def __init__(self, app: ASGIApp, ctx: AppContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.ctx.settings
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else ids.new_id("req")
        request_id_var.set(request_id)
        extra: dict[str, str] = {}
        path: str = scope["path"]
        send_with_headers = self._sender(send, request_id, extra)
        try:
            if settings.test_mode:
                self._test_mode(headers)
            self._check_length(path, headers)
            await self._admit(scope, headers, extra)
        except Problem as problem:
            await problem.response(path)(scope, receive, send_with_headers)
            return
        await self.app(scope, self._limited(receive, self._limit(path)), send_with_headers)

    def _sender(self, send: Send, request_id: str, extra: dict[str, str]) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["X-Request-Id"] = request_id
                if "date" not in out:
                    out["Date"] = clock.http_date(clock.server_now())
                for name, value in extra.items():
                    out[name] = value
                delay = faults.number("slow", 2.0)
                if delay:
                    await asyncio.sleep(delay)
            await send(message)

        return send_with_headers

    def _test_mode(self, headers: dict[str, str]) -> None:
        if "x-test-hold-commit" in headers:
            hold_var.set(headers["x-test-hold-commit"])
        specs = list(self.ctx.settings.faults)
        if "x-test-fault" in headers:
            specs.append(headers["x-test-fault"])
        if specs:
            faults.faults_var.set(faults.parse(specs))
            skew = faults.number("clock_skew", 10.0)
            if skew is not None:
                clock.skew_var.set(skew * 60)

    def _limit(self, path: str) -> int:
        settings = self.ctx.settings
        if path.endswith(("/images", "/imports")):
            return settings.max_upload_bytes
        return settings.max_body_bytes

    def _check_length(self, path: str, headers: dict[str, str]) -> None:
        length = headers.get("content-length")
        limit = self._limit(path)
        if length is not None and (not length.isdigit() or int(length) > limit):
            raise BodyTooLarge(limit)

    @staticmethod
    def _limited(receive: Receive, limit: int) -> Receive:
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        return limited_receive

    async def _admit(self, scope: Scope, headers: dict[str, str], extra: dict[str, str]) -> None:
        """Authenticate and rate-limit API requests (raises the refusal)."""
        settings = self.ctx.settings
        path: str = scope["path"]
        base = settings.base_path
        if not path.startswith(base + "/"):
            return
        overload = faults.active("overload")
        if overload is not None:
            raise Problem(503, "temporarily_unavailable", "Overloaded (test fault)",
                          headers={"Retry-After": overload or "1"})
        rate_key = "anon:" + str((scope.get("client") or ("?", 0))[0])
        policy = settings.anonymous_policy
        if not path.startswith(base + "/auth/"):
            if faults.active("token_expiry") is not None:
                raise auth.unauthorized("token_expired", "Access token expired (test fault)")
            try:
                credential = await run_in_threadpool(
                    auth.authenticate, self.ctx.db, headers.get("authorization"))
            except Problem:
                # Refused callers still get rate-limit headers (from the anonymous bucket).
                extra.update(self.ctx.limiter.take(rate_key, policy).headers())
                extra.pop("Retry-After", None)
                raise
            scope.setdefault("state", {})["credential"] = credential
            if credential.kind == "device" and self.ctx.presence.seen(credential.vendor_id,
                                                                      credential.id):
                await run_in_threadpool(self.ctx.presence.persist, credential.id)
            rate_key = credential.key
            policy = self.ctx.rate_overrides.get(credential.vendor_id) or (
                settings.batch_policy if path.endswith(BATCH_PATHS) and
                scope["method"] == "POST" else settings.default_policy)
        decision = self.ctx.limiter.take(rate_key, policy)
        extra.update(decision.headers())
        forced = faults.active("rate_limit")
        if forced is not None:
            extra.pop("Retry-After", None)
            if forced != "absent":
                extra["Retry-After"] = forced or "1"
        elif decision.allowed:
            return
        raise Problem(429, "quota_exceeded", "Too many requests; retry later",
                      violated_policies=[policy.name])

