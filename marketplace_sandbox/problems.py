"""RFC 9457 problem details with stable `code`s, and the exception handlers that guarantee a
client mistake is answered with a 4xx problem, never a 500."""

from __future__ import annotations

import contextvars
import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_BASE = "https://marketplace.example/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

log = logging.getLogger("marketplace_sandbox")

# Set by the request middleware; problems echo it as `request_id`.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

TITLES = {
    "validation_failed": "The request is not valid",
    "malformed_request": "The request could not be parsed",
    "idempotency_key_missing": "Idempotency-Key header required",
    "idempotency_key_in_use": "A request with this Idempotency-Key is still running",
    "idempotency_key_reused": "Idempotency-Key reused with a different request",
    "version_mismatch": "Resource was modified",
    "precondition_required": "If-Match header required",
    "invalid_transition": "Action not allowed in the current state",
    "duplicate_client_ref": "A resource with this client_ref already exists",
    "quantity_mismatch": "On-hand quantity differs from the expected value",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "cursor_expired": "Cursor expired",
    "invalid_cursor": "Cursor is not valid",
    "token_expired": "Access token expired",
    "invalid_token": "Credentials are not valid",
    "token_revoked": "Credentials were revoked",
    "insufficient_scope": "Insufficient scope",
    "payload_too_large": "Request body too large",
    "unsupported_media_type": "Unsupported media type",
    "quota_exceeded": "Rate limit exceeded",
    "temporarily_unavailable": "Temporarily unavailable",
    "internal_error": "Internal error",
}


class Problem(Exception):
    """Raise anywhere in a handler to answer with a problem response."""

    def __init__(self, status: int, code: str, detail: str | None = None, *,
                 errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or code)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    def body(self, instance: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": PROBLEM_BASE + self.code.replace("_", "-"),
            "title": TITLES.get(self.code, self.code.replace("_", " ").capitalize()),
            "status": self.status,
            "detail": self.detail or TITLES.get(self.code, self.code),
            "instance": instance,
            "code": self.code,
            "request_id": request_id_var.get(),
        }
        if self.errors is not None:
            out["errors"] = self.errors
        out.update(self.extra)
        return out

    def response(self, instance: str) -> Response:
        return Response(orjson.dumps(self.body(instance)), status_code=self.status,
                        headers=self.headers, media_type=PROBLEM_MEDIA_TYPE)


def validation_failed(errors: list[dict[str, Any]], detail: str | None = None) -> Problem:
    return Problem(422, "validation_failed", detail or "; ".join(
        f"{e['pointer'] or '/'}: {e['detail']}" for e in errors[:5]), errors=errors)


def field_error(pointer: str, code: str, detail: str) -> Problem:
    return validation_failed([{"pointer": pointer, "code": code, "detail": detail}])


def not_found(what: str) -> Problem:
    return Problem(404, "not_found", f"{what} not found")


def _pointer(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def problem_for_exception(request: Request, exc: Exception) -> Response | None:
    """The problem response for a known exception, or None for an unexpected one."""
    instance = request.url.path
    if isinstance(exc, Problem):
        return exc.response(instance)
    if isinstance(exc, RequestValidationError):
        errs = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errs):
            return Problem(400, "malformed_request", "The body is not valid JSON").response(
                instance)
        errors = []
        for e in errs:
            loc = e.get("loc", ())
            where = loc[0] if loc else "body"
            pointer = _pointer(loc)
            if where == "query":
                pointer = "?" + pointer.lstrip("/")
            errors.append({"pointer": pointer, "code": str(e.get("type", "invalid")),
                           "detail": str(e.get("msg", "invalid value"))})
        return validation_failed(errors).response(instance)
    if isinstance(exc, StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large",
                415: "unsupported_media_type", 400: "malformed_request"}.get(
            exc.status_code, "malformed_request" if exc.status_code < 500 else "internal_error")
        detail = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 404:
            detail = f"No resource at {instance}"
        return Problem(exc.status_code, code, detail, headers=dict(exc.headers or {})).response(
            instance)
    return None


def install_handlers(app: FastAPI) -> None:
    async def handle_known(request: Request, exc: Exception) -> Response:
        response = problem_for_exception(request, exc)
        if response is None:  # pragma: no cover - registered only for known types
            raise exc
        return response

    async def handle_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path,
                      exc_info=exc)
        return Problem(500, "internal_error", "Unexpected server error").response(
            request.url.path)

    app.add_exception_handler(Problem, handle_known)
    app.add_exception_handler(RequestValidationError, handle_known)
    app.add_exception_handler(StarletteHTTPException, handle_known)
    app.add_exception_handler(Exception, handle_unexpected)
