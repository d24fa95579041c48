"""Asking the real sandbox for its faults: adds ``X-Test-Fault`` to chosen requests.

The sandbox does the faulting (429s, 500 after commit, 410s, drift…); this transport only
decides which of the client's requests carry the header, the way the sandbox's own tests
send it per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx


@dataclass
class Rule:
    fault: str
    method: str | None = None
    path: str = ""
    times: int = 1_000_000
    used: int = 0
    query: str = ""  # a part of the query string the request must have (e.g. "after=")


@dataclass
class FaultTransport(httpx.AsyncBaseTransport):
    rules: list[Rule] = field(default_factory=list)
    inner: httpx.AsyncBaseTransport = field(default_factory=httpx.AsyncHTTPTransport)
    seen: list[tuple[str, str, int]] = field(default_factory=list)

    def add(self, fault: str, method: str | None = None, path: str = "",
            times: int = 1_000_000, query: str = "") -> Rule:
        rule = Rule(fault, method, path, times, query=query)
        self.rules.append(rule)
        return rule

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        faults = []
        for rule in self.rules:
            if rule.used >= rule.times:
                continue
            if rule.method and request.method != rule.method:
                continue
            if rule.path not in request.url.path:
                continue
            if rule.query not in request.url.query.decode():
                continue
            rule.used += 1
            faults.append(rule.fault)
        if faults:
            request.headers["X-Test-Fault"] = ", ".join(faults)
        response = await self.inner.handle_async_request(request)
        self.seen.append((request.method, request.url.path, response.status_code))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
