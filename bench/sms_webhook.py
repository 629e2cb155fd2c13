"""Signed inbound SMS webhooks per second, with p50/p99 latency, on SQLite and PostgreSQL.

The server runs in its own process (the web app with the SMS channel, as `psp serve` wires it, without the
scheduler: this measures taking messages in, not sending replies). The client is an aiohttp session on
loopback with N concurrent requests; each webhook is a distinct Twilio form, signed beforehand with
twilio-python's RequestValidator over the public URL, from enrolled patients. Each request goes the whole way:
signature check, E.164 normalisation, dedupe, encrypted verbatim store, safety screening, keywords, menu,
replies in the outbox.

    python bench/sms_webhook.py [--patients 500] [--requests 3000] [--concurrency 16] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PUBLIC_URL = "https://psp.example.org"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "bench-auth-token"
OUR_NUMBER = "+15557654321"
TEXTS = ["menu", "1", "thanks!", "what time is my reminder?", "ok 👍", "2"]


def _env(url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PSP_", "TWILIO_", "TELEGRAM_"))}
    env.update(
        PSP_DATABASE_URL=url,
        PSP_SECRET_KEY="bench-secret",
        PSP_HTTP_HOST="127.0.0.1",
        PSP_HTTP_PORT=str(port),
        PSP_PUBLIC_URL=PUBLIC_URL,
        TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        TWILIO_FROM=OUR_NUMBER,
        TWILIO_API_URL="http://127.0.0.1:9",
        PYTHONPATH=str(ROOT),
    )
    return env


async def _serve() -> None:
    """The server process: services, the SMS channel and the web app; no scheduler."""
    from aiohttp import web

    from bot.app import close_services, enable_channels, open_services
    from bot.config import load_settings
    from bot.web.app import build_web_app

    settings = load_settings(_env_file=None)
    services = await open_services(settings)
    await enable_channels(services)
    runner = web.AppRunner(build_web_app(services), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.psp_http_host, settings.psp_http_port).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    await stop.wait()
    await runner.cleanup()
    await close_services(services)


async def _seed(url: str, patients: int) -> list[str]:
    """Migrate and enrol `patients` SMS patients (Madrid numbers); returns their numbers."""
    from bot.app import close_services, open_services
    from bot.config import load_settings
    from bot.storage import db, queries

    if not url.startswith("sqlite"):
        engine = db.make_engine(url)
        await db.upgrade(engine)
        await engine.dispose()
    settings = load_settings(
        psp_database_url=url,
        psp_secret_key="bench-secret",
        psp_content_dir=ROOT / "content",
        psp_locales_dir=ROOT / "locales",
        _env_file=None,
    )
    services = await open_services(settings)
    numbers = [f"+3491{1000000 + i:07d}" for i in range(patients)]
    try:
        async with services.sessions() as session, session.begin():
            for number in numbers:
                patient = await queries.create_patient(session, services.clock(), locale="en")
                patient.status, patient.program_id, patient.timezone = (
                    "active",
                    "cardiozen-daily",
                    "Europe/Madrid",
                )
                patient.reminder_times, patient.enrolled_at, patient.country = (
                    ["09:00"],
                    services.clock(),
                    "ES",
                )
                await queries.add_address(session, patient, "sms", number, services.clock())
    finally:
        await close_services(services)
    return numbers


def _signed_requests(numbers: list[str], count: int) -> list[tuple[dict[str, str], dict[str, str]]]:
    from tests.doubles.twilio_api import inbound_sms_form, signed_form

    url = PUBLIC_URL + "/webhooks/twilio/sms"
    prepared = []
    for i in range(count):
        form = inbound_sms_form(
            numbers[i % len(numbers)],
            TEXTS[i % len(TEXTS)],
            to=OUR_NUMBER,
            account_sid=ACCOUNT_SID,
            message_sid="SM" + uuid.uuid4().hex,
        )
        prepared.append(signed_form(AUTH_TOKEN, url, form))
    return prepared


async def _load(
    base: str, prepared: list[tuple[dict[str, str], dict[str, str]]], concurrency: int
) -> dict[str, Any]:
    import aiohttp

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(prepared)):
        queue.put_nowait(i)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            while not queue.empty():
                headers, data = prepared[queue.get_nowait()]
                start = time.perf_counter()
                async with http.post(base + "/webhooks/twilio/sms", data=data, headers=headers) as response:
                    await response.read()
                latencies.append(time.perf_counter() - start)
                statuses[response.status] = statuses.get(response.status, 0) + 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rate": len(prepared) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
        "statuses": statuses,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def run(url: str, patients: int, requests: int, concurrency: int, workdir: Path) -> dict[str, Any]:
    numbers = await _seed(url, patients)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--serve"],
        env=_env(url, port),
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = await asyncio.get_running_loop().run_in_executor(None, server.stdout.readline)
        if line.strip() != "ready":
            raise RuntimeError(f"server did not start: {line!r}")
        base = f"http://127.0.0.1:{port}"
        await _load(base, _signed_requests(numbers, 100), concurrency)  # warm-up
        return await _load(base, _signed_requests(numbers, requests), concurrency)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


async def _pg_create(base: str) -> tuple[str, str]:
    import asyncpg

    name = f"psp_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(base.replace("+asyncpg", ""))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return base.rsplit("/", 1)[0] + "/" + name, name


async def _pg_drop(base: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(base.replace("+asyncpg", ""))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


def _row(backend: str, concurrency: int, requests: int, result: dict[str, Any]) -> str:
    ok = result["statuses"].get(200, 0)
    return (
        f"{backend:<12}{concurrency:>6}{requests:>9}{ok:>8}{result['rate']:>10.0f}"
        f"{result['p50_ms']:>9.1f}{result['p99_ms']:>9.1f}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", default="16")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(f"signed inbound SMS webhooks from {args.patients} enrolled patients, server in its own process")
    print(f"{'backend':<12}{'conc':>6}{'requests':>9}{'200 OK':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            result = await run(
                f"sqlite+aiosqlite:///{tmp}/bench.db", args.patients, args.requests, concurrency, Path(tmp)
            )
            print(_row("sqlite", concurrency, args.requests, result), flush=True)
            try:
                url, name = await _pg_create(args.postgres)
            except Exception as exc:  # noqa: BLE001
                print(f"postgresql skipped: {exc}")
                continue
            try:
                result = await run(url, args.patients, args.requests, concurrency, Path(tmp))
                print(_row("postgresql", concurrency, args.requests, result), flush=True)
            finally:
                await _pg_drop(args.postgres, name)


if __name__ == "__main__":
    if "--serve" in sys.argv:
        asyncio.run(_serve())
    else:
        asyncio.run(main())
