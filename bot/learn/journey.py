"""Which approved module a patient gets next (pure: no clock, no storage, no channel).

The program's `journey` says what to teach and when; the patient's own record says what they already got and
what they did with it. The rules, in the order they are applied:

1. An `after:` step answers something the patient did (a wrong quiz answer -> the remedial module, a
   side-effect
   report -> what happens next) within the last TRIGGER_WINDOW_DAYS, unless that step was already sent since.
2. A correct quiz answer on the latest journey module advances at once to the next `day:` step, without
   waiting for its day.
3. Otherwise the first unsent `day:` step (in journey order) whose day has come, at most one journey module a
   day.

A module that cannot be served (expired, unapproved, untranslated without an allowed fallback) is never
chosen, even when a rule points at it: the journey skips to the next candidate. Engagement picks the variant:
after SHORT_AFTER_UNOPENED deliveries in a row that the patient never opened, the short (SMS) variant is sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.programs import JourneyStep, Program
from bot.learn.modules import STAGES, Delivery, Module, Variant, get_module_for

SHORT_AFTER_UNOPENED = 3
TRIGGER_WINDOW_DAYS = 7
# Reasons of deliveries the patient asked for; they do not count towards the one-a-day pace.
ON_REQUEST_REASONS: tuple[str, ...] = ("requested", "browse", "read_more", "related")


@dataclass(frozen=True)
class Sent:
    """A module already delivered to the patient (the core stores Delivery records; this is their gist)."""

    module_id: str
    on: date
    variant: Variant = "full"
    reason: str = ""


@dataclass(frozen=True)
class PatientEvent:
    """Something the patient did that the journey reacts to.

    kind: `opened` (asked for the full text, "read more"), `quiz_correct`, `quiz_wrong` (both with module_id),
    `side_effect_report` (no module_id).
    """

    kind: str
    on: date
    module_id: str | None = None


def choose_variant(history: Sequence[Sent], events: Sequence[PatientEvent]) -> Variant:
    """`sms` (short) once the last SHORT_AFTER_UNOPENED journey deliveries were all left unopened, else
    `full`.

    Answering a module's quiz counts as opening it, and so does asking for any module (Learn menu, "read
    more") since then: the patient is reading again. Opening any later one brings the full text back."""
    engaged = {(e.module_id, e.on) for e in events if e.kind in ("opened", "quiz_correct", "quiz_wrong")}
    pushed = sorted((s for s in history if s.reason not in ON_REQUEST_REASONS), key=lambda s: s.on)
    recent = pushed[-SHORT_AFTER_UNOPENED:]
    if len(recent) < SHORT_AFTER_UNOPENED:
        return "full"
    if any(s.reason in ON_REQUEST_REASONS and s.on >= recent[0].on for s in history):
        return "full"
    for sent in recent:
        if any(mid == sent.module_id and on >= sent.on for mid, on in engaged):
            return "full"
    return "sms"


def _triggered(step: JourneyStep, events: Sequence[PatientEvent], today: date) -> date | None:
    """The date of the latest recent event that fires an `after:` step, or None."""
    oldest = today - timedelta(days=TRIGGER_WINDOW_DAYS)
    dates = [
        e.on
        for e in events
        if e.kind == step.trigger
        and (step.trigger_module is None or e.module_id == step.trigger_module)
        and oldest <= e.on <= today
    ]
    return max(dates) if dates else None


# Over 60 lines on purpose: the journey rules in the order they apply (docs/content.md lists them).
def next_module(
    program: Program,
    modules: Mapping[str, Module],
    history: Sequence[Sent],
    today: date,
    enrolled_on: date,
    lang: str,
    events: Sequence[PatientEvent],
    *,
    variant: Variant | None = None,
) -> Delivery | None:
    """The next module for this patient today, or None when nothing is due.

    `variant` forces a variant (the SMS channel passes "sms"); otherwise engagement chooses it."""
    chosen: Variant = variant or choose_variant(history, events)

    def deliver(step: JourneyStep, reason: str) -> Delivery | None:
        return get_module_for(
            program, step.module, lang, today, modules=modules, variant=chosen, reason=reason
        )

    # 1. Answers to what the patient did.
    for step in program.journey:
        if step.after is None:
            continue
        fired_on = _triggered(step, events, today)
        if fired_on is None or any(s.module_id == step.module and s.on >= fired_on for s in history):
            continue
        delivery = deliver(step, step.rule)
        if delivery is not None:
            return delivery

    main = [step for step in program.journey if step.day is not None]
    main_ids = {step.module for step in main}
    sent_ids = {s.module_id for s in history}
    pending = [step for step in main if step.module not in sent_ids]

    # 2. A correct answer on the latest journey module moves the patient on.
    on_journey = [s for s in history if s.module_id in main_ids and s.reason not in ON_REQUEST_REASONS]
    if on_journey:
        latest = max(enumerate(on_journey), key=lambda pair: (pair[1].on, pair[0]))[1]
        answered = any(
            e.kind == "quiz_correct" and e.module_id == latest.module_id and e.on >= latest.on for e in events
        )
        if answered:
            for step in pending:
                delivery = deliver(step, f"advance:quiz_correct:{latest.module_id}")
                if delivery is not None:
                    return delivery

    # 3. Scheduled lessons, one a day.
    if any(s.on == today and s.reason not in ON_REQUEST_REASONS for s in history):
        return None
    for step in pending:
        assert step.day is not None
        if enrolled_on + timedelta(days=step.day) > today:
            continue
        delivery = deliver(step, step.rule)
        if delivery is not None:
            return delivery
    return None


def browse(program: Program, modules: Mapping[str, Module], lang: str, today: date) -> list[Delivery]:
    """What the patient may read now from the "Learn" menu: every servable module of the program, by stage
    (onboarding, understanding, living with), journey order within a stage, then by id."""
    order = {step.module: i for i, step in enumerate(program.journey)}
    candidates = sorted(
        (m for m in modules.values() if program.id in m.programs),
        key=lambda m: (STAGES.index(m.stage), order.get(m.id, len(order)), m.id),
    )
    found = (
        get_module_for(program, m.id, lang, today, modules=modules, variant="full", reason="browse")
        for m in candidates
    )
    return [d for d in found if d is not None]
