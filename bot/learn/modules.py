"""Approved educational modules (`content/modules/<module-id>/<lang>.md`): loading and serving.

Every sentence a patient reads has passed medical, legal and regulatory review. This module reads the
reviewed files once into frozen objects and decides whether a translation may be served today. It never
changes their words: the only run-time substitution is the declared placeholders ({support_phone}, ...),
whose values come from the program definition, itself approved configuration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.core.programs import SUPPORTED_LANGUAGES, Program

STAGES: tuple[str, ...] = ("onboarding", "understanding", "living_with")
Variant = Literal["sms", "full"]
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Placeholders a module may use; their values come from the program (see placeholder_values).
KNOWN_PLACEHOLDERS: tuple[str, ...] = (
    "support_phone",
    "emergency_number",
    "brand",
    "active_ingredient",
    "program_name",
)
_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)
# yaml.safe_load's loader, in its libyaml (C) build when present: same safety, ~10x faster on 80 files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(ValueError):
    """A module file is invalid; `file` and `field` say where, the message says what."""

    def __init__(self, message: str, *, file: str = "", field: str = "") -> None:
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")
        self.file = file
        self.field = field
        self.detail = message


@dataclass(frozen=True)
class Approval:
    """The review that cleared a translation: its reference, when it was approved, when it lapses."""

    reference: str
    approved_on: date | None
    expires_on: date | None
    version: str | None = None  # the file version the reference cleared; None: the file's own version
    pending: str = ""  # why the words changed since, while the new version waits for its review


@dataclass(frozen=True)
class Quiz:
    question: str
    options: tuple[str, ...]
    correct: int  # index into options
    explanation: str


@dataclass(frozen=True)
class Translation:
    """One language of a module, exactly as reviewed."""

    module_id: str
    lang: str
    version: str
    title: str
    approval: Approval | None
    programs: tuple[str, ...]
    stage: str
    sms: str
    body: str
    quiz: Quiz | None
    related: tuple[str, ...]
    placeholders: tuple[str, ...]
    demo: bool
    path: str


@dataclass(frozen=True)
class Module:
    """A module and all its translations. Shared attributes come from the English file when there is one."""

    id: str
    translations: tuple[Translation, ...]

    def translation(self, lang: str) -> Translation | None:
        for t in self.translations:
            if t.lang == lang:
                return t
        return None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(t.lang for t in self.translations)

    @property
    def reference(self) -> Translation:
        return self.translation("en") or self.translations[0]

    @property
    def programs(self) -> tuple[str, ...]:
        return self.reference.programs

    @property
    def stage(self) -> str:
        return self.reference.stage

    @property
    def related(self) -> tuple[str, ...]:
        return self.reference.related

    @property
    def has_quiz(self) -> bool:
        return self.reference.quiz is not None


@dataclass(frozen=True)
class Delivery:
    """What was chosen for a patient, and why: the record staff and auditors see.

    `text` is the approved text of the chosen variant with its placeholders still in braces; fill them with
    `render` at send time. `fallback` is True when the patient's language was not available and the program
    allowed its fallback language instead (staff should be told).
    """

    module_id: str
    version: str
    language: str
    approval_reference: str
    variant: Variant
    reason: str
    fallback: bool
    requested_language: str
    title: str
    text: str
    quiz: Quiz | None
    related: tuple[str, ...]

    def render(self, values: Mapping[str, str]) -> str:
        """The text with its placeholders filled from `values` (see placeholder_values)."""
        return fill_placeholders(self.text, values)


def placeholder_values(program: Program, country: str | None, lang: str | None = None) -> dict[str, str]:
    """Placeholder values for a patient of `program` in `country` who reads `lang`."""
    return {
        "support_phone": program.support_contact(country),
        "emergency_number": program.emergency_number(country),
        "brand": program.product.brand,
        "active_ingredient": program.product.active_ingredient,
        "program_name": program.name_in(lang),
    }


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace `{name}` for the names in `values`; other braces are left exactly as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# --- reading ----------------------------------------------------------------------------------------------


def split_front_matter(text: str, file: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a Markdown file that starts with a `---` fenced YAML block."""
    text = text.lstrip("\ufeff")
    fences = list(_FENCE.finditer(text))
    if not fences or fences[0].start() != 0 or len(fences) < 2:
        raise ContentError("the file must start with YAML front matter between two '---' lines", file=file)
    try:
        data = yaml.load(text[fences[0].end() : fences[1].start()], Loader=_SafeLoader) or {}
    except yaml.YAMLError as exc:
        raise ContentError(f"front matter is not valid YAML: {exc}", file=file) from exc
    if not isinstance(data, dict):
        raise ContentError("front matter must be a mapping of fields", file=file)
    return data, text[fences[1].end() :].strip()


def _text(data: dict[str, Any], key: str, file: str, prefix: str = "") -> str:
    value = data.get(key)
    name = f"{prefix}{key}"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ContentError("missing", file=file, field=name)
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ContentError("must be text", file=file, field=name)
    return str(value).strip()


def _str_list(data: dict[str, Any], key: str, file: str, required: bool = False) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        if required:
            raise ContentError("missing", file=file, field=key)
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ContentError("must be a list of names", file=file, field=key)
    return tuple(value)


def _date(value: Any, file: str, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ContentError(f"'{value}' is not a date (YYYY-MM-DD)", file=file, field=field) from exc


def _approval(value: Any, file: str) -> Approval | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ContentError(
            "must be a mapping with reference, approved_on, expires_on", file=file, field="approval"
        )
    reference = value.get("reference")
    return Approval(
        reference=str(reference).strip() if reference is not None else "",
        approved_on=_date(value.get("approved_on"), file, "approval.approved_on"),
        expires_on=_date(value.get("expires_on"), file, "approval.expires_on"),
        version=str(value["version"]).strip() if value.get("version") is not None else None,
        pending=str(value.get("pending") or "").strip(),
    )


def _quiz(value: Any, file: str) -> Quiz | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ContentError(
            "must be a mapping with question, options, correct, explanation", file=file, field="quiz"
        )
    options = value.get("options")
    if (
        not isinstance(options, list)
        or len(options) < 2
        or not all(isinstance(o, str) and o for o in options)
    ):
        raise ContentError("needs a list of at least two answers", file=file, field="quiz.options")
    correct = value.get("correct")
    if not isinstance(correct, int) or isinstance(correct, bool) or not 0 <= correct < len(options):
        raise ContentError(
            f"'{correct}' is not the index of one of the {len(options)} options (0 is the first)",
            file=file,
            field="quiz.correct",
        )
    return Quiz(
        question=_text(value, "question", file, "quiz."),
        options=tuple(options),
        correct=correct,
        explanation=_text(value, "explanation", file, "quiz."),
    )


def parse_translation(text: str, file: str, lang: str) -> Translation:
    """One `<lang>.md` file as a Translation; ContentError names the field that is wrong."""
    data, body = split_front_matter(text, file)
    if not body:
        raise ContentError("the full text (after the front matter) is empty", file=file, field="body")
    stage = _text(data, "stage", file)
    if stage not in STAGES:
        raise ContentError(f"'{stage}' is not one of {', '.join(STAGES)}", file=file, field="stage")
    return Translation(
        module_id=_text(data, "id", file),
        lang=lang,
        version=_text(data, "version", file),
        title=_text(data, "title", file),
        approval=_approval(data.get("approval"), file),
        programs=_str_list(data, "programs", file, required=True),
        stage=stage,
        sms=_text(data, "sms", file),
        body=body,
        quiz=_quiz(data.get("quiz"), file),
        related=_str_list(data, "related", file),
        placeholders=_str_list(data, "placeholders", file),
        demo=bool(data.get("demo", False)),
        path=file,
    )


def module_files(content_dir: Path) -> list[Path]:
    """Every `<lang>.md` under content/modules, sorted (module directories, then languages)."""
    return sorted((content_dir / "modules").glob("*/*.md"))


def read_translation(path: Path) -> Translation:
    """Read and parse one module file; its language is the file name, its module the directory."""
    file = str(path)
    lang = path.stem
    if lang not in SUPPORTED_LANGUAGES:
        raise ContentError(
            f"'{lang}' is not a supported language ({', '.join(SUPPORTED_LANGUAGES)})",
            file=file,
            field="language",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError("not UTF-8 text", file=file) from exc
    translation = parse_translation(text, file, lang)
    if translation.module_id != path.parent.name:
        raise ContentError(
            f"'{translation.module_id}' does not match its directory '{path.parent.name}'",
            file=file,
            field="id",
        )
    return translation


def load_modules(content_dir: Path) -> dict[str, Module]:
    """Every module under `content_dir/modules`, by id, read once. The first invalid file raises ContentError;
    `psp content validate` lists them all."""
    return group_modules(read_translation(path) for path in module_files(content_dir))


def group_modules(translations: Iterable[Translation]) -> dict[str, Module]:
    """Translations gathered into their modules, by id."""
    grouped: dict[str, list[Translation]] = {}
    for translation in translations:
        grouped.setdefault(translation.module_id, []).append(translation)
    return {mid: Module(id=mid, translations=tuple(ts)) for mid, ts in sorted(grouped.items())}


# --- serving ----------------------------------------------------------------------------------------------


def not_servable_reason(module: Module, lang: str, today: date) -> str | None:
    """Why `module` may not be shown in `lang` today, or None when it may."""
    t = module.translation(lang)
    if t is None:
        return f"no '{lang}' translation"
    a = t.approval
    if a is None or not a.reference:
        return "no approval reference"
    if a.expires_on is None:
        return "approval has no expiry date"
    if a.expires_on < today:
        return f"approval expired on {a.expires_on.isoformat()}"
    if a.approved_on is not None and a.approved_on > today:
        return f"approval only takes effect on {a.approved_on.isoformat()}"
    if changed_since_approval(t) and not t.demo:
        return f"version {t.version} changed since the approved version {a.version}: awaiting re-approval"
    return None


def changed_since_approval(t: Translation) -> bool:
    """The words changed after review (a new version under the old reference). Real content waits for its
    review (`psp content validate` reports it); fictional demo content is still served, its `approval.pending`
    note saying what waits for review."""
    a = t.approval
    return a is not None and a.version is not None and a.version != t.version


def servable(module: Module, lang: str, today: date) -> bool:
    """True when `module` has an approved, unexpired `lang` translation today."""
    return not_servable_reason(module, lang, today) is None


def _delivery(t: Translation, variant: Variant, reason: str, requested: str) -> Delivery:
    assert t.approval is not None  # servable() checked it
    return Delivery(
        module_id=t.module_id,
        version=t.version,
        language=t.lang,
        approval_reference=t.approval.reference,
        variant=variant,
        reason=reason,
        fallback=t.lang != requested,
        requested_language=requested,
        title=t.title,
        text=t.sms if variant == "sms" else t.body,
        quiz=t.quiz,
        related=t.related,
    )


def get_module_for(
    program: Program,
    module_id: str,
    lang: str,
    today: date,
    *,
    modules: Mapping[str, Module],
    variant: Variant = "full",
    reason: str = "requested",
) -> Delivery | None:
    """The module in the patient's language, or in the program's fallback language when the program has one
    (the delivery is then marked `fallback`), or None: unknown, not for this program, or not servable."""
    module = modules.get(module_id)
    if module is None or program.id not in module.programs:
        return None
    if lang in program.languages and servable(module, lang, today):
        return _delivery(_must(module, lang), variant, reason, lang)
    fallback = program.fallback_language
    if fallback and fallback != lang and servable(module, fallback, today):
        return _delivery(_must(module, fallback), variant, reason, lang)
    return None


def _must(module: Module, lang: str) -> Translation:
    t = module.translation(lang)
    assert t is not None
    return t
