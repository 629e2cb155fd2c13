"""Numbers the screen reads in words' company (round 7 of issue #13).

- A count that fell over a period ("migraine days from 12 to 3 a month", "de 10 à 2 crises par mois") is
  efficacy: the symptom counted is what the treatment is for, not an adverse event.
- A dose count taken instead of another ("4 puffs instead of 2", "40mg statt 20") is a medication error.
- The usual state of the illness ("MS fatigue as always, nothing new") is not a new finding when the sentence
  names no treatment.
- Round 9: an interval contrary to the label told over two clauses ("the pharmacist said once a month. I've
  been taking one every day") is a medication error (``frequencies``, ``label_words``, ``own_use``).

The words (``count_from``, ``count_to``, ``count_periods``, ``instead_of``, ``dose_units``, ``baseline``) are
lexicon data; these functions only read their hits and the tokens' numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.safety.lexicon import Hit
    from bot.safety.normalise import Token

_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)([a-zµ]*)$")
# Units after which a number is a weight, a dose or a lab value, not a count of episodes.
_NOT_COUNTS = frozenset({"kg", "kilo", "kilos", "lb", "lbs", "mg", "mmol", "ml", "g", "cm", "pounds", "%"})
_DOSE_SUFFIXES = frozenset({"mg", "mcg", "µg", "ug", "ml", "u", "ui", "iu", "units"})


def _number(tokens: Sequence[Token], i: int) -> tuple[float, str] | None:
    if 0 <= i < len(tokens) and tokens[i].kind == "w":
        m = _NUMBER.match(tokens[i].forms[0])
        if m:
            return float(m.group(1).replace(",", ".")), m.group(2)
    return None


def _number_after(tokens: Sequence[Token], end: int) -> tuple[int, float] | None:
    """The number right after a word (or one token later: "from about 12")."""
    for j in (end, end + 1):
        found = _number(tokens, j)
        if found:
            return j, found[0]
    return None


def fewer_counts(tokens: Sequence[Token], by_cat: dict[str, list[Hit]], sentence: Sequence[int]) -> set[int]:
    """Sentences telling that a count fell over a period: a number after a "from" word, a smaller number
    after a "to" word, a period word ("a month", "par mois", "شهريا"), and no weight or dose unit."""
    periods = by_cat.get("period", [])
    if not periods or not by_cat.get("count_from") or not by_cat.get("count_to"):
        return set()
    found: set[int] = set()
    for f in by_cat["count_from"]:
        before = _number_after(tokens, f.end)
        if before is None:
            continue
        for t in by_cat["count_to"]:
            after = _number_after(tokens, t.end)
            if after is None or sentence[f.start] != sentence[t.start] or abs(t.start - f.start) > 8:
                continue
            if not after[1] < before[1]:
                continue
            s = sentence[f.start]
            if not any(sentence[p.start] == s for p in periods):
                continue
            # "they cut my dose from 4 to 2 tablets a day": a dose, not a count of episodes
            if any(sentence[u.start] == s for c in ("treatment", "dose_unit") for u in by_cat.get(c, [])):
                continue
            units = {
                tok.forms[0] for k, tok in enumerate(tokens) if sentence[k] == s and tok.kind in ("w", "s")
            }
            numbered = {_number(tokens, k) for k in (before[0], after[0])}
            if units & _NOT_COUNTS or any(n and n[1] in _NOT_COUNTS for n in numbered):
                continue
            found.add(s)
    return found


def value_fell(tokens: Sequence[Token], by_cat: dict[str, list[Hit]]) -> bool:
    """Round 11: a value that fell ("LDL von 190 auf 62 runter", "HbA1c from 9.1 to 6.4") told beside good
    news ("the doctor was delighted", "super") is the treatment working, like an in-range value (the caller
    checks the good news): a number after a "from" word and a smaller one after a "to" word at most eight
    words on, no contrast between."""
    contrasts = [c.start for c in by_cat.get("contrast", [])]
    for f in by_cat.get("count_from", []):
        before = _number_after(tokens, f.end)
        if before is None:
            continue
        for t in by_cat.get("count_to", []):
            after = _number_after(tokens, t.end)
            if (
                after is not None
                and 0 < t.start - f.start <= 8
                and after[1] < before[1]
                and not any(f.start < k < t.start for k in contrasts)
            ):
                return True
    # "5,8 statt früher 9", "6.1 instead of 8": a number right before an "instead of" word, a larger after.
    for h in by_cat.get("instead", []):
        now = _number(tokens, h.start - 1)
        then = _number_after(tokens, h.end)
        if (
            now is not None
            and then is not None
            and now[0] < then[1]
            and not now[1]
            and not by_cat.get("treatment")
        ):
            return True
    return False


def dose_instead(tokens: Sequence[Token], by_cat: dict[str, list[Hit]]) -> list[tuple[int, int]]:
    """Spans of a dose count taken instead of another: a number (with a dose unit or treatment word within
    two words, or a unit glued to it: "40mg") before an "instead of" word, and a number right after it.
    Round 10: a taking verb or treatment word just before the number counts too ("tomo 3 em vez de 1",
    "nehme 2 statt 1", "I take 2 instead of 1")."""
    spans: list[tuple[int, int]] = []
    units = [*by_cat.get("dose_unit", []), *by_cat.get("treatment", [])]
    takers = [*by_cat.get("treatment", []), *by_cat.get("use_verb", []), *by_cat.get("own_use", [])]
    for h in by_cat.get("instead", []):
        after = _number_after(tokens, h.end)
        if after is None:
            continue
        start = None
        for j in range(h.start - 1, max(h.start - 4, -1), -1):
            found = _number(tokens, j)
            if found is None:
                continue
            glued = found[1] in _DOSE_SUFFIXES
            # ... a bare count right before "instead" (not "10h", not "50 minutes instead of 20")
            bare = j == h.start - 1 and found[1] == "" and (_number(tokens, after[0]) or (0.0, "x"))[1] == ""
            # Round 11: short words may stand between ("tomei O DE 50 em vez do de 25", "took THE 300").
            near = any(j < u.start < h.start or 0 <= u.start - after[0] <= 2 for u in units) or (
                bare
                and any(
                    0 <= j - u.end <= 1
                    or (
                        0 <= j - u.end <= 3
                        and u.label.category != "treatment"  # a taking verb, not "switched me to the 300"
                        and all(len(tokens[k].forms[0]) <= 3 for k in range(u.end, j))
                    )
                    for u in takers
                )
            )
            if glued or near:
                start = j
            break
        if start is not None:
            spans.append((start, after[0] + 1))
    return spans


def baseline_sentences(by_cat: dict[str, list[Hit]], sentence: Sequence[int]) -> set[int]:
    """Sentences that say the illness is as it always was ("same as always", "nichts Neues"), with no
    treatment word, care, seriousness or special situation in them."""
    # "nothing new except the new pills": an exception right after the cue names something new.
    exceptions = by_cat.get("exception", [])
    cues = [c for c in by_cat.get("baseline", []) if not any(0 <= e.start - c.end <= 1 for e in exceptions)]
    if not cues:
        return set()
    inside = {i for c in cues for i in range(c.start, c.end)}  # "rien de NOUVEAU" names no treatment
    busy = {
        sentence[h.start]
        for cat in ("treatment", "care", "serious", "situation", "link")
        for h in by_cat.get(cat, [])
        if h.start not in inside
    }
    return {sentence[c.start] for c in cues} - busy


def interval_contrary(
    by_cat: dict[str, list[Hit]],
    clause: Sequence[int],
    sentence: Sequence[int],
    in_question: Callable[[Hit], bool],
) -> list[tuple[int, int]]:
    """Round 9: an interval contrary to the label told over two clauses ("the pharmacist said it's once a
    month. I've been taking one every day"): a frequency in a clause with a label word (what was told) and a
    different frequency outside it, in a sentence with the patient's own use (what is done). Spans of the
    frequency done; empty when the two agree, when either is missing, or when the use is asked about."""
    every = by_cat.get("frequency", [])
    # Only the use may not be asked about: what was told may sit in an information zone ("the leaflet says
    # once a week") and still be what was told.
    frequencies = [
        h
        for h in every
        if not any(
            o is not h and o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start
            for o in every
        )
    ]
    if len({h.label.payload for h in frequencies}) < 2:
        return []
    uses = by_cat.get("own_use", [])
    # A use word that holds a label word ("بقالي" holds "قالي") is the use.
    labels = [
        h
        for h in by_cat.get("label_word", [])
        if not any(u.start <= h.start and h.end <= u.end for u in uses)
    ]
    told_clauses = {clause[h.start] for h in labels}
    use_sentences = {sentence[u.start] for u in uses if clause[u.start] not in told_clauses}
    told = {h.label.payload for h in frequencies if clause[h.start] in told_clauses}
    done = [
        h
        for h in frequencies
        if clause[h.start] not in told_clauses
        and not in_question(h)
        and sentence[h.start] in use_sentences
        and h.label.payload not in told
    ]
    return [(h.start, h.end) for h in done] if told and done else []


# Round 10 (spec-what2): counts in words ("trois crises au lieu de dix", "antes eran ocho", "بدل عشر"), read
# only by `fewer_than_before` (normalised forms: no accents). Articles ("un", "une", "ein") are left out.
_NUMBER_WORDS = {
    **dict.fromkeys(("one",), 1.0),
    **dict.fromkeys(("two", "dos", "deux", "zwei", "dois", "duas", "اثنين", "اتنين", "مرتين"), 2.0),
    **dict.fromkeys(("three", "tres", "trois", "drei", "ثلاث", "ثلاثه", "تلات", "تلاته"), 3.0),
    **dict.fromkeys(("four", "cuatro", "quatre", "vier", "quatro", "اربع", "اربعه"), 4.0),
    **dict.fromkeys(("five", "cinco", "cinq", "funf", "fünf", "خمس", "خمسه"), 5.0),
    **dict.fromkeys(("six", "seis", "sechs", "ست", "سته"), 6.0),
    **dict.fromkeys(("seven", "siete", "sept", "sieben", "sete", "سبع", "سبعه"), 7.0),
    **dict.fromkeys(("eight", "ocho", "huit", "acht", "oito", "ثمان", "ثمانيه", "تمن", "تمنيه"), 8.0),
    **dict.fromkeys(("nine", "nueve", "neuf", "neun", "nove", "تسع", "تسعه"), 9.0),
    **dict.fromkeys(("ten", "diez", "dix", "zehn", "dez", "عشر", "عشره"), 10.0),
    **dict.fromkeys(("twelve", "doce", "douze", "zwolf", "zwölf", "doze"), 12.0),
    **dict.fromkeys(("fifteen", "quince", "quinze", "funfzehn", "fünfzehn"), 15.0),
    **dict.fromkeys(("twenty", "veinte", "vingt", "zwanzig", "vinte", "عشرين"), 20.0),
}


def _count(tokens: Sequence[Token], i: int) -> tuple[float, str] | None:
    """A number in digits, or a count in words (unit empty)."""
    found = _number(tokens, i)
    if found is None and 0 <= i < len(tokens) and tokens[i].kind == "w":
        value = _NUMBER_WORDS.get(tokens[i].forms[0])
        found = None if value is None else (value, "")
    return found


def _count_after(tokens: Sequence[Token], end: int) -> tuple[int, float] | None:
    for j in (end, end + 1):
        found = _count(tokens, j)
        if found:
            return j, found[0]
    return None


def fewer_than_before(
    tokens: Sequence[Token], by_cat: dict[str, list[Hit]], sentence: Sequence[int]
) -> set[int]:
    """Round 10: sentences telling that a count is smaller than it was ("3 migraines this month, down from
    14", "2 crises au lieu de 12", "nur 2 Tage statt 12"): a `fewer_than` word followed by a number, and a
    smaller number before it in the sentence, or an improvement or small-count word there ("only", "a
    diminué") with no number before it. Not with a dose unit or a treatment word next to the numbers (a dose
    taken "instead of" another is a medication error, read elsewhere)."""
    cues = by_cat.get("fewer_than", [])
    if not cues:
        return set()
    bettered = {sentence[h.start] for cat in ("improvement", "few") for h in by_cat.get(cat, [])}
    doses = [*by_cat.get("dose_unit", []), *by_cat.get("treatment", [])]
    found: set[int] = set()
    for c in cues:
        after = _count_after(tokens, c.end)
        if after is None:
            continue
        s = sentence[c.start]
        if any(abs(u.start - after[0]) <= 2 for u in doses):
            continue
        # "applied the injection at 15 days instead of 30": a treatment word before the cue in its sentence
        # with no break between tells of how the dose was taken.
        if any(
            t.end <= c.start
            and sentence[t.start] == s
            and not any(tokens[k].kind == "p" for k in range(t.end, c.start))
            for t in by_cat.get("treatment", [])
        ):
            continue
        earlier = [
            (k, n) for k in range(c.start - 1, -1, -1) if sentence[k] == s and (n := _count(tokens, k))
        ]
        if earlier:
            k, (value, unit) = earlier[0]
            later = _count(tokens, after[0])
            if later is None or unit != later[1] or not value < later[0]:
                continue
            if any(abs(u.start - k) <= 2 for u in doses):
                continue
        elif s not in bettered:
            continue
        found.add(s)
    return found


def unmoved_despite_dose(
    by_cat: dict[str, list[Hit]], sentence: Sequence[int], is_negated: Callable[[Hit], bool]
) -> list[tuple[int, int]]:
    """Round 11: the illness or a value that does not move although the dose was raised ("Hb bleibt bei 8,9,
    obwohl ich die doppelte Dosis krieg", "still the same seizures even on double the dose"): in one sentence,
    a concession word, a raised-dose phrase and a word of no change, none negated, and no reassurance or
    praise ("still fine even though they doubled it" is no lack of efficacy). Spans of the three."""
    spans: list[tuple[int, int]] = []
    raised = [h for h in by_cat.get("dose_raised", []) if not is_negated(h)]
    if not raised or not by_cat.get("concession"):
        return spans
    still = [h for cat in ("unmoved", "persistence") for h in by_cat.get(cat, []) if not is_negated(h)]
    calm = {sentence[h.start] for cat in ("reassurance", "praise", "all_clear") for h in by_cat.get(cat, [])}
    for c in by_cat["concession"]:
        here = sentence[c.start]
        if here in calm:
            continue
        doses = [r for r in raised if sentence[r.start] == here]
        stays = [u for u in still if sentence[u.start] == here]
        if doses and stays:
            spans.extend([(stays[0].start, stays[0].end), (c.start, c.end), (doses[0].start, doses[0].end)])
    return spans
