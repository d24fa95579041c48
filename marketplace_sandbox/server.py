"""Running the app under uvicorn (the CLI and the test fixture share this)."""

from __future__ import annotations

import uvicorn

from marketplace_sandbox.app import create_app
from marketplace_sandbox.config import Settings


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 8765,
                log_level: str = "warning") -> uvicorn.Server:
    config = uvicorn.Config(
        create_app(settings), host=host, port=port, log_level=log_level,
        # The app sets Date itself (so clock-skew faults can shift it).
        date_header=False, server_header=False, lifespan="on",
        timeout_graceful_shutdown=3, access_log=log_level == "info",
    )
    return uvicorn.Server(config)
