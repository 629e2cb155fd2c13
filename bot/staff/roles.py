"""Roles and what each may do: one table, read by the console, the API and the tests.

Least privilege: an analyst works with pseudonymous data only (no phone number, no message body, no
patient-rights action); a support agent works tasks and the outbox; a PV officer works PV cases; an
administrator manages accounts, tokens, the audit log and patient-rights requests.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PV_OFFICER = "pv_officer"
    SUPPORT_AGENT = "support_agent"
    ANALYST = "analyst"
    ADMIN = "admin"


class Perm(StrEnum):
    PATIENTS_VIEW = (
        "patients.view"  # find a patient by program ID; pseudonymous timeline (no bodies, masked addresses)
    )
    PHONE_NUMBERS = "personal.addresses"  # see phone numbers / chat ids unmasked, search by phone number
    MESSAGE_BODIES = "personal.messages"  # read message bodies and consent verbatims
    TASKS_VIEW = "tasks.view"
    TASKS_WORK = "tasks.work"  # assign, note, resolve
    PV_VIEW = "pv.view"
    PV_WORK = "pv.work"  # triage, forward, close (the PV queue pages)
    OUTBOX_VIEW = "outbox.view"
    OUTBOX_RETRY = "outbox.retry"
    EXPORTS = "exports.read"  # pseudonymous analytics exports (/api/v1/exports/...)
    PATIENT_RIGHTS = "patients.rights"  # access-request export and erasure
    STAFF_MANAGE = "staff.manage"  # accounts and API tokens
    AUDIT_VIEW = "audit.view"


_EVERYONE = {Perm.PATIENTS_VIEW}

PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.ANALYST: frozenset(_EVERYONE | {Perm.EXPORTS}),
    Role.SUPPORT_AGENT: frozenset(
        _EVERYONE
        | {Perm.PHONE_NUMBERS, Perm.MESSAGE_BODIES, Perm.TASKS_VIEW, Perm.TASKS_WORK, Perm.PV_VIEW}
        | {Perm.OUTBOX_VIEW, Perm.OUTBOX_RETRY}
    ),
    Role.PV_OFFICER: frozenset(
        _EVERYONE | {Perm.PHONE_NUMBERS, Perm.MESSAGE_BODIES, Perm.TASKS_VIEW, Perm.PV_VIEW, Perm.PV_WORK}
    ),
    Role.ADMIN: frozenset(Perm),
}

ROLE_LABELS: dict[Role, str] = {
    Role.PV_OFFICER: "PV officer",
    Role.SUPPORT_AGENT: "Support agent",
    Role.ANALYST: "Analyst",
    Role.ADMIN: "Administrator",
}


def parse_role(value: str) -> Role:
    """The role named `value`; ValueError listing the valid names otherwise."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise ValueError(f"unknown role {value!r}: use one of {', '.join(r.value for r in Role)}") from None


def can(role: str | Role, perm: str | Perm) -> bool:
    """Whether `role` holds `perm`; unknown roles and permissions hold nothing."""
    try:
        return Perm(perm) in PERMISSIONS[Role(role)]
    except ValueError:
        return False
