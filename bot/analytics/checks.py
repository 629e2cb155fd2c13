"""What may go into an export row: the schema's columns with values of their declared types, and nothing
that looks like personal data.

`assert_pseudonymous` is the cheap guard against accidents (a phone number, chat id, e-mail address, patient
reference or message text where a pseudonymous value belongs); `row_checker` applies the schema and the same
guard column by column, for the writers. Errors name the row and column, never the value: it may be
personal data, and errors end up in logs.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from bot.analytics.pseudonym import is_subject_id
from bot.analytics.schemas import Column, ExportSchema

LIST_SEPARATOR = ";"
"""Joins list items in CSV, so no item may contain it."""


# --- the pseudonymity guard -------------------------------------------------------------------------------


class NotPseudonymousError(ValueError):
    """A value looks like personal data (phone number, chat id, e-mail, patient reference, free text)."""


_PHONE_SHAPED = re.compile(r"\+?[\d\s().\-]+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d+\.\d+")
_DIGIT_RUN = re.compile(r"\d{9,}")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PATIENT_REF = re.compile(r"\bPSP-\d{3,}\b", re.IGNORECASE)
CHAT_ID_MIN = 10_000_000
"""Whole numbers of 8 or more digits look like a Telegram chat id (no export count gets that large)."""
FREE_TEXT_MAX_CHARS = 64


@functools.lru_cache(maxsize=16_384)  # exports repeat the same codes and subject IDs row after row
def _text_reason(text: str) -> str | None:
    if len(text) < 7 or is_subject_id(text) or _DECIMAL.fullmatch(text):
        return None
    if "\n" in text or "\r" in text:
        return "free text"
    if (
        _PHONE_SHAPED.fullmatch(text)
        and not _ISO_DATE.fullmatch(text)
        and sum(ch.isdigit() for ch in text) >= 7
    ):
        return "a phone number or chat id"
    if _DIGIT_RUN.search(text):
        return "a phone number or chat id (long digit run)"
    if _EMAIL.search(text):
        return "an e-mail address"
    if _PATIENT_REF.search(text):
        return "a program patient reference (use subject_id)"
    if len(text) > FREE_TEXT_MAX_CHARS:
        return "free text"
    words = text.split()
    if len(words) >= 3 and sum(1 for w in words if w.isalpha() and not w[0].isupper()) >= 2:
        return "free text"
    return None


def _value_reason(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "a Telegram chat id or phone number" if abs(value) >= CHAT_ID_MIN else None
    if isinstance(value, str):
        return _text_reason(value)
    if isinstance(value, list | tuple):
        for item in value:
            reason = _value_reason(item)
            if reason:
                return reason
    return None


def assert_pseudonymous(row: Mapping[str, Any]) -> None:
    """Refuse a row with a value that looks like personal data: NotPseudonymousError naming the column.

    Cheap checks against accidents, not a proof of anonymity: phone numbers (E.164 or national, with or
    without separators), long digit runs and large integers (Telegram chat ids), e-mail addresses, program
    patient references (`PSP-000123`), and free text (several lower-case words, line breaks, long strings).
    Subject IDs (`S-` + 16 base32 characters) always pass. Short messages ("dizzy") and names cannot be
    recognised; the real protection is that exports are built only from the columns in `schemas`.
    """
    for name, value in row.items():
        reason = _value_reason(value)
        if reason:
            raise NotPseudonymousError(f"column '{name}': value looks like {reason}")


# --- row checking -----------------------------------------------------------------------------------------


def _guard_text(value: str) -> None:
    reason = _text_reason(value)
    if reason:
        raise NotPseudonymousError(f"value looks like {reason}")


def _check_string(column: Column) -> Callable[[Any], Any]:
    allowed = frozenset(column.values) if column.values is not None else None

    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__}")
        if allowed is None:
            _guard_text(value)
        elif value not in allowed:
            raise ValueError(f"not one of {', '.join(column.values or ())}")
        return value

    return check


def _check_int(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int, got {type(value).__name__}")
    if abs(value) >= CHAT_ID_MIN:
        raise NotPseudonymousError("value looks like a Telegram chat id or phone number")
    return value


def _check_float(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a float, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _check_bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise TypeError(f"expected a bool, got {type(value).__name__}")
    return value


def _check_date(value: Any) -> Any:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return value


def _check_timestamp(value: Any) -> Any:
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: give a time zone (UTC)")
    return value.astimezone(UTC)


def _check_list(column: Column) -> Callable[[Any], Any]:
    allowed = frozenset(column.values) if column.values is not None else None

    def check(value: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected a list of strings, got {type(value).__name__}")
        for item in value:
            if not isinstance(item, str):
                raise TypeError(f"expected a list of strings, got an item of type {type(item).__name__}")
            if allowed is None:
                _guard_text(item)
            elif item not in allowed:
                raise ValueError(f"an item is not one of {', '.join(column.values or ())}")
            if LIST_SEPARATOR in item:
                raise ValueError(f"an item contains the list separator '{LIST_SEPARATOR}'")
        return list(value)

    return check


def _checker(column: Column) -> Callable[[Any], Any]:
    """Type check, normalisation and (for text and whole numbers) the pseudonymity guard of one column."""
    if column.type == "string":
        return _check_string(column)
    if column.type == "list[string]":
        return _check_list(column)
    simple: dict[str, Callable[[Any], Any]] = {
        "int": _check_int,
        "float": _check_float,
        "bool": _check_bool,
        "date": _check_date,
        "timestamp": _check_timestamp,
    }
    return simple[column.type]


RowChecker = Callable[[Mapping[str, Any], int], tuple[Any, ...]]


def row_checker(schema: ExportSchema) -> RowChecker:
    """A function that checks one row (with its 1-based number, for errors) and returns its values in
    schema order, normalised (timestamps in UTC, ints in float columns as floats, lists as lists)."""
    names = schema.names
    expected = frozenset(names)
    checks = [(column.name, column.nullable, _checker(column)) for column in schema.columns]

    def check(row: Mapping[str, Any], number: int) -> tuple[Any, ...]:
        if not isinstance(row, Mapping):
            raise TypeError(f"row {number}: expected a mapping, got {type(row).__name__}")
        if row.keys() != expected:
            missing = [name for name in names if name not in row]
            if missing:
                raise ValueError(f"row {number}: missing column '{missing[0]}' ({schema.kind} export)")
            extra = sorted(str(key) for key in row if key not in expected)
            raise ValueError(f"row {number}: unexpected column '{extra[0]}' ({schema.kind} export)")
        values = []  # type: ignore[var-annotated]
        for name, nullable, checker in checks:
            value = row[name]
            if value is None:
                if not nullable:
                    raise ValueError(f"row {number}: column '{name}' must not be empty")
                values.append(None)
                continue
            try:
                values.append(checker(value))
            except NotPseudonymousError as exc:
                raise NotPseudonymousError(f"row {number}: column '{name}': {exc}") from None
            except (TypeError, ValueError) as exc:
                raise ValueError(f"row {number}: column '{name}': {exc}") from None
        return tuple(values)

    return check
