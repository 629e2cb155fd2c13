"""`psp serve` as a real process: runs with an empty environment on SQLite and answers over real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PSP_", "TELEGRAM_", "TWILIO_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=_clean_env(PSP_HTTP_PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _get(base + "/healthz")
            break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read() if proc.stdout else "serve exited") from None
            time.sleep(0.2)
    yield base, tmp_path
    proc.terminate()
    output, _ = proc.communicate(timeout=15)
    assert proc.returncode == 0, output
    assert "audit chain head: entry #0, hash " + "0" * 64 in output, (
        "the chain's head is logged at each start"
    )


def test_serve_with_an_empty_environment_reports_database_and_channels(served) -> None:  # type: ignore[no-untyped-def]
    base, workdir = served
    status, body = _get(base + "/healthz")
    health = json.loads(body)
    assert status == 200
    assert health["database"] == {"ok": True, "backend": "sqlite"}
    assert health["channels"]["console"] == "on"
    assert health["channels"]["telegram"].startswith("off")
    assert health["channels"]["sms"].startswith("off")
    assert (workdir / "psp.db").exists(), "SQLite database created in the working directory"
    assert (workdir / ".psp-secret-key").exists(), "a local key was generated"


def test_metrics_are_prometheus_text(served) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    status, body = _get(base + "/metrics")
    assert status == 200
    assert "# TYPE psp_outbox_rows gauge" in body
    assert 'psp_channel_up{channel="console"} 1' in body


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PSP_HTTP_PORT": "eighty"}, "PSP_HTTP_PORT"),
        ({"PSP_DATABASE_URL": "mysql://x"}, "PSP_DATABASE_URL"),
        (
            {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM": "+15550001111"},
            "PSP_PUBLIC_URL",
        ),
        (
            {
                "TELEGRAM_BOT_TOKEN": "1:x",
                "PSP_PUBLIC_URL": "https://bot.example.org",
                "TELEGRAM_WEBHOOK_SECRET": "no spaces!",
            },
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {
                "TWILIO_ACCOUNT_SID": "AC1",
                "TWILIO_AUTH_TOKEN": "t",
                "TWILIO_FROM": "12345",
                "PSP_PUBLIC_URL": "https://x.org",
            },
            "TWILIO_FROM",
        ),
    ],
)
def test_bad_configuration_stops_start_up_with_one_line_naming_the_variable(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_pv_screen_command_prints_the_contract_json(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "pv", "screen", "--lang", "fr", "j'ai des vertiges depuis la piqûre"],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert set(decision) == {"escalate", "tier", "score", "kind", "situations", "serious", "evidence", "lang"}
    assert decision["escalate"] is True and decision["tier"] == "case" and decision["lang"] == "fr"
    assert 0.0 <= decision["score"] <= 1.0
    assert any("vertiges" in quote for quote in decision["evidence"])
    assert not (tmp_path / ".psp-secret-key").exists(), "screening needs no key and writes nothing"


def test_content_validate_passes_on_the_shipped_content(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "validate"],
        cwd=tmp_path,
        env=_clean_env(PSP_SECRET_KEY="content-validate-needs-no-key-but-is-32+"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content OK" in result.stdout


def test_after_start_up_long_lived_objects_are_frozen_and_new_garbage_is_still_collected() -> None:
    import gc
    import weakref

    from bot.app import settle_after_start_up

    class Node:
        me: object

    try:
        frozen = settle_after_start_up()
        assert frozen > 0 and gc.get_freeze_count() == frozen  # full collections skip them from now on

        node = Node()
        node.me = node  # a reference cycle made while serving: only the collector can free it
        gone = weakref.ref(node)
        del node
        gc.collect()
        assert gone() is None  # memory stays flat: what a serving process drops is still collected
    finally:
        gc.unfreeze()
