"""The WhatsApp channel's pure rules: the window, templates in program files, inbound forms, configuration."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.sms import BadInbound
from bot.channels.whatsapp import inbound_from_form
from bot.config import ConfigError
from bot.core.templates import Template, TemplateError, parse_templates
from bot.learn.validate import validate_content
from bot.storage.whatsapp import in_window
from tests.conftest import make_settings
from tests.content.helpers import TODAY

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SID = "HX" + "ab" * 16


@pytest.mark.parametrize(
    ("last", "open_"),
    [
        (None, False),
        (NOW - timedelta(hours=1), True),
        (NOW - timedelta(hours=23, minutes=59), True),
        (NOW - timedelta(hours=24), False),
        (NOW - timedelta(hours=25), False),
    ],
)
def test_free_text_only_within_24_hours_of_the_patients_last_message(
    last: datetime | None, open_: bool
) -> None:
    assert in_window(last, NOW) is open_


def test_content_variables_fill_values_in_order_then_the_button_ids() -> None:
    template = Template("dose_reminder", "es", SID, "REF-1", ("medicine", "time"), buttons=3)
    filled = template.content_variables(
        {"medicine": "CardioZen", "time": "11:00"}, ["r:1:taken", "r:1:skipped"]
    )
    assert json.loads(filled) == {
        "1": "CardioZen",
        "2": "11:00",
        "3": "r:1:taken",
        "4": "r:1:skipped",
        "5": "r:1:skipped",
    }


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (
            {"dose_reminder": {"en": {"content_sid": "HX12", "approval": "R"}}},
            "whatsapp_templates.dose_reminder.en.content_sid",
        ),
        ({"dose_reminder": {"en": {"content_sid": SID}}}, "whatsapp_templates.dose_reminder.en.approval"),
        (
            {"dose_reminder": {"variables": ["dosage"], "en": {"content_sid": SID, "approval": "R"}}},
            "whatsapp_templates.dose_reminder.variables",
        ),
        ({"quiz": {"buttons": 11}}, "whatsapp_templates.quiz.buttons"),
    ],
)
def test_a_bad_template_entry_names_its_field(raw: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(TemplateError) as caught:
        parse_templates(raw)
    assert caught.value.field == field


def test_the_validator_requires_a_template_for_every_kind_sent_outside_the_window(tmp_path: Path) -> None:
    import shutil

    from tests.content.helpers import REPO

    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    locales = tmp_path / "locales"
    locales.mkdir()
    program = content / "programs" / "cardiozen-daily.yaml"
    text = program.read_text(encoding="utf-8")
    program.write_text(
        re.sub(r"\n    ar: \{content_sid: HX\w+, approval: DEMO-WA-CZ-2026-006-AR\}", "", text),
        encoding="utf-8",
    )
    problems = [p for p in validate_content(content, locales, TODAY) if p.severity == "error"]
    assert [(p.field, "no approved WhatsApp template" in p.message) for p in problems] == [
        ("whatsapp_templates.dose_reminder.ar", True)
    ]


def test_a_button_reply_carries_our_option_key_and_the_number_is_e164() -> None:
    form = {
        "From": "whatsapp:+34911234567",
        "MessageSid": "SM" + "1" * 32,
        "Body": "Tomada",
        "ButtonPayload": "r:7:taken",
        "ButtonText": "Tomada",
        "ProfileName": "Ana",
        "WaId": "34911234567",
    }
    inbound = inbound_from_form(form, NOW)
    assert (inbound.channel, inbound.address, inbound.option, inbound.text) == (
        "whatsapp",
        "+34911234567",
        "r:7:taken",
        "Tomada",
    )
    assert inbound.language_hint == "es"


@pytest.mark.parametrize(
    ("form", "why"),
    [
        ({"From": "+34911234567", "MessageSid": "SM" + "1" * 32, "Body": "x"}, "WhatsApp address"),
        ({"From": "whatsapp:+34911234567", "Body": "x"}, "MessageSid"),
        # a re-split or forged id is refused, as on SMS (issue 15): it would change the dedupe key
        ({"From": "whatsapp:+34911234567", "MessageSid": "SM1", "Body": "x"}, "not a Twilio message SID"),
    ],
)
def test_a_form_that_is_not_a_whatsapp_message_is_refused(form: dict[str, str], why: str) -> None:
    with pytest.raises(BadInbound, match=why):
        inbound_from_form(form, NOW)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"twilio_whatsapp_from": "+15557654321"}, "TWILIO_WHATSAPP_FROM: must be a WhatsApp sender"),
        (
            {"twilio_whatsapp_from": "whatsapp:+15557654321"},
            "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required",
        ),
    ],
)
def test_bad_whatsapp_configuration_stops_start_up_naming_the_variable(
    tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        make_settings(f"sqlite+aiosqlite:///{tmp_path}/x.db", **overrides)


def test_whatsapp_alone_needs_no_sms_number(tmp_path: Path) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path}/x.db",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="t",
        twilio_whatsapp_from="MG" + "a" * 32,
        psp_public_url="https://psp.example.org",
    )
    assert (settings.whatsapp_enabled, settings.sms_enabled) == (True, False)
