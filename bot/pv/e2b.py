"""One case as JSON keyed by ICH E2B(R3) data element numbers, for entry into a safety database.

This is not an ICSR XML message (no HL7 wrapper, no batch header): it is the content of one, element by
element, so an officer or an import script can fill the safety database without retyping. Unknown values
are given as HL7 null flavours (`{"nullFlavor": "UNK"}`) as E2B(R3) does. The mapping, element by element,
is in docs/pv.md.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.core.programs import Program
from bot.pv import questions
from bot.pv.actions import SERIOUSNESS_CRITERIA
from bot.pv.cases import CaseMessage, CaseRecord, minimum_criteria

FORMAT = "ICH E2B(R3) data elements (JSON rendering by psp-bot; see docs/pv.md)"
# E.i.1.1b: ISO 639-2 alpha-3 (terminology codes).
LANGUAGE_CODES = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "ar": "ara"}
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "ar": "Arabic",
}
TYPE_OF_REPORT_STUDY = (
    "2"  # C.1.3: solicited reports from a patient support programme are "report from study"
)
STUDY_TYPE_OTHER = "3"  # C.5.4: "other studies"
QUALIFICATION_CONSUMER = "5"  # C.2.r.4: consumer or other non health professional
DRUG_SUSPECT = "1"  # G.k.1
OUTCOME_UNKNOWN = "0"  # E.i.7


def _null(flavor: str) -> dict[str, str]:
    return {"nullFlavor": flavor}


def e2b_time(moment: datetime) -> str:
    """HL7 TS as E2B(R3) uses it: CCYYMMDDhhmmss+ZZzz, here always in UTC."""
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S+0000")


def _criterion(case: CaseRecord, code: str) -> Any:
    return True if code in case.seriousness_criteria else _null("NI")


def _outcome(case: CaseRecord) -> str:
    ongoing = case.answer("ongoing")
    return (
        questions.OUTCOME_BY_OPTION.get(ongoing.option or "", OUTCOME_UNKNOWN) if ongoing else OUTCOME_UNKNOWN
    )


def message_language(case: CaseRecord, message: CaseMessage) -> str:
    """The language a message was written in: its own, recorded on arrival (older rows: the patient's now)."""
    return message.language or case.patient_locale or "en"


def _language_names(case: CaseRecord) -> str:
    seen = dict.fromkeys(message_language(case, m) for m in case.messages) or {
        case.patient_locale or "en": None
    }
    return " and ".join(LANGUAGE_NAMES.get(lang, lang) for lang in seen)


def _native_summaries(case: CaseRecord) -> list[dict[str, str]]:
    """H.5.r: the patient's words, one entry per language they wrote in, each labelled with its own code."""
    by_lang: dict[str, list[str]] = {}
    for m in case.messages:
        by_lang.setdefault(message_language(case, m), []).append(m.text)
    return [
        {"H.5.r.1a": "\n".join(texts), "H.5.r.1b": LANGUAGE_CODES.get(lang, "eng")}
        for lang, texts in by_lang.items()
    ]


def narrative(case: CaseRecord, program: Program | None) -> str:
    """H.1: what was received, in order, quoting the patient verbatim; written for a PV officer."""
    programme = (
        f'the patient support programme "{program.name}"' if program else "a patient support programme"
    )
    product = case.product or "an unknown product (the patient had not yet enrolled)"
    parts = [
        f"Solicited report from {programme} (suspect product: {product}).",
        f"The patient reported directly (consumer), in {_language_names(case)}.",
    ]
    for m in case.messages:
        lang = message_language(case, m)
        name = LANGUAGE_NAMES.get(lang, lang)
        parts.append(f'On {m.received_at:%Y-%m-%d %H:%M} UTC by {m.channel}, in {name}: "{m.text}".')
    for a in case.answers:
        q = questions.BY_KEY.get(a.question)
        asked = q.text if q else a.question
        chosen = q.label(a.option, "en") if q and a.option else None
        meaning = f' (option "{chosen}")' if chosen and chosen.casefold() != a.answer.casefold() else ""
        parts.append(
            f'Asked "{asked}", the patient answered "{a.answer}"{meaning} ({a.answered_at:%Y-%m-%d %H:%M} '
            f"UTC)."
        )
    if case.seriousness_criteria:
        parts.append(
            "Seriousness assessed by the PV officer: "
            + ", ".join(c.replace("_", " ") for c in case.seriousness_criteria)
            + "."
        )
    elif case.serious:
        parts.append(
            "Automated screening suggests it may be serious; seriousness not yet assessed by an officer."
        )
    return " ".join(parts)


def sender_comments(case: CaseRecord) -> str:
    """H.4: what the program's screening saw, and whether the four minimum criteria are met."""
    screening = f"Screening: {case.kind.replace('_', ' ')}"
    if case.situations:
        screening += f" ({', '.join(case.situations)})"
    if case.serious:
        screening += "; possibly serious"
    words = [f'"{word}"' for m in case.messages for word in m.evidence]
    trigger = (
        "Words that triggered the escalation: " + "; ".join(words) + "."
        if words
        else "Escalated as a report the patient chose to make."
    )
    criteria = ", ".join(f"{name} {state}" for name, state in minimum_criteria(case).items())
    comments = [screening + ".", trigger, f"Minimum criteria: {criteria}."]
    if case.product_source == "program":
        comments.append("Suspect product taken from the programme the patient enrolled in after reporting.")
    return " ".join(comments)


def case_e2b(
    case: CaseRecord,
    *,
    subject_id: str,
    program: Program | None = None,
    created_at: datetime,
    sender: str = "PSPBOT",
) -> dict[str, Any]:
    """The case's E2B(R3) elements. `subject_id` is the patient's pseudonym (never the program patient ID)."""
    report_id = f"{sender}-{case.ref}"
    country = case.patient_country
    reactions = [
        {
            "E.i.1.1a": m.text,
            "E.i.1.1b": LANGUAGE_CODES.get(message_language(case, m), "eng"),
            **{element: _criterion(case, code) for code, element in SERIOUSNESS_CRITERIA.items()},
            "E.i.7": _outcome(case),
            **({"E.i.9": country} if country else {}),
        }
        for m in case.messages
    ]
    drug: dict[str, Any] = {"G.k.1": DRUG_SUSPECT, "G.k.2.2": case.product if case.product else _null("UNK")}
    if program is not None and case.product == program.product.brand:
        drug["G.k.2.3.r"] = [{"G.k.2.3.r.1": program.product.active_ingredient}]
    return {
        "format": FORMAT,
        "C.1.1": report_id,
        "C.1.2": e2b_time(created_at),
        "C.1.3": TYPE_OF_REPORT_STUDY,
        "C.1.4": e2b_time(case.opened_at),
        "C.1.5": e2b_time(case.latest_information_at),
        "C.1.6.1": False,
        "C.1.8.1": report_id,
        "C.1.8.2": "2",  # first sender of this case: other (not a regulator)
        "C.2.r": [
            {
                "C.2.r.1.2": _null("MSK"),  # reporter's given name: masked (the reporter is the patient)
                "C.2.r.1.4": _null("MSK"),  # reporter's family name
                "C.2.r.3": country if country else _null("UNK"),
                "C.2.r.4": QUALIFICATION_CONSUMER,
                "C.2.r.5": "1",  # primary source for regulatory purposes
            }
        ],
        "C.5.2": program.name if program else _null("UNK"),
        "C.5.3": case.program_id if case.program_id else _null("UNK"),
        "C.5.4": STUDY_TYPE_OTHER,
        "D.1": subject_id,
        "D.2.1": _null("UNK"),
        "D.5": _null("UNK"),
        "E.i": reactions,
        "G.k": [drug],
        "H.1": narrative(case, program),
        "H.4": sender_comments(case),
        "H.5.r": _native_summaries(case),
    }
