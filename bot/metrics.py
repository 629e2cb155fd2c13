"""What /metrics shows about latency, as `prometheus_client` metrics in one registry per process (per app).

A module of its own at the bottom of the layers, so the web layer, the scheduler and the channels can all
record into it without importing each other. Each `Metrics` has its own CollectorRegistry (never the global
default), so several apps in one test process do not collide.

- `psp_webhook_receipt_to_commit_seconds{channel}`: from a webhook request's arrival until its message is
  committed (the handler answers only after that), per channel.
- `psp_outbox_commit_to_accept_seconds{channel}`: from an outbox row's commit until the provider accepted
  it (queueing, rate limits and retries included), observed by the dispatcher.
- `psp_outbox_due{channel}` and `psp_outbox_oldest_due_age_seconds{channel}`: the rows due to be sent now and
  how long the oldest has been waiting, read from the database at each scrape.

The database counts /metrics has always shown (outbox rows, messages, PV cases, dispatch counters, channel
status) are rendered by `snapshot_text` from values the caller read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

CHANNELS = ("telegram", "sms", "whatsapp", "console")  # shown from the start, even before any traffic
# What generate_latest writes; said explicitly (newer clients announce 1.0.0 for the same classic names).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# A webhook commits in milliseconds; queueing under load takes seconds (Twilio gives up after 15 s).
RECEIPT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0)
# A reply goes out in well under a second; a reminder wave behind a 1 msg/s SMS limit waits minutes.
ACCEPT_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)


class Metrics:
    """The latency metrics of one process; `render()` is the Prometheus text of all of them."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.receipt_to_commit = Histogram(
            "psp_webhook_receipt_to_commit_seconds",
            "Seconds from a webhook's arrival until its message was committed, per channel.",
            ["channel"],
            buckets=RECEIPT_BUCKETS,
            registry=self.registry,
        )
        self.commit_to_accept = Histogram(
            "psp_outbox_commit_to_accept_seconds",
            "Seconds from an outbox row's commit until the provider accepted the message, per channel.",
            ["channel"],
            buckets=ACCEPT_BUCKETS,
            registry=self.registry,
        )
        self.outbox_due = Gauge(
            "psp_outbox_due",
            "Outbox rows due to be sent now (queue depth), per channel.",
            ["channel"],
            registry=self.registry,
        )
        self.outbox_oldest_due_age = Gauge(
            "psp_outbox_oldest_due_age_seconds",
            "How long the oldest due outbox row has been waiting (0 when none is due), per channel.",
            ["channel"],
            registry=self.registry,
        )
        for channel in CHANNELS:
            self.receipt_to_commit.labels(channel)
            self.commit_to_accept.labels(channel)
            self.outbox_due.labels(channel).set(0)
            self.outbox_oldest_due_age.labels(channel).set(0)

    def observe_receipt_to_commit(self, channel: str, seconds: float) -> None:
        """A webhook's message is committed `seconds` after the request arrived."""
        self.receipt_to_commit.labels(channel).observe(max(seconds, 0.0))

    def observe_commit_to_accept(self, channel: str, seconds: float) -> None:
        """The provider accepted a message `seconds` after its outbox row was committed."""
        self.commit_to_accept.labels(channel).observe(max(seconds, 0.0))

    def set_outbox_queue(self, queues: Mapping[str, tuple[int, float]]) -> None:
        """(due rows, age of the oldest in seconds) per channel; channels not given have nothing due."""
        for channel in {*CHANNELS, *queues}:
            depth, age = queues.get(channel, (0, 0.0))
            self.outbox_due.labels(channel).set(depth)
            self.outbox_oldest_due_age.labels(channel).set(max(age, 0.0))

    def render(self) -> bytes:
        return generate_latest(self.registry)


@dataclass(frozen=True)
class Snapshot:
    """Counts read from the database (the same in every process) and this process's dispatch counters."""

    outbox_rows: Iterable[tuple[str, int]]  # (status, rows)
    messages: Iterable[tuple[str, str, int]]  # (channel, direction, messages)
    pv_cases: Iterable[tuple[str, int]]  # (status, cases)
    pv_cases_overdue: int
    dispatch_sent: int
    dispatch_retries: int
    channels_up: Mapping[str, bool]


class _SnapshotCollector(Collector):
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        s = self.snapshot
        rows = GaugeMetricFamily("psp_outbox_rows", "Outbox rows by status.", labels=["status"])
        for status, n in s.outbox_rows:
            rows.add_metric([status], n)
        messages = CounterMetricFamily(
            "psp_messages", "Messages stored, by channel and direction.", labels=["channel", "direction"]
        )
        for channel, direction, n in s.messages:
            messages.add_metric([channel, direction], n)
        cases = GaugeMetricFamily("psp_pv_cases", "PV cases by status.", labels=["status"])
        for status, n in s.pv_cases:
            cases.add_metric([status], n)
        up = GaugeMetricFamily("psp_channel_up", "1 when the channel is on.", labels=["channel"])
        for name, on in s.channels_up.items():
            up.add_metric([name], 1 if on else 0)
        yield rows
        yield messages
        yield cases
        yield GaugeMetricFamily(
            "psp_pv_cases_overdue", "Open PV cases past their deadline.", value=s.pv_cases_overdue
        )
        yield CounterMetricFamily(
            "psp_dispatch_sent", "Messages sent by this process.", value=s.dispatch_sent
        )
        yield CounterMetricFamily(
            "psp_dispatch_retries", "Send attempts retried by this process.", value=s.dispatch_retries
        )
        yield up


def snapshot_text(snapshot: Snapshot) -> bytes:
    """The database counts in Prometheus text format (a registry of their own, built per scrape)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_SnapshotCollector(snapshot))
    return generate_latest(registry)
