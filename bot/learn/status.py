"""The state of every approved text today, for staff (pure): what is served, what expires soon, what not.

`content_status` is the table a staff content page renders; `expiring` is what the daily expiry watch turns
into support tasks. The 30-day horizon is the one `psp content validate` warns with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from bot.learn.modules import Module, not_servable_reason
from bot.learn.validate import EXPIRY_WARNING_DAYS


@dataclass(frozen=True)
class StatusRow:
    """One language file of a module.

    status: `servable`, `expiring` (servable, expires within EXPIRY_WARNING_DAYS), `expired`,
    `not_yet_approved` (approved_on in the future), `unapproved` (no reference or no expiry date). `detail`
    says why in words."""

    module_id: str
    title: str
    language: str
    languages: tuple[str, ...]  # every language the module has, for grouping rows
    version: str
    programs: tuple[str, ...]
    approval_reference: str | None
    approved_on: date | None
    expires_on: date | None
    status: str
    days_left: int | None
    detail: str


def content_status(modules: Mapping[str, Module], today: date) -> list[StatusRow]:
    """Every module's language files with their approval and whether they may be served today, by module id
    then language as the module lists them."""
    rows: list[StatusRow] = []
    for module in sorted(modules.values(), key=lambda m: m.id):
        for t in module.translations:
            a = t.approval
            reason = not_servable_reason(module, t.lang, today)
            days_left = (a.expires_on - today).days if a is not None and a.expires_on is not None else None
            if reason is None:
                soon = days_left is not None and days_left <= EXPIRY_WARNING_DAYS
                status = "expiring" if soon else "servable"
                detail = f"expires in {days_left} days" if soon else ""
            elif a is not None and a.expires_on is not None and a.expires_on < today:
                status, detail = "expired", reason
            elif a is not None and a.approved_on is not None and a.approved_on > today and a.reference:
                status, detail = "not_yet_approved", reason
            else:
                status, detail = "unapproved", reason
            rows.append(
                StatusRow(
                    module_id=module.id,
                    title=t.title,
                    language=t.lang,
                    languages=module.languages,
                    version=t.version,
                    programs=t.programs,
                    approval_reference=a.reference if a is not None and a.reference else None,
                    approved_on=a.approved_on if a is not None else None,
                    expires_on=a.expires_on if a is not None else None,
                    status=status,
                    days_left=days_left,
                    detail=detail,
                )
            )
    return rows


@dataclass(frozen=True)
class Expiring:
    """A module with language files whose approval lapses within the warning horizon."""

    module_id: str
    expires_on: date  # the earliest expiry among `languages`
    languages: tuple[tuple[str, date], ...]  # (language, expires_on), earliest first

    @property
    def key(self) -> str:
        """Identifies this expiry: a renewed approval (a new date) is a new one to tell staff about."""
        return f"{self.module_id}@{self.expires_on.isoformat()}"

    def describe(self, today: date) -> str:
        days = (self.expires_on - today).days
        files = ", ".join(f"{lang} on {on.isoformat()}" for lang, on in self.languages)
        return (
            f"Module {self.module_id}: approval expires in {days} days ({files}). Renew the review, or the "
            "module stops being served on that date."
        )


def expiring(modules: Mapping[str, Module], today: date, within: int = EXPIRY_WARNING_DAYS) -> list[Expiring]:
    """Modules with a language file served today whose approval lapses within `within` days (validation
    warns from the same horizon)."""
    found: list[Expiring] = []
    for module in sorted(modules.values(), key=lambda m: m.id):
        soon: list[tuple[str, date]] = []
        for t in module.translations:
            a = t.approval
            if a is None or a.expires_on is None or not_servable_reason(module, t.lang, today) is not None:
                continue
            if (a.expires_on - today).days <= within:
                soon.append((t.lang, a.expires_on))
        if soon:
            soon.sort(key=lambda pair: (pair[1], pair[0]))
            found.append(Expiring(module.id, soon[0][1], tuple(soon)))
    return found
