"""Conversation flows for reminders: answers (taken / skipped / snooze, refill yes / no and why), and the
patient's own settings from the menu (see the schedule, change the time, pause, resume).

Registered on the conversation's `Router` by `register`. Every handler runs inside the conversation's
transaction, after the safety screen, so "taken, but I feel dizzy" is escalated and recorded as taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core import menu
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.core.places import city_name
from bot.core.programs import Program
from bot.core.text import fold
from bot.core.times import parse_local_time
from bot.i18n import format_day, format_time
from bot.reminders import facts, plans, words
from bot.reminders import store as rows
from bot.reminders.planning import (
    FLOW,
    MAX_OPEN,
    cancel_patient,
    dose_times,
    local_today,
    quiet_hours,
    render,
    replan,
)
from bot.storage import queries
from bot.storage.models import ConversationState, Reminder

SETTINGS_FLOW = "reminder_settings"
REASON_TEXT = {
    "cost": "the cost",
    "out_of_stock": "the pharmacy is out of stock",
    "prescription_expired": "the prescription has expired",
    "other": "another reason",
}


def register(router: Router, programs: Mapping[str, Program]) -> None:
    """Hook the reminder flows into the conversation: answers, buttons, the menu entry and STOP."""
    flows = ReminderFlows(programs)
    router.state(FLOW, flows.typed_answer)
    router.button(words.PREFIX, flows.pressed)
    router.menu("reminders", flows.show_settings)
    router.state(SETTINGS_FLOW, flows.settings)
    router.button(words.SETTINGS_PREFIX, flows.settings_pressed)
    router.on_stop(flows.stopped)


def _options(state: ConversationState | None) -> tuple[Option, ...]:
    return tuple(Option(o["key"], o["label"]) for o in (state.options if state else []))


class ReminderFlows:
    def __init__(self, programs: Mapping[str, Program]) -> None:
        self.programs = programs

    def _program(self, turn: Turn) -> Program | None:
        return self.programs.get(turn.patient.program_id or "")

    # --- answers --------------------------------------------------------------------------------------------

    async def typed_answer(self, turn: Turn) -> None:
        """A typed message while reminders are open: a number, an option's words, an answer word, yes/no."""
        locale = turn.patient.locale
        state = await queries.get_state(turn.session, turn.patient.id)
        options = _options(state)
        data = dict(state.data or {}) if state else {}
        if state is not None and state.step == "refill_reason":
            reason = words.read_reason(turn.inbound.text, None, options, locale)
            if reason is not None:
                await self._apply(turn, words.Choice(int(data["reason_for"]), reason))
                return
        open_ids = [int(i) for i in data.get("open", [])]
        found = await rows.get_reminders(turn.session, open_ids)
        open_kinds = [(i, found[i].kind) for i in open_ids if i in found]
        reading_options = options if state is not None and state.step == "answer" else ()
        choice = words.read_typed(turn.inbound.text, reading_options, open_kinds, locale)
        if choice is not None:
            await self._apply(turn, choice)
            return
        if not turn.escalated:
            turn.replies.append(words.not_an_answer(locale, options))

    async def pressed(self, turn: Turn) -> None:
        """A reminder button, from this message or an older one."""
        choice = words.parse_option_key(turn.inbound.option)
        if choice is None:
            turn.replies.append(menu.not_understood(turn.patient.locale))
            return
        await self._apply(turn, choice)

    async def _apply(self, turn: Turn, choice: words.Choice) -> None:
        locale, now = turn.patient.locale, turn.now
        reminder = (await rows.get_reminders(turn.session, [choice.reminder_id])).get(choice.reminder_id)
        program = self._program(turn)
        if reminder is None or reminder.patient_id != turn.patient.id or program is None:
            turn.replies.append(menu.not_understood(locale))
            return
        if choice.choice in words.REFILL_REASONS:
            await self._reason(turn, reminder, choice.choice)
            return
        if reminder.status == "answered":
            turn.replies.append(words.already_answered(locale))
            await self._forget(turn, reminder.id)
            return
        if not _answerable(reminder, now):
            turn.replies.append(words.reminder_closed(locale))
            await self._forget(turn, reminder.id)
            return
        if reminder.kind == "dose" and choice.choice in ("taken", "skipped"):
            self._close(turn, reminder, choice.choice)
            await facts.add_dose_event(
                turn.session, reminder, choice.choice, now, answered_at=now, channel=turn.address.channel
            )
            await self._forget(turn, reminder.id)
            turn.replies.append(words.recorded(locale, choice.choice))
        elif reminder.kind == "dose" and choice.choice == "snooze":
            await self._snooze(turn, reminder, program)
        elif reminder.kind == "refill_check" and choice.choice == "yes":
            await self._refilled(turn, reminder, program)
        elif reminder.kind == "refill_check" and choice.choice == "no":
            self._close(turn, reminder, "no")
            await self._forget(turn, reminder.id)
            reasons = words.refill_reasons(locale, reminder.id)
            await self._ask(turn, "refill_reason", {"reason_for": reminder.id}, reasons)
        else:
            turn.replies.append(menu.not_understood(locale))

    def _close(self, turn: Turn, reminder: Reminder, answer: str) -> None:
        reminder.status, reminder.answer, reminder.answered_at = "answered", answer, turn.now
        turn.patient.reminder_address_id = turn.address.id  # reminders go where the patient answers

    async def _snooze(self, turn: Turn, reminder: Reminder, program: Program) -> None:
        patient, locale = turn.patient, turn.patient.locale
        quiet_start, quiet_end = quiet_hours(patient, program)
        again = plans.snooze(
            reminder.due_at,
            turn.now,
            reminder.snooze_count,
            timezone=patient.timezone or "UTC",
            quiet_start=quiet_start,
            quiet_end=quiet_end,
        )
        if again is None:
            turn.replies.append(words.snooze_refused(locale, reminder.id))
            return
        reminder.status, reminder.due_at, reminder.answer_by = "planned", again, None
        reminder.snooze_count += 1
        await self._forget(turn, reminder.id)
        turn.replies.append(words.snoozed(locale, format_time(again, patient.timezone or "UTC", locale)))

    async def _refilled(self, turn: Turn, reminder: Reminder, program: Program) -> None:
        patient, locale = turn.patient, turn.patient.locale
        today = local_today(patient, turn.now)
        days = program.reminders.days_supply
        await facts.record_refill(
            turn.session,
            patient.id,
            fill_date=today,
            days_supply=days,
            source="patient",
            now=turn.now,
            product=program.product.brand,
        )
        self._close(turn, reminder, "yes")
        await self._forget(turn, reminder.id)
        await replan(turn.session, patient, program, turn.now)
        nudge_day = today + timedelta(days=days - max(program.reminders.refill_lead_days, 0))
        turn.replies.append(words.refill_recorded(locale, _day(nudge_day, patient.timezone, locale)))

    async def _reason(self, turn: Turn, reminder: Reminder, reason: str) -> None:
        locale = turn.patient.locale
        if reminder.kind != "refill_check" or reminder.answer != "no":
            turn.replies.append(
                words.already_answered(locale) if reminder.answer else menu.not_understood(locale)
            )
            await self._clear_reason(turn)
            return
        reminder.answer = f"no:{reason}"
        await self._clear_reason(turn)
        if reason in words.BLOCKING_REASONS:
            due = reminder.slot_key.rsplit("=", 1)[1]
            detail = f"Refill due {due} not collected because {REASON_TEXT[reason]}."
            await queries.open_support_task(turn.session, turn.patient.id, "refill_problem", detail, turn.now)
            turn.replies.append(words.refill_problem_noted(locale))
        else:
            turn.replies.append(words.refill_other_noted(locale))

    async def _clear_reason(self, turn: Turn) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is not None and state.flow == FLOW and state.step == "refill_reason":
            await self._restore(turn, state, [int(i) for i in (state.data or {}).get("open", [])])

    async def _forget(self, turn: Turn, reminder_id: int) -> None:
        """This reminder no longer waits for an answer; the newest other open one (if any) does."""
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is None or state.flow != FLOW or state.step != "answer":
            return
        await self._restore(
            turn, state, [int(i) for i in (state.data or {}).get("open", []) if int(i) != reminder_id]
        )

    async def _restore(self, turn: Turn, state: ConversationState, open_ids: list[int]) -> None:
        found = await rows.get_reminders(turn.session, open_ids)
        still = [
            i
            for i in open_ids
            if i in found and _answerable(found[i], turn.now) and found[i].status == "sent"
        ]
        program = self._program(turn)
        if not still or program is None:
            await queries.clear_state(turn.session, turn.patient.id)
            return
        reply = render(found[still[-1]], turn.patient, program)
        state.flow, state.step, state.data = FLOW, "answer", {"open": still[-MAX_OPEN:]}
        state.options = [{"key": o.key, "label": o.label} for o in reply.options]

    async def _ask(self, turn: Turn, step: str, extra: dict[str, object], reply: Reply) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        open_ids = (state.data or {}).get("open", []) if state is not None and state.flow == FLOW else []
        await queries.set_state(
            turn.session,
            turn.patient.id,
            flow=FLOW,
            step=step,
            data={"open": list(open_ids), **extra},
            options=[{"key": o.key, "label": o.label} for o in reply.options],
            attempts=0,
            now=turn.now,
        )
        turn.replies.append(reply)

    async def stopped(self, turn: Turn) -> None:
        """STOP: nothing planned goes out any more."""
        await cancel_patient(turn.session, turn.patient.id)

    # --- settings from the menu -----------------------------------------------------------------------------

    async def show_settings(self, turn: Turn) -> None:
        """ "My reminders": the schedule, the next reminder, the refill date, and what can be changed."""
        patient, locale, program = turn.patient, turn.patient.locale, self._program(turn)
        if program is None or not patient.timezone:
            turn.replies.append(
                menu.reminders_summary(locale, list(patient.reminder_times or []), patient.timezone)
            )
            return
        tz = patient.timezone
        defaults = program.reminders
        lines = [
            words.schedule_text(
                locale,
                defaults.schedule,
                [label for _, label in self._times(turn, program)],
                city_name(tz, locale),
                weekday=defaults.weekday,
                every_n_days=defaults.every_n_days,
            )
        ]
        paused = patient.paused_until is not None and patient.paused_until > local_today(patient, turn.now)
        if paused and patient.paused_until is not None:
            lines.append(words.paused_line(locale, _day(patient.paused_until, tz, locale)))
        upcoming = await rows.upcoming(turn.session, patient.id, turn.now, ["dose"])
        if upcoming:
            slot = upcoming[0].due_at
            lines.append(words.next_line(locale, format_day(slot, tz, locale), format_time(slot, tz, locale)))
        fill = (await rows.latest_fills(turn.session, [patient.id])).get(patient.id)
        if fill is not None:
            lines.append(words.refill_line(locale, _day(fill[0] + timedelta(days=fill[1]), tz, locale)))
        reply = words.settings_menu(locale, lines, paused)
        await self._settings_state(turn, "choose", {}, reply)

    async def settings_pressed(self, turn: Turn) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is not None and state.flow == SETTINGS_FLOW:
            await self.settings(turn)
        else:
            await self.show_settings(turn)

    async def settings(self, turn: Turn) -> None:
        patient, locale, program = turn.patient, turn.patient.locale, self._program(turn)
        state = await queries.get_state(turn.session, patient.id)
        if state is None or program is None:
            turn.replies.append(menu.menu(locale))
            return
        options = _options(state)
        chosen = match_option(turn.inbound.text, turn.inbound.option, options, locale)
        step, data = state.step, dict(state.data or {})
        if step == "choose" and chosen == f"{words.SETTINGS_PREFIX}:time":
            times = self._times(turn, program)
            if len(times) > 1:
                await self._settings_state(turn, "pick_time", {}, words.ask_which_time(locale, times))
            else:
                await self._settings_state(turn, "new_time", {"index": 0}, words.ask_new_time(locale))
        elif step == "choose" and chosen == f"{words.SETTINGS_PREFIX}:pause":
            await self._settings_state(turn, "pause_days", {}, words.ask_pause_days(locale))
        elif step == "choose" and chosen == f"{words.SETTINGS_PREFIX}:resume":
            patient.paused_until = None
            await replan(turn.session, patient, program, turn.now)
            await queries.clear_state(turn.session, patient.id)
            turn.replies.append(words.resumed(locale))
        elif step == "choose" and chosen == f"{words.SETTINGS_PREFIX}:back":
            await queries.clear_state(turn.session, patient.id)
            turn.replies.append(menu.menu(locale))
        elif step == "pick_time" and chosen is not None:
            index = int(chosen.rsplit(":", 1)[1])
            await self._settings_state(turn, "new_time", {"index": index}, words.ask_new_time(locale))
        elif step == "new_time" and (new := parse_local_time(turn.inbound.text)) is not None:
            previous = list(dose_times(patient, program))
            times = list(previous)  # type: ignore[arg-type]
            times[min(int(data.get("index", 0)), len(times) - 1)] = new  # type: ignore[call-overload]
            patient.reminder_times = sorted(set(times))
            await replan(turn.session, patient, program, turn.now, previous_times=previous)
            await queries.clear_state(turn.session, patient.id)
            labels = [label for _, label in self._times(turn, program)]
            defaults = program.reminders
            schedule = words.schedule_text(
                locale,
                defaults.schedule,
                labels,
                city_name(patient.timezone or "UTC", locale),
                weekday=defaults.weekday,
                every_n_days=defaults.every_n_days,
            )
            turn.replies.append(words.time_changed(locale, schedule))
        elif step == "pause_days" and (days := _days(turn, options)) is not None:
            resume_on = local_today(patient, turn.now) + timedelta(days=days)
            patient.paused_until = resume_on
            await replan(turn.session, patient, program, turn.now)
            await queries.clear_state(turn.session, patient.id)
            turn.replies.append(words.paused(locale, _day(resume_on, patient.timezone, locale)))
        elif not turn.escalated:
            if step == "new_time":
                turn.replies += [menu.not_understood(locale), words.ask_new_time(locale)]
            else:
                turn.replies.append(words.not_an_answer(locale, options))

    def _times(self, turn: Turn, program: Program) -> list[tuple[str, str]]:
        """The patient's dose times as (HH:MM, formatted for their locale) pairs."""
        tz = turn.patient.timezone or "UTC"
        today = local_today(turn.patient, turn.now)
        found = []
        for hhmm in dose_times(turn.patient, program):
            hour, minute = (int(x) for x in hhmm.split(":"))
            moment = plans.local_instant(today, time(hour, minute), plans.zone(tz))
            found.append((hhmm, format_time(moment, tz, turn.patient.locale)))
        return found

    async def _settings_state(self, turn: Turn, step: str, data: dict[str, object], reply: Reply) -> None:
        await queries.set_state(
            turn.session,
            turn.patient.id,
            flow=SETTINGS_FLOW,
            step=step,
            data=data,
            options=[{"key": o.key, "label": o.label} for o in reply.options],
            attempts=0,
            now=turn.now,
        )
        turn.replies.append(reply)


def _answerable(reminder: Reminder, now: datetime) -> bool:
    """Sent and inside its answer window, or snoozed and waiting to be sent again."""
    if reminder.status == "planned":
        return reminder.sent_at is not None
    if reminder.status != "sent":
        return False
    return reminder.answer_by is None or now <= reminder.answer_by


def _day(day: date, tz: str | None, locale: str | None) -> str:
    moment = plans.local_instant(day, time(12, 0), plans.zone(tz or "UTC"))
    return format_day(moment, tz or "UTC", locale)


def _days(turn: Turn, options: tuple[Option, ...]) -> int | None:
    """An option (button, or its number), else a typed length ("10", "2 weeks"), else an option's label."""
    text, pressed, locale = turn.inbound.text, turn.inbound.option, turn.patient.locale
    folded = fold(text)
    if pressed is None and not (folded.isdigit() and 1 <= int(folded) <= len(options)):
        typed = words.parse_days(text)
        if typed is not None:
            return typed
    chosen = match_option(text, pressed, options, locale)
    if chosen is not None and chosen.startswith(f"{words.SETTINGS_PREFIX}:days:"):
        return int(chosen.rsplit(":", 1)[1])
    return None
