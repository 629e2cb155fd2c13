"""Program definitions (`content/programs/*.yaml`): product, enrolment codes, reminder defaults.

A program is approved configuration, not code: staff and reviewers read the YAML. This module turns it into
frozen objects once, and fails with the file and field when something is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.templates import TemplateError, Templates, parse_templates

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "pt", "ar")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ProgramError(ValueError):
    """A program file is invalid; the message names the file and the field.

    `file`, `field` and `detail` are also kept apart so `psp content validate` can report them in columns.
    """

    def __init__(self, detail: str, *, file: str = "", field: str = "") -> None:
        super().__init__(": ".join(part for part in (file, field, detail) if part))
        self.file = file
        self.field = field
        self.detail = detail


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


JOURNEY_TRIGGERS: tuple[str, ...] = ("quiz_wrong", "quiz_correct", "side_effect_report")


@dataclass(frozen=True)
class JourneyStep:
    """One step of a program's education journey.

    Either `day` (sent that many days after enrolment, in journey order, one a day) or `after` (sent in answer
    to something the patient did): `quiz_wrong:<module>` (remedial), `quiz_correct:<module>`,
    `side_effect_report`.
    """

    module: str
    day: int | None = None
    after: str | None = None

    @property
    def trigger(self) -> str | None:
        """The event kind of an `after` rule (`quiz_wrong`, ...), else None."""
        return self.after.split(":", 1)[0] if self.after else None

    @property
    def trigger_module(self) -> str | None:
        """The module an `after: quiz_...:<module>` rule watches, else None."""
        if self.after and ":" in self.after:
            return self.after.split(":", 1)[1]
        return None

    @property
    def rule(self) -> str:
        """The rule as written (`day:3`, `after:quiz_wrong:cz-how-to-take`): the reason a delivery records."""
        return f"day:{self.day}" if self.after is None else f"after:{self.after}"


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
    crisis_lines: dict[str, str] = field(default_factory=dict)  # country -> suicide and crisis line
    journey: tuple[JourneyStep, ...] = ()
    sms_segment_budget: int = 2
    whatsapp_templates: Templates = field(default_factory=dict)  # kind -> language -> approved template
    names: dict[str, str] = field(default_factory=dict)
    missed_dose_module: str | None = (
        None  # the approved guide offered to a patient who says they missed a dose
    )
    default_country: str | None = None  # where a patient whose country we cannot tell is assumed to live
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def name_in(self, lang: str | None) -> str:
        """The program's name as a patient reading `lang` sees it; else `name` (the staff name)."""
        return self.names.get(lang or "", self.name)

    def emergency_number(self, country: str | None) -> str:
        """The emergency number for a country (ISO 3166 alpha-2), else the program's default country's."""
        country = country or self.default_country
        if country and country.upper() in self.emergency_numbers:
            return self.emergency_numbers[country.upper()]
        return self.emergency_numbers.get("default", "112")

    def crisis_line(self, country: str | None) -> str | None:
        """The suicide and crisis line of a country (988 in the US), else the default one, else None."""
        country = (country or self.default_country or "").upper()
        return self.crisis_lines.get(country) or self.crisis_lines.get("default")

    def support_contact(self, country: str | None) -> str:
        """The support line for a country, else the program's default country's, else the default line."""
        country = country or self.default_country
        if country and country.upper() in self.support_phone:
            return self.support_phone[country.upper()]
        return self.support_phone.get("default", "")


def program_or_default(programs: Mapping[str, Program], program_id: str | None) -> Program | None:
    """The patient's program, else the first one (a patient who has not given a code yet)."""
    return programs.get(program_id or "") or next(iter(programs.values()), None)


def support_contact(programs: Mapping[str, Program], program_id: str | None, country: str | None) -> str:
    program = program_or_default(programs, program_id)
    return program.support_contact(country) if program else ""


def normalise_code(code: str) -> str:
    """Enrolment codes are matched ignoring case, spaces and dashes ("demo cz 2026" == "DEMO-CZ-2026")."""
    return re.sub(r"[\s\-_.]", "", code).upper()


def _require(data: dict[str, Any], key: str, where: str, prefix: str = "") -> Any:
    if key not in data or data[key] in (None, ""):
        raise ProgramError(f"missing field '{key}'", file=where, field=f"{prefix}.{key}".lstrip("."))
    return data[key]


def _parse_journey(steps: Any, where: str) -> tuple[JourneyStep, ...]:
    if steps is None:
        return ()
    if not isinstance(steps, list):
        raise ProgramError("must be a list of steps", file=where, field="journey")
    parsed: list[JourneyStep] = []
    for i, step in enumerate(steps):
        label = f"journey[{i}]"
        if not isinstance(step, dict) or not step.get("module"):
            raise ProgramError("each step needs a 'module'", file=where, field=label)
        has_day, has_after = step.get("day") is not None, step.get("after") is not None
        if has_day == has_after:
            raise ProgramError("give exactly one of 'day' or 'after'", file=where, field=label)
        day: int | None = None
        after: str | None = None
        if has_day:
            day = step["day"]
            if not isinstance(day, int) or isinstance(day, bool) or day < 0:
                raise ProgramError(
                    f"'{day}' is not a whole number of days >= 0",
                    file=where,
                    field=f"{label}.day",
                )
        else:
            after = str(step["after"])
            kind, _, target = after.partition(":")
            bad = kind not in JOURNEY_TRIGGERS or (kind == "side_effect_report") == bool(target)
            if bad:
                raise ProgramError(
                    f"'{after}' is not one of quiz_wrong:<module>, quiz_correct:<module>, side_effect_report",
                    file=where,
                    field=f"{label}.after",
                )
        parsed.append(JourneyStep(module=str(step["module"]), day=day, after=after))
    return tuple(parsed)


def parse_program(data: dict[str, Any], where: str) -> Program:
    """Build a Program from one parsed YAML document; `where` names the file in errors."""
    if not isinstance(data, dict):
        raise ProgramError("not a mapping of fields", file=where)
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
        raise ProgramError(str(exc), file=where, field="reminders") from exc
    for t in (*reminders.dose_times, reminders.quiet_start, reminders.quiet_end):
        if not _HHMM.match(t):
            raise ProgramError(f"'{t}' is not a HH:MM time", file=where, field="reminders")
    languages = tuple(_require(data, "languages", where))
    unknown = [lang for lang in languages if lang not in SUPPORTED_LANGUAGES]
    if unknown:
        raise ProgramError(f"unsupported {unknown}", file=where, field="languages")
    fallback = data.get("fallback_language")
    if fallback is not None and fallback not in languages:
        raise ProgramError(
            f"'{fallback}' is not one of the program's languages",
            file=where,
            field="fallback_language",
        )
    budget = data.get("sms_segment_budget", 2)
    if not isinstance(budget, int) or isinstance(budget, bool) or not 1 <= budget <= 10:
        raise ProgramError(
            f"'{budget}' is not a number of segments from 1 to 10",
            file=where,
            field="sms_segment_budget",
        )
    codes = tuple(str(c) for c in _require(data, "enrolment_codes", where))
    try:
        templates = parse_templates(data.get("whatsapp_templates"))
    except TemplateError as exc:
        raise ProgramError(exc.detail, file=where, field=exc.field) from exc
    return Program(
        id=str(_require(data, "id", where)),
        name=str(_require(data, "name", where)),
        product=Product(
            brand=str(_require(product, "brand", where, "product")),
            active_ingredient=str(_require(product, "active_ingredient", where, "product")),
            form=str(_require(product, "form", where, "product")),
        ),
        enrolment_codes=codes,
        languages=languages,
        consent_version=str(_require(data.get("consent") or {}, "version", where, "consent")),
        reminders=reminders,
        fallback_language=fallback,
        demo=bool(data.get("demo", False)),
        emergency_numbers={str(k): str(v) for k, v in (data.get("emergency_numbers") or {}).items()},
        support_phone={str(k): str(v) for k, v in (data.get("support_phone") or {}).items()},
        crisis_lines={str(k).upper(): str(v) for k, v in (data.get("crisis_lines") or {}).items()},
        journey=_parse_journey(data.get("journey"), where),
        sms_segment_budget=budget,
        whatsapp_templates=templates,
        names=_parse_names(data.get("names"), languages, where),
        default_country=_country(data.get("default_country"), where),
        missed_dose_module=str(data["missed_dose_module"]) if data.get("missed_dose_module") else None,
        raw=data,
    )


def _parse_names(value: Any, languages: tuple[str, ...], where: str) -> dict[str, str]:
    """`names`: the program's name per language. Optional, but when given every program language needs one,
    so a patient never reads the name in another language."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise ProgramError("must map each language code to a name", file=where, field="names")
    missing = [lang for lang in languages if lang not in value]
    if missing:
        raise ProgramError(f"no name for {', '.join(missing)}", file=where, field="names")
    return {str(k): v.strip() for k, v in value.items()}


def _country(value: Any, where: str) -> str | None:
    """An ISO 3166 alpha-2 code ("US"), upper-cased, or None when the program gives none."""
    if value in (None, ""):
        return None
    code = str(value).upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ProgramError(f"'{value}' is not a two-letter country code", file=where, field="default_country")
    return code


def read_program_file(path: Path) -> Any:
    """The parsed YAML of one program file; a syntax error becomes a ProgramError naming the file."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except yaml.YAMLError as exc:
        raise ProgramError(f"not valid YAML: {exc}", file=str(path)) from exc


def load_programs(content_dir: Path) -> dict[str, Program]:
    """Every program under `content_dir/programs`, by id. Duplicate ids or codes are errors."""
    programs: dict[str, Program] = {}
    codes: dict[str, str] = {}
    for path in sorted((content_dir / "programs").glob("*.yaml")):
        program = parse_program(read_program_file(path), str(path))
        if program.id in programs:
            raise ProgramError(f"duplicate program id '{program.id}'", file=str(path), field="id")
        for code in program.enrolment_codes:
            key = normalise_code(code)
            if key in codes:
                raise ProgramError(
                    f"'{code}' is also used by '{codes[key]}'",
                    file=str(path),
                    field="enrolment_codes",
                )
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
