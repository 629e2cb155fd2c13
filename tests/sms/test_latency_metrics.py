"""/metrics over real HTTP shows how long messages wait: webhook receipt to commit, commit to the provider's
acceptance, and the outbox queue (depth, oldest due age), per channel, in Prometheus text format."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.sms.conftest import SmsWorld, WorldFactory


async def _scrape(world: SmsWorld) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await world.http.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _on(channel: str) -> tuple[tuple[str, str], ...]:
    return (("channel", channel),)


async def test_metrics_show_webhook_and_sending_latency_per_channel(sms_world_factory: WorldFactory) -> None:
    world = await sms_world_factory()
    for number in ("+14155550101", "+14155550102"):
        assert (await world.post_inbound(number, "hi")).status == 200
    world.clock.advance(seconds=30)  # the replies wait 30 s in the outbox

    before = await _scrape(world)
    assert before[("psp_webhook_receipt_to_commit_seconds_count", _on("sms"))] == 2
    assert before[("psp_webhook_receipt_to_commit_seconds_count", _on("whatsapp"))] == 0
    assert before[("psp_webhook_receipt_to_commit_seconds_count", _on("telegram"))] == 0
    assert 0 < before[("psp_webhook_receipt_to_commit_seconds_sum", _on("sms"))] < 15  # Twilio's timeout
    queued = before[("psp_outbox_due", _on("sms"))]
    assert queued >= 2, "each new patient gets at least one reply"
    assert before[("psp_outbox_oldest_due_age_seconds", _on("sms"))] == 30
    assert before[("psp_outbox_due", _on("telegram"))] == 0
    assert before[("psp_outbox_commit_to_accept_seconds_count", _on("sms"))] == 0
    assert before[("psp_messages_total", (("channel", "sms"), ("direction", "in")))] == 2
    assert ("psp_pv_cases_overdue", ()) in before

    assert await world.deliver() == queued
    after = await _scrape(world)
    assert after[("psp_outbox_commit_to_accept_seconds_count", _on("sms"))] == queued
    assert after[("psp_outbox_commit_to_accept_seconds_sum", _on("sms"))] == 30 * queued
    bucket = "psp_outbox_commit_to_accept_seconds_bucket"
    assert after[(bucket, (("channel", "sms"), ("le", "10.0")))] == 0
    assert after[(bucket, (("channel", "sms"), ("le", "30.0")))] == queued
    assert after[("psp_outbox_due", _on("sms"))] == 0
    assert after[("psp_outbox_oldest_due_age_seconds", _on("sms"))] == 0
    assert after[("psp_dispatch_sent_total", ())] == queued
    assert after[("psp_outbox_rows", (("status", "sent"),))] == queued

    # A second app in the same process has its own registry: it has seen no webhook and sent nothing.
    other = await sms_world_factory()
    fresh = await _scrape(other)
    assert fresh[("psp_webhook_receipt_to_commit_seconds_count", _on("sms"))] == 0
    assert fresh[("psp_outbox_commit_to_accept_seconds_count", _on("sms"))] == 0
    assert (await _scrape(world))[("psp_webhook_receipt_to_commit_seconds_count", _on("sms"))] == 2


async def test_a_refused_webhook_is_not_counted(sms_world: SmsWorld) -> None:
    assert (await sms_world.post_inbound("+14155550103", "hi", token="not-the-auth-token")).status == 403
    assert (await _scrape(sms_world))[("psp_webhook_receipt_to_commit_seconds_count", _on("sms"))] == 0
