"""Patient-facing words from the gettext catalogs in `locales/`, rendered with an explicit locale.

Catalogs are read from the `.po` files at start-up (no compile step in a fresh clone). Source strings are
English and use `{name}` placeholders. Extraction keywords: `t:2` and `tn:2,3` (see babel.cfg).
"""

from __future__ import annotations

from datetime import datetime, time
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_time as _format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.config import DEFAULT_LOCALES_DIR

LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "pt": "Português",
    "ar": "العربية",
}
DEFAULT_LOCALE = "en"
RTL = frozenset({"ar"})

_catalogs: dict[str, NullTranslations] = {}
_locales_dir: Path = DEFAULT_LOCALES_DIR


def load_catalog(po_path: Path, locale: str) -> Translations:
    """A `.po` file as Translations, fuzzy entries left out (as `pybabel compile` would)."""
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


def configure(locales_dir: Path) -> None:
    """Load every catalog under `locales_dir` (called once at start-up).

    A language may have several `.po` files (`messages.po`, and one per feature such as `reminders.po`); they
    are merged, so features can add their strings without editing one shared file.
    """
    global _locales_dir
    _locales_dir = locales_dir
    _catalogs.clear()
    for lang in LANGUAGES:
        merged: NullTranslations = NullTranslations()
        for po in sorted((locales_dir / lang / "LC_MESSAGES").glob("*.po")):
            catalog = load_catalog(po, lang)
            if isinstance(merged, Translations):
                merged.merge(catalog)
            else:
                merged = catalog
        _catalogs[lang] = merged


def _translations(locale: str | None) -> NullTranslations:
    if not _catalogs:
        configure(_locales_dir)
    return _catalogs.get(locale or DEFAULT_LOCALE) or _catalogs.get(DEFAULT_LOCALE) or NullTranslations()


def supported(locale: str | None) -> str | None:
    """Our language for a hint like "pt-BR" or "es_MX", or None."""
    if not locale:
        return None
    negotiated = Locale.negotiate([locale.replace("_", "-")], list(LANGUAGES), sep="-")
    return str(negotiated) if negotiated else None


def t(locale: str | None, message: str, **values: object) -> str:
    """The translation of `message` in `locale`, with `{name}` placeholders filled."""
    text = _translations(locale).gettext(message)
    return text.format(**_isolated(locale, values)) if values else text


def tn(locale: str | None, singular: str, plural: str, n: int, **values: object) -> str:
    """Plural-aware translation (Arabic has six forms); `{n}` is available in the text."""
    text = _translations(locale).ngettext(singular, plural, n)
    return text.format(n=n, **_isolated(locale, values))


def _isolated(locale: str | None, values: dict[str, object]) -> dict[str, object]:
    """In right-to-left text, wrap each value in first-strong isolates so "+34 900 123 456" keeps its
    order."""
    if locale not in RTL:
        return values
    return {key: f"\u2068{value}\u2069" for key, value in values.items()}


def format_time(moment: datetime, timezone: str, locale: str | None) -> str:
    return _format_time(moment, format="short", tzinfo=ZoneInfo(timezone), locale=locale or DEFAULT_LOCALE)


def format_clock(hhmm: str, locale: str | None) -> str:
    """A wall-clock "HH:MM" the way the patient's language writes it ("8:30 PM", "20:30", "8:30 م")."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    text = _format_time(time(hour, minute), format="short", locale=locale or DEFAULT_LOCALE)
    # CLDR puts a narrow no-break space before "PM": one such character would make a whole SMS UCS-2.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def format_day(moment: datetime, timezone: str, locale: str | None) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    return _format_date(local.date(), format="medium", locale=locale or DEFAULT_LOCALE)
