"""The pure rules staff rely on: who may do what, how a phone number is masked, how the PV clock reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.staff.privacy import mask
from bot.staff.roles import Perm, Role, can, parse_role
from bot.staff.timeline import countdown
from bot.storage.audit import GENESIS, canonical, entry_hash

A, S, P, D = Role.ANALYST, Role.SUPPORT_AGENT, Role.PV_OFFICER, Role.ADMIN

# (permission, roles that hold it): the table in the report, checked in both directions.
PERMISSION_TABLE = [
    (Perm.PATIENTS_VIEW, {A, S, P, D}),
    (Perm.PHONE_NUMBERS, {S, P, D}),
    (Perm.MESSAGE_BODIES, {S, P, D}),
    (Perm.TASKS_VIEW, {S, P, D}),
    (Perm.TASKS_WORK, {S, D}),
    (Perm.PV_VIEW, {S, P, D}),
    (Perm.PV_WORK, {P, D}),
    (Perm.OUTBOX_VIEW, {S, D}),
    (Perm.OUTBOX_RETRY, {S, D}),
    (Perm.EXPORTS, {A, D}),
    (Perm.PATIENT_RIGHTS, {D}),
    (Perm.STAFF_MANAGE, {D}),
    (Perm.AUDIT_VIEW, {D}),
]


@pytest.mark.parametrize(("perm", "holders"), PERMISSION_TABLE, ids=[str(p) for p, _ in PERMISSION_TABLE])
def test_each_permission_is_held_by_exactly_these_roles(perm: Perm, holders: set[Role]) -> None:
    assert {role for role in Role if can(role, perm)} == holders


def test_the_table_covers_every_permission() -> None:
    assert {perm for perm, _ in PERMISSION_TABLE} == set(Perm)


def test_an_analyst_never_sees_a_phone_number_or_a_message_body() -> None:
    assert not can("analyst", Perm.PHONE_NUMBERS)
    assert not can("analyst", Perm.MESSAGE_BODIES)
    assert not can("analyst", Perm.PATIENT_RIGHTS)


@pytest.mark.parametrize(
    ("role", "perm"), [("root", Perm.AUDIT_VIEW), ("admin", "everything"), ("", Perm.PATIENTS_VIEW)]
)
def test_unknown_roles_and_permissions_hold_nothing(role: str, perm: str) -> None:
    assert can(role, perm) is False


@pytest.mark.parametrize(
    ("typed", "role"), [("admin", Role.ADMIN), (" PV_Officer ", Role.PV_OFFICER), ("analyst", Role.ANALYST)]
)
def test_role_names_are_forgiving_about_case_and_spaces(typed: str, role: Role) -> None:
    assert parse_role(typed) is role


def test_a_wrong_role_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="pv_officer, support_agent, analyst, admin"):
        parse_role("nurse")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+14155550123", "+•••••••••23"),
        ("+447700900123", "+••••••••••23"),
        ("123456789", "•••••••89"),
        ("1234", "••••"),
        ("+12", "+••"),
        ("[erased]", "[erased]"),
    ],
)
def test_masked_addresses_keep_only_the_last_two_characters(value: str, masked: str) -> None:
    assert mask(value) == masked


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (NOW + timedelta(hours=23, minutes=59, seconds=30), "in 23 h 59 min"),
        (NOW + timedelta(minutes=5), "in 5 min"),
        (NOW + timedelta(days=2, hours=3), "in 2 d 3 h"),
        (NOW, "in 0 min"),
        (NOW - timedelta(minutes=90), "overdue by 1 h 30 min"),
        (NOW - timedelta(days=1, hours=2), "overdue by 1 d 2 h"),
    ],
)
def test_the_pv_clock_reads_in_words(due: datetime, words: str) -> None:
    assert countdown(due, NOW) == words


def test_an_audit_hash_covers_every_field_and_the_previous_hash() -> None:
    base = {
        "entry_id": 1,
        "at": NOW,
        "actor": "ann",
        "action": "patient.view",
        "target": "patient:PSP-000001",
        "detail": {"a": 1},
        "prev_hash": GENESIS,
    }
    reference = entry_hash(GENESIS, canonical(**base))  # type: ignore[arg-type]
    assert len(reference) == 64
    for field, other in [
        ("entry_id", 2),
        ("at", NOW + timedelta(microseconds=1)),
        ("actor", "bob"),
        ("action", "patient.erase"),
        ("target", "patient:PSP-000002"),
        ("detail", {"a": 2}),
        ("prev_hash", "f" * 64),
    ]:
        changed = {**base, field: other}
        assert entry_hash(str(changed["prev_hash"]), canonical(**changed)) != reference, field  # type: ignore[arg-type]


def test_canonical_json_does_not_depend_on_key_order() -> None:
    one = canonical(1, NOW, "ann", "x", "t", {"b": 1, "a": [1, 2]}, GENESIS)
    two = canonical(1, NOW, "ann", "x", "t", {"a": [1, 2], "b": 1}, GENESIS)
    assert one == two
