"""The labelled PV development sets (tests/data/pv_dev), shared by the safety tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "pv_dev"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")


def load_set(name: str) -> list[dict[str, Any]]:
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
