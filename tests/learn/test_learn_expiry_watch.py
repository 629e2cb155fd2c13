"""Staff hear about approvals that are about to lapse: one support task per module and expiry, however often
the daily watch runs, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.learn.status import content_status
from tests.learn.helpers import set_field, tasks, watch


@pytest.mark.content_edit(
    set_field("psp-refills", ("en", "ar"), "expires_on", "2026-11-22"),
    set_field("psp-refills", ("es",), "expires_on", "2026-11-27"),
)
async def test_one_task_per_expiring_module_and_only_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    assert await watch(services) == 1  # 2 November: psp-refills lapses in 20 days
    assert await watch(services) == 0
    clock.advance(days=1)
    assert await watch(services) == 0
    [task] = await tasks(services, "content_expiring")
    assert task.status == "open" and task.patient_id is None
    assert task.detail.startswith("Module psp-refills: approval expires in 20 days")
    assert "ar on 2026-11-22, en on 2026-11-22, es on 2026-11-27" in task.detail
    rows = {(r.module_id, r.language): r for r in content_status(services.modules, date(2026, 11, 2))}
    assert (rows["psp-refills", "en"].status, rows["psp-refills", "en"].days_left) == ("expiring", 20)
    assert rows["psp-refills", "fr"].status == rows["psp-welcome", "en"].status == "servable"


async def test_every_module_gets_its_task_when_the_whole_demo_set_nears_expiry(services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2027, 11, 1, 6, 0, tzinfo=UTC)  # 60 days before 31 December 2027
    assert await watch(services) == 0
    clock.now = datetime(2027, 12, 10, 6, 0, tzinfo=UTC)
    assert await watch(services) == 13
    assert await watch(services) == 0
    found = await tasks(services, "content_expiring")
    assert sorted(t.detail.split(":")[0] for t in found) == sorted(f"Module {m}" for m in services.modules)
    clock.now = datetime(2028, 1, 1, 6, 0, tzinfo=UTC)  # expired: no longer "expiring", nothing new
    assert await watch(services) == 0
