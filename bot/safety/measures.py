"""Out-of-range measurements: a blood sugar, blood pressure, heart rate, INR, eye pressure, TSH or body
temperature the patient quotes with a value.

"my sugar was 45", "BP 190/115", "pulse 130", "glycémie à 0,5", "Blutzucker 320", "الضغط 200 على 120": the
value is parsed after a measurement word (lexicon `measurements`) or from its unit alone ("130 bpm",
"48 mg/dl", "2.8 mmol"), and compared with the ranges in `common.yaml` (`measurement_ranges`). A value inside
its range is not a signal ("my BP was 120/80, all good", "INR 2.4, in range"): `read_measurements` says so,
and the screener then treats a message with nothing else in it as a deliberate clear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.safety.lexicon import Hit
from bot.safety.normalise import Token

Span = tuple[int, int]
Ranges = dict[str, dict[str, tuple[float | None, float | None]]]

_NUMBER = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_OVER = r"\s*(?:/|\\|over|sobre|sur|zu|por|على|3ala|ala)\s*"
_PAIR_RE = re.compile(rf"(?<![\d.,]){_NUMBER}{_OVER}(\d{{1,3}})(?![\d])", re.IGNORECASE)
_VALUE_RE = re.compile(
    rf"(?<![\d.,/a-zA-Z]){_NUMBER}(?![\d/])\s*(mg\s*/?\s*dl|mmol(?:\s*/\s*l)?|g\s*/\s*l|bpm|mm\s*hg)?",
    re.IGNORECASE,
)
# A number followed by a time or count word is not a measurement ("pulse checked 30 minutes later").
_NOT_A_VALUE = re.compile(
    r"\s*(?:%|min|minutes?|mins|hours?|hrs?|h\b|days?|weeks?|months?|years?|times|x\b|tabs?|pills?|units?|"
    r"veces|minutos?|horas?|d[ií]as|semanas?|jours?|heures?|fois|minuten|stunden|tagen?|mal\b|wochen|"
    r"vezes|dias|دقيق|دقايق|ساع|يوم|ايام|مرات|مره|اسبوع)",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")
# Round 9: "HbA1c from 9.5 down to 7.2", "plaquetas de 90 a 160": a result that moved is judged by where it
# ended.
_MOVED_TO = re.compile(
    rf"\s*(?:->|→|to|down to|up to|a|à|auf|para|pra|al|الى|إلى|ل)\s*{_NUMBER}(?![\d/])", re.IGNORECASE
)
# Round 11: a blood pressure that moved ("from 120/80 to 190/110", "de 12/8 à 19/11") likewise.
_MOVED_PAIR = re.compile(
    rf"\s*(?:->|→|to|down to|up to|a|à|auf|para|pra|al|الى|إلى|ل)\s*{_NUMBER}{_OVER}(\d{{1,3}})(?![\d])",
    re.IGNORECASE,
)
_STOP_RE = re.compile(r"[!?;\n؟]|\.(?!\d)|,(?!\d)")
# A value of these read inside its range is a result the patient reports as fine ("INR 2.4", "eye pressure
# 15",
# "TSH 2.0"); a blood sugar, pressure, pulse or temperature near a bound may still be what worries them.
_QUIET_WHEN_NORMAL = frozenset(
    {"inr", "eye_pressure", "tsh"}
    | {"platelets", "hba1c", "liver_enzymes", "neutrophils", "haemoglobin", "creatinine"}
)
# Round 9: blood results with one usual unit each, and the value above which the other unit is meant (HbA1c
# 9.4 % or 79 mmol/mol; neutrophils 0.8 x10^9/L or 800 per microlitre; haemoglobin 7.9 g/dL or 79 g/L;
# creatinine 2.4 mg/dL or 212 micromol/L).
_LAB_UNITS: dict[str, tuple[str, float | None, str | None]] = {
    "platelets": ("value", None, None),
    "hba1c": ("percent", 20, "mmol/mol"),
    "liver_enzymes": ("value", None, None),
    "neutrophils": ("value", 50, "per_ul"),
    "haemoglobin": ("g/dl", 25, "g/l"),
    "creatinine": ("mg/dl", 20, "umol/l"),
}
# The second unit's bounds, from the first's: per microlitre = x10^9/L * 1000, g/L = g/dL * 10, micromol/L =
# mg/dL * 88.4.
_SCALE = {"per_ul": 1000.0, "g/l": 10.0, "umol/l": 88.4}
# Round 7: a sugar, pressure or pulse well inside its range (not near a bound, where worries were seen on the
# spent sets) is quiet too: "BP at the chemist 118/76", "my sugar was 110".
_COMFORTABLE: Ranges = {
    "glucose": {"mg/dl": (80, 180), "mmol/l": (4.4, 10.0)},
    "blood_pressure": {"systolic": (100, 139), "diastolic": (60, 89)},
    "heart_rate": {"bpm": (55, 100)},
}
_UNIT_ONLY = {
    "bpm": "heart_rate",
    "mg": "glucose",
    "mmol": "glucose",
    "mm": "blood_pressure",
}


def _number(raw: str) -> float:
    return float(raw.replace(",", "."))


def _outside(value: float, bounds: tuple[float | None, float | None]) -> bool:
    low, high = bounds
    return (low is not None and value < low) or (high is not None and value > high)


def _judge(measure: str, first: str, second: str | None, unit: str | None, ranges: Ranges) -> bool | None:
    """True: out of range; False: in range; None: not a value of this measure."""
    table = ranges.get(measure)
    if not table:
        return None
    value = _number(first)
    unit = re.sub(r"\s+", "", unit.lower()) if unit else None
    if measure == "blood_pressure":
        systolic = value
        diastolic = _number(second) if second is not None else None
        if systolic < 30 and diastolic is None:
            return None  # a lone small number ("pressure 16 in both eyes") is not a cmHg blood pressure
        if systolic < 30:  # cmHg, as written in French, Spanish and Portuguese ("tension à 18/11")
            systolic *= 10
            diastolic = diastolic * 10 if diastolic is not None and diastolic < 30 else diastolic
        if systolic < 50 or systolic > 300:
            return None
        out = "systolic" in table and _outside(systolic, table["systolic"])
        if diastolic is not None and "diastolic" in table:
            out = out or _outside(diastolic, table["diastolic"])
        return out
    if second is not None:
        return None
    if measure == "glucose":
        if unit and unit.startswith("g/"):  # g/L, as written in France: 1 g/L = 100 mg/dL
            value, unit = value * 100, "mg/dl"
        decimals = first.replace(",", ".").partition(".")[2]
        if unit is None and len(decimals) == 2 and value < 4:  # "1,05" is g/L; mmol/L is written "5.6"
            value, unit = value * 100, "mg/dl"
        if (
            unit
            and unit.startswith("mmol")
            or (unit is None and "." in first.replace(",", ".") and value <= 35)
        ):
            return _outside(value, table["mmol/l"]) if "mmol/l" in table else None
        if unit and unit.startswith("mg") or (unit is None and value >= 30):
            return _outside(value, table["mg/dl"]) if "mg/dl" in table else None
        return None
    if measure == "heart_rate":
        if value != int(value) or not 20 <= value <= 300:
            return None
        return _outside(value, table["bpm"]) if "bpm" in table else None
    if measure == "temperature":  # Celsius, or Fahrenheit when the value can only be one ("101.5")
        scale = "celsius" if 30 <= value <= 45 else "fahrenheit" if 86 <= value <= 113 else None
        return _outside(value, table[scale]) if scale and scale in table else None
    if measure in _LAB_UNITS:
        usual, above, other = _LAB_UNITS[measure]
        if (unit is not None and not unit.startswith(("g/", "mg", "mmol"))) or value > 1000:
            return None
        if above is not None and value >= above and other is not None:
            if other in table:
                return _outside(value, table[other])
            low, high = table.get(usual, (None, None))
            factor = _SCALE[other]
            return _outside(
                value, (None if low is None else low * factor, None if high is None else high * factor)
            )
        return _outside(value, table[usual]) if usual in table else None
    if measure in ("inr", "eye_pressure", "tsh"):  # one unit each: INR ratio, mmHg, mIU/L
        bounds = table.get("value")
        if bounds is None or unit is not None or value > 80:
            return None
        return _outside(value, bounds)
    return None


def _inclusive(ranges: Ranges, measure: str, fell: bool) -> Ranges:
    """``ranges`` with the bound a value moved towards counted as reached: a result that fell to the lower
    bound ("Hb von 12 auf 8 gefallen") or rose to the upper one is out of range; one that moved away from a
    bound into range ("Hb von 6 auf 8") is not."""
    table = ranges.get(measure)
    if not table:
        return ranges
    eps = 1e-6
    moved: dict[str, tuple[float | None, float | None]] = {}
    for unit, (low, high) in table.items():
        if fell:
            moved[unit] = (None if low is None else low + eps, high)
        else:
            moved[unit] = (low, None if high is None else high - eps)
    return {**ranges, measure: moved}


def _judge_moved(
    measure: str, first: tuple[str, str | None], end: tuple[str, str | None], unit: str | None, ranges: Ranges
) -> bool | None:
    """Round 11: a value that moved ("from X to Y", "von X auf Y", "de X a Y", "من X إلى Y") is judged by
    the value it ended at; one that reached the bound it moved towards counts as out of range."""
    if measure == "glucose" and unit is None and all("." not in f.replace(",", ".") for f, _ in (first, end)):
        if max(_number(first[0]), _number(end[0])) <= 35:  # "from 6 to 22": whole mmol/L, never mg/dL
            unit = "mmol"
    verdict = _judge(measure, end[0], end[1], unit, ranges)
    if verdict is not False:
        return verdict
    fell = _number(end[0]) < _number(first[0])
    if _number(end[0]) == _number(first[0]):
        if end[1] is None or first[1] is None or _number(end[1]) == _number(first[1]):
            return verdict
        fell = _number(end[1]) < _number(first[1])
    return _judge(measure, end[0], end[1], unit, _inclusive(ranges, measure, fell))


def _to_tokens(tokens: Sequence[Token], start: int, end: int) -> Span | None:
    """Token span covering characters [start, end)."""
    first = next((i for i, t in enumerate(tokens) if t.end > start), None)
    if first is None:
        return None
    last = max((i for i, t in enumerate(tokens) if t.start < end), default=first)
    return (first, last + 1)


def out_of_range(
    text: str, tokens: Sequence[Token], measures: Sequence[Hit], ranges: Ranges, reach: int
) -> list[Span]:
    """Token spans (measurement word to value) of values outside their range."""
    return read_measurements(text, tokens, measures, ranges, reach)[0]


def read_measurements(
    text: str, tokens: Sequence[Token], measures: Sequence[Hit], ranges: Ranges, reach: int
) -> tuple[list[Span], bool]:
    """Token spans of values outside their range, and whether an INR, eye pressure or TSH value was read
    inside its range."""
    if not ranges or _DIGIT_RE.search(text) is None:
        return [], False
    normal = False
    spans: list[Span] = []
    seen: set[int] = set()
    # Round 9: a measurement word inside a longer one reads nothing of its own ("hemoglobina" in "hemoglobina
    # glicada 7,5" is not a haemoglobin of 7.5).
    measures = [
        h
        for h in measures
        if not any(
            o is not h and o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start)
            for o in measures
        )
    ]
    for hit in measures:
        start = tokens[hit.end - 1].end
        window = text[start : start + reach]
        stop = _STOP_RE.search(window)
        if stop:
            window = window[: stop.start()]
        pair = _PAIR_RE.search(window) if hit.label.payload == "blood_pressure" else None
        if pair:
            moved_pair = _MOVED_PAIR.match(window, pair.end())
            if moved_pair:
                verdict = _judge_moved(
                    hit.label.payload,
                    (pair.group(1), pair.group(2)),
                    (moved_pair.group(1), moved_pair.group(2)),
                    None,
                    ranges,
                )
                end = start + moved_pair.end()
                pair = moved_pair
            else:
                verdict = _judge(hit.label.payload, pair.group(1), pair.group(2), None, ranges)
                end = start + pair.end()
        else:
            value = _VALUE_RE.search(window)
            if (
                value is None
                or (
                    not value.group(2)
                    and _NOT_A_VALUE.match(window, value.end(1))
                    # "HbA1c 9.4 %": the percent sign is HbA1c's own unit (round 9)
                    and not (hit.label.payload == "hba1c" and window[value.end(1) :].lstrip().startswith("%"))
                )
            ):
                continue
            figure = value.group(1)
            end = start + value.end()
            # Round 11: every measure, not only blood results ("sugar from 6 to 22", "pulse from 70 to 140").
            moved = _MOVED_TO.match(window, value.end())
            if moved:
                figure, end = moved.group(1), start + moved.end()
                verdict = _judge_moved(
                    hit.label.payload, (value.group(1), None), (figure, None), value.group(2), ranges
                )
            else:
                verdict = _judge(hit.label.payload, figure, None, value.group(2), ranges)
        if verdict is False:
            read = pair or value
            assert read is not None  # a verdict needs a value
            second, unit = (read.group(2), None) if pair else (None, read.group(2))
            # judged where it ended (round 11): "sugar from 14 to 6.5" is comfortable at 6.5
            ended = figure if not pair else read.group(1)
            comfortable = _judge(hit.label.payload, ended, second, unit, _COMFORTABLE) is False
            # (a lab result read where it ended is quiet by its measure: _QUIET_WHEN_NORMAL)
            normal = normal or hit.label.payload in _QUIET_WHEN_NORMAL or comfortable
        if verdict:
            span = _to_tokens(tokens, tokens[hit.start].start, end)
            if span:
                spans.append(span)
                seen.update(range(start, end))
    # A value with its unit needs no measurement word: "130 bpm", "48 mg/dl", "2.8 mmol/l", "190/120 mmHg".
    for m in re.finditer(
        rf"(?<![\d.,]){_NUMBER}(?:{_OVER}(\d{{1,3}}))?\s*(mg\s*/?\s*dl|mmol(?:\s*/\s*l)?|bpm|mm\s*hg)",
        text,
        re.IGNORECASE,
    ):
        if m.start() in seen:
            continue
        measure = _UNIT_ONLY[re.match(r"[a-z]+", m.group(3).lower()).group()]  # type: ignore[union-attr]
        verdict = _judge(
            measure, m.group(1), m.group(2), None if measure == "blood_pressure" else m.group(3), ranges
        )
        if verdict:
            span = _to_tokens(tokens, m.start(), m.end())
            if span:
                spans.append(span)
    return spans, normal
