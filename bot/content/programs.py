"""Program definitions (`content/programs/*.yaml`): product, enrolment codes, reminder defaults.

A program is approved configuration, not code: staff and reviewers read the YAML. This module turns it into
frozen objects once, and fails with the file and field when something is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "ar")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ProgramError(ValueError):
    """A program file is invalid; the message names the file and the field."""


@dataclass(frozen=True)
class Product:
    brand: str
    active_ingredient: str
    form: str


@dataclass(frozen=True)
class ReminderDefaults:
    """How reminders are planned unless the patient changes them (times are local to the patient)."""

    schedule: str = "daily"  # daily | weekly | every_n_days
    dose_times: tuple[str, ...] = ("09:00",)
    weekday: str | None = None  # mon..sun, for weekly schedules
    every_n_days: int | None = None
    days_supply: int = 30
    refill_lead_days: int = 3
    quiet_start: str = "21:00"
    quiet_end: str = "08:00"
    answer_window_minutes: int = 120
    nonresponder_threshold: int = 3


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    product: Product
    enrolment_codes: tuple[str, ...]
    languages: tuple[str, ...]
    consent_version: str
    reminders: ReminderDefaults
    fallback_language: str | None = None
    demo: bool = False
    emergency_numbers: dict[str, str] = field(default_factory=dict)
    support_phone: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def emergency_number(self, country: str | None) -> str:
        """The emergency number for a country (ISO 3166 alpha-2), else the program's default."""
        if country and country.upper() in self.emergency_numbers:
            return self.emergency_numbers[country.upper()]
        return self.emergency_numbers.get("default", "112")

    def support_contact(self, country: str | None) -> str:
        if country and country.upper() in self.support_phone:
            return self.support_phone[country.upper()]
        return self.support_phone.get("default", "")


def normalise_code(code: str) -> str:
    """Enrolment codes are matched ignoring case, spaces and dashes ("demo cz 2026" == "DEMO-CZ-2026")."""
    return re.sub(r"[\s\-_.]", "", code).upper()


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise ProgramError(f"{where}: missing field '{key}'")
    return data[key]


def parse_program(data: dict[str, Any], where: str) -> Program:
    """Build a Program from one parsed YAML document; `where` names the file in errors."""
    product = _require(data, "product", where)
    rem = dict(data.get("reminders") or {})
    for key in ("dose_times",):
        if key in rem:
            rem[key] = tuple(str(t) for t in rem[key])
    quiet = rem.pop("quiet_hours", None) or {}
    if quiet:
        rem["quiet_start"], rem["quiet_end"] = str(quiet["start"]), str(quiet["end"])
    try:
        reminders = ReminderDefaults(**rem)
    except TypeError as exc:
        raise ProgramError(f"{where}: reminders: {exc}") from exc
    for t in (*reminders.dose_times, reminders.quiet_start, reminders.quiet_end):
        if not _HHMM.match(t):
            raise ProgramError(f"{where}: reminders: '{t}' is not a HH:MM time")
    languages = tuple(_require(data, "languages", where))
    unknown = [lang for lang in languages if lang not in SUPPORTED_LANGUAGES]
    if unknown:
        raise ProgramError(f"{where}: languages: unsupported {unknown}")
    codes = tuple(str(c) for c in _require(data, "enrolment_codes", where))
    return Program(
        id=str(_require(data, "id", where)),
        name=str(_require(data, "name", where)),
        product=Product(
            brand=str(_require(product, "brand", f"{where}: product")),
            active_ingredient=str(_require(product, "active_ingredient", f"{where}: product")),
            form=str(_require(product, "form", f"{where}: product")),
        ),
        enrolment_codes=codes,
        languages=languages,
        consent_version=str(_require(data.get("consent") or {}, "version", f"{where}: consent")),
        reminders=reminders,
        fallback_language=data.get("fallback_language"),
        demo=bool(data.get("demo", False)),
        emergency_numbers={str(k): str(v) for k, v in (data.get("emergency_numbers") or {}).items()},
        support_phone={str(k): str(v) for k, v in (data.get("support_phone") or {}).items()},
        raw=data,
    )


def load_programs(content_dir: Path) -> dict[str, Program]:
    """Every program under `content_dir/programs`, by id. Duplicate ids or codes are errors."""
    programs: dict[str, Program] = {}
    codes: dict[str, str] = {}
    for path in sorted((content_dir / "programs").glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        program = parse_program(data, str(path))
        if program.id in programs:
            raise ProgramError(f"{path}: id: duplicate program id '{program.id}'")
        for code in program.enrolment_codes:
            key = normalise_code(code)
            if key in codes:
                raise ProgramError(f"{path}: enrolment_codes: '{code}' is also used by '{codes[key]}'")
            codes[key] = program.id
        programs[program.id] = program
    return programs


def find_by_code(programs: dict[str, Program], code: str) -> Program | None:
    """The program an enrolment code belongs to, or None."""
    key = normalise_code(code)
    for program in programs.values():
        if key in (normalise_code(c) for c in program.enrolment_codes):
            return program
    return None
