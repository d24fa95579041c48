"""Runs inside emupos's own Python 3.13 venv: relays the control API's event stream to stdout.

Usage: python emupos_events.py ws://127.0.0.1:PORT/api/v1/events
Prints "ready" once subscribed, then one JSON object per line per event, in order.
"""

import asyncio
import sys

import websockets  # type: ignore[import-not-found]  # only in emupos's own venv


async def main(url: str) -> None:
    async with websockets.connect(url) as ws:
        print("ready", flush=True)
        async for message in ws:
            print(message, flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
