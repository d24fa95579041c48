"""Device sign-in (vendor API key or pairing code), rotating refresh tokens, revocation, and
resolving the bearer credential of each request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from marketplace_sandbox import clock, ids
from marketplace_sandbox.db import Database, Tx
from marketplace_sandbox.models import api_keys, devices, pairing_codes, tokens
from marketplace_sandbox.problems import Problem

SCOPES = (
    "catalog:read", "catalog:write", "inventory:read", "inventory:write", "orders:read",
    "orders:write", "settings:read", "settings:write", "reviews:read", "reviews:write",
)
ACCESS_PREFIX = "mat"
REFRESH_PREFIX = "mrt"
API_KEY_PREFIX = "mk_test"


@dataclass(frozen=True, slots=True)
class Credential:
    vendor_id: str
    kind: str  # device | api_key
    id: str

    @property
    def actor(self) -> dict[str, Any]:
        return {"type": self.kind, "id": self.id}

    @property
    def key(self) -> str:
        """The idempotency and rate-limit scope of this credential."""
        return f"{self.vendor_id}:{self.id}"


def unauthorized(code: str, detail: str) -> Problem:
    return Problem(401, code, detail, headers={"WWW-Authenticate": f'Bearer error="{code}"'})


def create_api_key(db: Database, vendor_id: str) -> str:
    secret = ids.new_secret(API_KEY_PREFIX, 24)
    with db.write() as tx:
        tx.conn.execute(insert(api_keys).values(
            id=ids.new_id("key"), vendor_id=vendor_id, key_hash=ids.digest(secret),
            created_us=clock.now_us()))
    return secret


def create_pairing_code(db: Database, vendor_id: str, ttl: int) -> str:
    code = "PAIR-" + ids.new_secret("", 6).lstrip("_").upper().replace("_", "X").replace(
        "-", "Y")
    with db.write() as tx:
        tx.conn.execute(insert(pairing_codes).values(
            code_hash=ids.digest(code), vendor_id=vendor_id,
            expires_us=clock.now_us() + ttl * 1_000_000))
    return code


def _issue(conn: Any, device_id: str, vendor_id: str, access_ttl: int,
           refresh_ttl: int) -> dict[str, Any]:
    now = clock.now_us()
    access = ids.new_secret(ACCESS_PREFIX)
    refresh = ids.new_secret(REFRESH_PREFIX)
    conn.execute(insert(tokens), [
        {"token_hash": ids.digest(access), "kind": "access", "device_id": device_id,
         "vendor_id": vendor_id, "expires_us": now + access_ttl * 1_000_000, "created_us": now},
        {"token_hash": ids.digest(refresh), "kind": "refresh", "device_id": device_id,
         "vendor_id": vendor_id, "expires_us": now + refresh_ttl * 1_000_000, "created_us": now},
    ])
    return {"device_id": device_id, "vendor_id": vendor_id, "access_token": access,
            "refresh_token": refresh, "token_type": "Bearer", "expires_in": access_ttl,
            "scope": " ".join(SCOPES)}


def register_device(db: Database, *, api_key: str | None, pairing_code: str | None,
                    device_name: str, access_ttl: int, refresh_ttl: int) -> dict[str, Any]:
    if (api_key is None) == (pairing_code is None):
        raise Problem(422, "validation_failed", "Send exactly one of api_key and pairing_code",
                      errors=[{"pointer": "/api_key", "code": "one_of_required",
                               "detail": "send api_key or pairing_code"}])
    now = clock.now_us()
    with db.write() as tx:
        conn = tx.conn
        if api_key is not None:
            row = conn.execute(select(api_keys.c.vendor_id, api_keys.c.revoked_us).where(
                api_keys.c.key_hash == ids.digest(api_key))).first()
            if row is None:
                raise unauthorized("invalid_token", "Unknown API key")
            if row.revoked_us is not None:
                raise unauthorized("token_revoked", "This API key was revoked")
            vendor_id = row.vendor_id
        else:
            assert pairing_code is not None
            code_hash = ids.digest(pairing_code.strip().upper())
            prow = conn.execute(select(pairing_codes).where(
                pairing_codes.c.code_hash == code_hash)).first()
            if prow is None or prow.expires_us < now:
                raise unauthorized("invalid_token", "Unknown or expired pairing code")
            vendor_id = prow.vendor_id
            conn.execute(update(pairing_codes).where(pairing_codes.c.code_hash == code_hash)
                         .values(used_us=now))
        device_id = ids.new_id("dev")
        conn.execute(insert(devices).values(id=device_id, vendor_id=vendor_id,
                                            name=device_name, created_us=now))
        tx.emit(vendor_id, "device.created", "device", device_id, 1,
                device_doc(device_id, device_name, now, None),
                {"type": "device", "id": device_id})
        return _issue(conn, device_id, vendor_id, access_ttl, refresh_ttl)


def refresh(db: Database, refresh_token: str, *, access_ttl: int,
            refresh_ttl: int) -> dict[str, Any]:
    now = clock.now_us()
    token_hash = ids.digest(refresh_token)
    with db.write() as tx:
        conn = tx.conn
        row = conn.execute(select(tokens).where(tokens.c.token_hash == token_hash,
                                                tokens.c.kind == "refresh")).first()
        if row is None:
            raise unauthorized("invalid_token", "Unknown refresh token")
        device = conn.execute(select(devices.c.revoked_us).where(
            devices.c.id == row.device_id)).one()
        if device.revoked_us is not None:
            raise unauthorized("token_revoked", "This device was revoked; sign in again")
        if row.used_us is not None:
            # A rotated token came back: someone holds a copy. Revoke the device (RFC 9700).
            _revoke(tx, row.vendor_id, row.device_id, now, {"type": "system", "id": None})
            return {"_reuse": True}
        if row.expires_us <= now:
            raise unauthorized("token_expired", "Refresh token expired; sign in again")
        conn.execute(update(tokens).where(tokens.c.token_hash == token_hash).values(used_us=now))
        return _issue(conn, row.device_id, row.vendor_id, access_ttl, refresh_ttl)


def revoke_device(db: Database, vendor_id: str, device_id: str,
                  actor: dict[str, Any]) -> dict[str, Any]:
    now = clock.now_us()
    with db.write() as tx:
        row = tx.conn.execute(select(devices).where(devices.c.id == device_id,
                                                    devices.c.vendor_id == vendor_id)).first()
        if row is None:
            raise Problem(404, "not_found", f"Device {device_id} not found")
        if row.revoked_us is None:
            _revoke(tx, vendor_id, device_id, now, actor)
        revoked = row.revoked_us or now
        return device_doc(row.id, row.name, row.created_us, revoked)


def _revoke(tx: Tx, vendor_id: str, device_id: str, now: int,
            actor: dict[str, Any]) -> None:
    tx.conn.execute(update(devices).where(devices.c.id == device_id).values(revoked_us=now))
    row = tx.conn.execute(select(devices).where(devices.c.id == device_id)).one()
    tx.emit(vendor_id, "device.revoked", "device", device_id, 2,
            device_doc(row.id, row.name, row.created_us, now), actor)


def device_doc(device_id: str, name: str, created_us: int, revoked_us: int | None) -> dict[
        str, Any]:
    return {"id": device_id, "name": name, "created_at": clock.iso_us(created_us),
            "revoked_at": clock.iso_us(revoked_us) if revoked_us else None}


def list_devices(db: Database, vendor_id: str) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(select(devices).where(devices.c.vendor_id == vendor_id)
                            .order_by(devices.c.created_us)).all()
    return [device_doc(r.id, r.name, r.created_us, r.revoked_us) for r in rows]


def authenticate(db: Database, authorization: str | None) -> Credential:
    if not authorization:
        raise unauthorized("invalid_token", "Missing Authorization: Bearer header")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise unauthorized("invalid_token", "Use Authorization: Bearer <token>")
    now = clock.now_us()
    token_hash = ids.digest(token)
    with db.read() as conn:
        if token.startswith(API_KEY_PREFIX):
            key = conn.execute(select(api_keys).where(api_keys.c.key_hash == token_hash)).first()
            if key is None:
                raise unauthorized("invalid_token", "Unknown API key")
            if key.revoked_us is not None:
                raise unauthorized("token_revoked", "This API key was revoked")
            return Credential(key.vendor_id, "api_key", key.id)
        row = conn.execute(
            select(tokens.c.kind, tokens.c.device_id, tokens.c.vendor_id, tokens.c.expires_us,
                   devices.c.revoked_us)
            .join(devices, devices.c.id == tokens.c.device_id)
            .where(tokens.c.token_hash == token_hash)).first()
    if row is None or row.kind != "access":
        raise unauthorized("invalid_token", "Unknown access token")
    if row.revoked_us is not None:
        raise unauthorized("token_revoked", "This device was revoked; sign in again")
    if row.expires_us <= now:
        raise unauthorized("token_expired", "Access token expired; refresh it and retry")
    return Credential(row.vendor_id, "device", row.device_id)
