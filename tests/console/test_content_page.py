"""The content page: staff see which approved texts patients can be sent, and which are expiring or
expired."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.console.conftest import Console, add_staff, visible


async def test_every_role_sees_modules_with_approval_and_expiry(console: Console) -> None:
    await add_staff(console.services, "ana", "analyst")
    await console.sign_in("ana")
    response = await console.get("/staff/content")
    assert response.status == 200
    page = visible(await response.text())
    module = next(iter(console.services.modules.values()))
    first = module.translations[0]
    assert module.id in page and first.approval.reference in page
    assert "servable" in page and "ar" in page


async def test_an_expired_translation_is_shown_as_expired(console: Console) -> None:
    await add_staff(console.services, "sam", "support_agent")
    modules = console.services.modules
    module_id, module = next(iter(modules.items()))
    first = module.translations[0]
    expired = replace(first, approval=replace(first.approval, expires_on=date(2026, 1, 1)))
    modules[module_id] = replace(module, translations=(expired, *module.translations[1:]))
    await console.sign_in("sam")
    page = visible(await (await console.get("/staff/content")).text())
    assert "expired" in page and "need" in page and "attention" in page
