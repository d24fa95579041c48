"""The marketplace API client: one long-lived ``httpx.AsyncClient``, pairing, token refresh.

The access token is refreshed *before* it expires (``REFRESH_MARGIN``), by one coroutine at a
time (single flight: concurrent requests wait for the same refresh). A 401 ``token_expired``
still gets one refresh and one replay with the same Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

from sync import switches
from sync.keystore import TokenStore
from sync.wire import Problem, Tokens, WireError

log = logging.getLogger(__name__)
API_PATH = "/vendor/v1"
REFRESH_MARGIN = timedelta(minutes=2)
TIMEOUT = httpx.Timeout(40.0, connect=5.0)
BIG_BODY = 64 * 1024


def mark_asyncio() -> None:
    """Tell httpx's async layer (anyio) that this is asyncio when sniffio is installed: under
    qasync ``asyncio.current_task()`` can be None, and sniffio's own guess then fails."""
    try:
        import sniffio  # type: ignore[import-not-found]
    except ImportError:  # anyio then asks asyncio for the running loop itself
        return
    if sniffio.current_async_library_cvar.get() is None:
        sniffio.current_async_library_cvar.set("asyncio")


class ApiError(Exception):
    """The server answered with a problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.code}: {problem.detail}")
        self.problem = problem


class NetworkError(Exception):
    """No answer: connection refused, reset, timed out."""


class NotPaired(Exception):
    """This till has no device tokens for the marketplace (pair it first)."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str]


def api_base(url: str) -> str:
    """Accept both ``http://host:port`` and ``http://host:port/vendor/v1``."""
    url = url.rstrip("/")
    return url if url.endswith(API_PATH) else url + API_PATH


class ApiClient:
    def __init__(self, base_url: str, store: TokenStore, *,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = api_base(base_url)
        self._store = store
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=TIMEOUT,
                                       transport=transport)
        self._tokens: Tokens | None = store.load()
        self._refresh_lock = asyncio.Lock()
        self.refreshes = 0
        self.last_date: str | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        return self._http

    @property
    def paired(self) -> bool:
        return self._tokens is not None

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- pairing and tokens -------------------------------------------------------------------
    async def pair(self, *, api_key: str | None = None, pairing_code: str | None = None,
                   device_name: str = "Vendor Console") -> Tokens:
        body: dict[str, str] = {"device_name": device_name}
        if api_key:
            body["api_key"] = api_key
        elif pairing_code:
            body["pairing_code"] = pairing_code
        else:
            raise ValueError("pairing needs an API key or a pairing code")
        reply = await self._send("POST", "/auth/device", json=body, auth=False)
        tokens = Tokens.parse(reply.body, datetime.now(UTC))
        self._store.save(tokens)
        self._tokens = tokens
        return tokens

    def forget(self) -> None:
        self._store.clear()
        self._tokens = None

    async def _refresh(self, stale: Tokens) -> None:
        async with self._refresh_lock:
            if self._tokens is not stale:  # someone else refreshed while we waited
                return
            reply = await self._send("POST", "/auth/refresh", auth=False,
                                     json={"refresh_token": stale.refresh_token})
            tokens = Tokens.parse(reply.body, datetime.now(UTC))
            if not tokens.device_id:
                tokens = Tokens(stale.device_id, stale.vendor_id, tokens.access_token,
                                tokens.refresh_token, tokens.expires_at)
            self._store.save(tokens)
            self._tokens = tokens
            self.refreshes += 1

    async def _token(self) -> str:
        tokens = self._tokens
        if tokens is None:
            raise NotPaired("This till is not paired with a marketplace yet.")
        if tokens.expires_at - datetime.now(UTC) < REFRESH_MARGIN:
            await self._refresh(tokens)
            assert self._tokens is not None
            return self._tokens.access_token
        return tokens.access_token

    # -- requests -----------------------------------------------------------------------------
    async def request(self, method: str, path: str, *, json: Any = None,
                      params: Mapping[str, Any] | None = None,
                      idempotency_key: str | None = None,
                      headers: Mapping[str, str] | None = None) -> Reply:
        """Send one authenticated request; raises ``ApiError`` or ``NetworkError``."""
        extra = dict(headers or {})
        if idempotency_key is not None and not switches.enabled(switches.NO_IDEMPOTENCY):
            extra["Idempotency-Key"] = idempotency_key
        elif method != "GET" and switches.enabled(switches.NO_IDEMPOTENCY):
            from vendor_console.ids import new_idempotency_key

            extra["Idempotency-Key"] = new_idempotency_key()  # the bug the switch shows
        for attempt in (1, 2):
            stale = self._tokens
            token = await self._token()
            try:
                return await self._send(method, path, json=json, params=params,
                                        headers={**extra, "Authorization": f"Bearer {token}"})
            except ApiError as exc:
                if (exc.problem.code == "token_expired" and attempt == 1
                        and stale is not None and self._tokens is not None):
                    await self._refresh(self._tokens)
                    continue
                raise
        raise AssertionError("unreachable")

    async def _send(self, method: str, path: str, *, json: Any = None,
                    params: Mapping[str, Any] | None = None, auth: bool = True,
                    headers: Mapping[str, str] | None = None) -> Reply:
        del auth
        mark_asyncio()
        content = None if json is None else orjson.dumps(json)
        hdrs = dict(headers or {})
        if content is not None:
            hdrs["Content-Type"] = "application/json"
        try:
            response = await self._http.request(method, path, content=content, params=params,
                                                headers=hdrs)
        except httpx.TransportError as exc:
            raise NetworkError(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        self.last_date = response.headers.get("date")
        body: Any = None
        if response.content:
            try:
                if len(response.content) > BIG_BODY:  # decode big pages off the event loop
                    body = await asyncio.to_thread(orjson.loads, response.content)
                else:
                    body = orjson.loads(response.content)
            except orjson.JSONDecodeError:
                body = None
        if response.status_code >= 400:
            raise ApiError(Problem.parse(response.status_code, body,
                                         response.headers.get("retry-after")))
        if body is None and response.status_code != 204:
            raise WireError(f"{method} {path}: the answer is not JSON")
        return Reply(response.status_code, body, response.headers)
