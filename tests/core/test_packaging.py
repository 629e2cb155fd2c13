"""`pip install .` (not editable): the wheel carries the demo content and catalogs, and a service started from
the installed package finds them without PSP_CONTENT_DIR / PSP_LOCALES_DIR."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LANGUAGES = ("ar", "de", "en", "es", "fr", "pt")
SKIPPED = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "tests", "bench", "*.db")

STARTUP = """
import asyncio
from bot import i18n
from bot.app import close_services, open_services
from bot.config import load_settings

async def main():
    settings = load_settings(_env_file=None)
    services = await open_services(settings)
    try:
        print(settings.psp_content_dir)
        print(settings.psp_locales_dir)
        print(",".join(sorted(services.programs)))
        print(i18n.t("pt", "I agree"))
    finally:
        await close_services(services)

asyncio.run(main())
"""


def _wheel(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=SKIPPED)
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("psp_bot-*.whl")
    return wheel


def test_the_wheel_ships_content_and_catalogs_and_the_installed_service_finds_them(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "bot/_data/content/programs/cardiozen-daily.yaml" in names
        assert any(n.startswith("bot/_data/content/modules/") and n.endswith("/ar.md") for n in names)
        for lang in LANGUAGES:
            assert f"bot/_data/locales/{lang}/LC_MESSAGES/messages.po" in names
        site = tmp_path / "site"
        archive.extractall(site)  # what an installer does with a pure-Python wheel

    elsewhere = tmp_path / "run"
    elsewhere.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(site),
        "PSP_DATABASE_URL": f"sqlite+aiosqlite:///{elsewhere / 'psp.db'}",
        "PSP_SECRET_KEY": "packaging-test-secret-key-0123456789abcdef",
    }
    run = subprocess.run(
        [sys.executable, "-c", STARTUP], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    content_dir, locales_dir, programs, agreed = run.stdout.splitlines()[-4:]
    assert Path(content_dir) == site / "bot" / "_data" / "content"
    assert Path(locales_dir) == site / "bot" / "_data" / "locales"
    assert programs == "cardiozen-daily,ostelix-weekly"
    assert agreed == "Concordo"


def test_a_missing_content_folder_names_the_variable_to_set(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "PSP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}",
        "PSP_SECRET_KEY": "packaging-test-secret-key-0123456789abcdef",
        "PSP_CONTENT_DIR": str(tmp_path / "nowhere"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "PSP_CONTENT_DIR: no such directory" in run.stderr
    assert "set PSP_CONTENT_DIR" in run.stderr
