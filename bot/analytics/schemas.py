"""The columns of every analyst export, as data: the one source for the writers and for `docs/exports.md`.

Analytics exports identify a patient only by `subject_id` (see `bot.analytics.pseudonym`): never a name,
phone number, chat id, program patient reference or message text. Print the data dictionary with
`python -m bot.analytics.schemas --markdown`; refresh the docs with `--update docs/exports.md`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.safety import SITUATIONS  # the one list of PV situation names

ColumnType = Literal["string", "int", "float", "bool", "date", "timestamp", "list[string]"]

TYPE_NOTES: dict[str, str] = {
    "string": "text (UTF-8)",
    "int": "whole number (64-bit)",
    "float": "decimal number (64-bit float); a ratio is in [0, 1]",
    "bool": "`true` / `false`",
    "date": "calendar date, `YYYY-MM-DD`",
    "timestamp": "instant in UTC, `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` (Parquet: timestamp[us, UTC])",
    "list[string]": "list of codes (CSV: joined with `;`; JSON and Parquet: a list)",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    nullable: bool = False
    values: tuple[str, ...] | None = None
    """The allowed values of a code column (for a list column: of each element); None means any."""


@dataclass(frozen=True)
class ExportSchema:
    kind: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


DOSE_STATUSES = ("taken", "skipped", "no_response", "missed_not_sent")
REFILL_SOURCES = ("patient", "pharmacy")
PV_KINDS = ("adverse_event", "special_situation")

_SUBJECT = Column(
    "subject_id",
    "string",
    "Pseudonymous subject ID (`S-` and 16 base32 characters): a keyed hash of the patient, the same in "
    "every export made with the same key, not reversible without it.",
)
_PROGRAM = Column("program_id", "string", "Program identifier, as in `content/programs/*.yaml` (`id`).")
_PRODUCT = Column("product", "string", "Product brand name, as in the program definition (`product.brand`).")
_CHANNEL_NOW = Column(
    "channel",
    "string",
    "The subject's preferred channel at the end of the period (`telegram`, `sms`, `console`, ...).",
)
_LANGUAGE = Column(
    "language", "string", "The subject's language code (`en`, `es`, `fr`, `de`, `pt`, `ar`, ...)."
)

ADHERENCE = ExportSchema(
    kind="adherence",
    description="One row per subject, program and product for the export period.",
    columns=(
        _SUBJECT,
        _PROGRAM,
        _PRODUCT,
        _CHANNEL_NOW,
        _LANGUAGE,
        Column(
            "enrolment_month", "string", "Month of enrolment, `YYYY-MM` (the day is left out on purpose)."
        ),
        Column(
            "period_start",
            "date",
            "First day of the measurement period: the later of the export's `--from` date and the subject's "
            "enrolment date.",
        ),
        Column(
            "period_end",
            "date",
            "Last day of the measurement period (included): the earlier of the export's `--to` date and the "
            "day before the export was made.",
        ),
        Column("pdc", "float", "Proportion of days covered, PQA method, over the period (see Definitions)."),
        Column("mpr", "float", "Medication possession ratio over the period, capped at 1 (see Definitions)."),
        Column(
            "persistence_days",
            "int",
            "Days from the subject's first fill of the product (even before the period) to the first gap in "
            "supply longer than 60 days, counted up to `period_end` (see Definitions); 0 without fills.",
        ),
        Column(
            "dose_adherence",
            "float",
            "`doses_taken / doses_scheduled`; empty when no dose was scheduled.",
            nullable=True,
        ),
        Column("doses_scheduled", "int", "Dose reminders planned in the period, whatever became of them."),
        Column("doses_taken", "int", "Of those, the doses the subject answered as taken."),
        Column(
            "on_time_refill_rate",
            "float",
            "Share of the refills dated inside the period that were filled at most 7 days after the previous "
            "supply ran out (earlier fills count as supply); empty without a refill in the period "
            "(see Definitions).",
            nullable=True,
        ),
        Column("refills", "int", "Number of fills (dispensings) of the product dated inside the period."),
    ),
)

DOSES = ExportSchema(
    kind="doses",
    description="One row per scheduled dose reminder.",
    columns=(
        _SUBJECT,
        _PROGRAM,
        Column("scheduled_at_utc", "timestamp", "When the dose was due."),
        Column(
            "local_slot", "string", "The dose time in the subject's own time zone, `HH:MM` (e.g. `09:00`)."
        ),
        Column(
            "status",
            "string",
            "`taken` / `skipped`: the subject's answer; `no_response`: sent, not answered in the answer "
            "window; `missed_not_sent`: never sent (e.g. opted out, or the channel was unreachable).",
            values=DOSE_STATUSES,
        ),
        Column("answered_at_utc", "timestamp", "When the answer arrived; empty without one.", nullable=True),
        Column(
            "channel",
            "string",
            "Channel the reminder was sent on; empty when it was not sent.",
            nullable=True,
        ),
        Column(
            "seconds_to_answer",
            "int",
            "Whole seconds from sending the reminder to the answer; empty without one.",
            nullable=True,
        ),
    ),
)

REFILLS = ExportSchema(
    kind="refills",
    description="One row per fill (dispensing) on record.",
    columns=(
        _SUBJECT,
        _PROGRAM,
        _PRODUCT,
        Column("fill_date", "date", "Date the product was dispensed."),
        Column("days_supply", "int", "Days of supply dispensed (> 0)."),
        Column(
            "source",
            "string",
            "`pharmacy`: imported dispensing record; `patient`: reported by the subject in a conversation.",
            values=REFILL_SOURCES,
        ),
    ),
)

ENGAGEMENT = ExportSchema(
    kind="engagement",
    description="One row per subject, program and calendar month (UTC).",
    columns=(
        _SUBJECT,
        _PROGRAM,
        _CHANNEL_NOW,
        _LANGUAGE,
        Column("month", "string", "Calendar month, `YYYY-MM` (UTC)."),
        Column("sent", "int", "Prompts expecting an answer (dose and refill reminders, questions) sent."),
        Column("delivered", "int", "Of those, confirmed delivered by the channel."),
        Column("failed", "int", "Of those, reported as failed by the channel."),
        Column("answered", "int", "Of those, answered by the subject."),
        Column(
            "response_rate",
            "float",
            "`answered / (sent - failed)`; empty when nothing was sent (see Definitions).",
            nullable=True,
        ),
        Column(
            "median_seconds_to_answer",
            "float",
            "Median seconds from sending a prompt to its answer; empty without answers.",
            nullable=True,
        ),
        Column("modules_delivered", "int", "Educational modules sent."),
        Column(
            "modules_completed", "int", "Educational modules read to the end (and quiz answered, if any)."
        ),
    ),
)

PV_CASES = ExportSchema(
    kind="pv-cases",
    description="One row per pharmacovigilance case. The verbatim message and the evidence stay in the "
    "console: they are not exported.",
    columns=(
        Column("case_id", "string", "Case reference as shown in the staff console."),
        _SUBJECT,
        _PROGRAM,
        Column("product", "string", "Product brand name of the program; empty when unknown.", nullable=True),
        Column(
            "opened_at_utc",
            "timestamp",
            "When the first message of the case was received (day 0 of the clock).",
        ),
        Column(
            "due_at_utc",
            "timestamp",
            "Deadline on the PV clock by which the case must be forwarded to the safety database.",
        ),
        Column(
            "status", "string", "Case status in the console workflow (e.g. `open`, `forwarded`, `closed`)."
        ),
        Column("kind", "string", "What the screening found.", values=PV_KINDS),
        Column("situations", "list[string]", "Special situations found (may be empty).", values=SITUATIONS),
        Column("serious", "bool", "Whether the screening or the PV officer judged it possibly serious."),
        Column(
            "forwarded_reference",
            "string",
            "Reference given by the safety database the case was forwarded to; empty until forwarded.",
            nullable=True,
        ),
        Column(
            "closed_reason",
            "string",
            "Reason code the case was closed with (a code, never the officer's note); empty while open.",
            nullable=True,
        ),
    ),
)

SCHEMAS: dict[str, ExportSchema] = {s.kind: s for s in (ADHERENCE, DOSES, REFILLS, ENGAGEMENT, PV_CASES)}


def get_schema(kind: str) -> ExportSchema:
    """The schema of an export kind; ValueError listing the kinds for an unknown one."""
    try:
        return SCHEMAS[kind]
    except KeyError:
        raise ValueError(f"unknown export kind '{kind}' (one of: {', '.join(SCHEMAS)})") from None


BEGIN_MARKER = "<!-- BEGIN GENERATED: python -m bot.analytics.schemas --markdown -->"
END_MARKER = "<!-- END GENERATED -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown() -> str:
    """The data dictionary of every export, as Markdown."""
    lines = [
        "## Data dictionary",
        "",
        (
            "Generated from `bot/analytics/schemas.py`; do not edit by hand. Columns appear in this order in "
            "every format. An empty cell (CSV) or `null` (JSON, Parquet) appears only in columns marked "
            "*yes* "
            "under *empty*."
        ),
        "",
        "| type | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{name}` | {_cell(note)} |" for name, note in TYPE_NOTES.items()]
    for schema in SCHEMAS.values():
        lines += ["", f"### `{schema.kind}`", "", schema.description, ""]
        lines += ["| column | type | empty | description |", "| --- | --- | --- | --- |"]
        for column in schema.columns:
            description = column.description
            if column.values is not None:
                one_of = "Each item one of: " if column.type == "list[string]" else "One of: "
                description += " " + one_of + ", ".join(f"`{v}`" for v in column.values) + "."
            empty = "yes" if column.nullable else "no"
            lines.append(f"| `{column.name}` | `{column.type}` | {empty} | {_cell(description)} |")
    return "\n".join(lines) + "\n"


def replace_generated(document: str, generated: str) -> str:
    """`document` with the text between the generated-section markers replaced by `generated`."""
    begin, end = document.find(BEGIN_MARKER), document.find(END_MARKER)
    if begin < 0 or end < begin:
        raise ValueError(f"markers not found: {BEGIN_MARKER!r} ... {END_MARKER!r}")
    return document[: begin + len(BEGIN_MARKER)] + "\n" + generated + document[end:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.analytics.schemas", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="print the data dictionary as Markdown")
    group.add_argument("--update", type=Path, metavar="FILE", help="rewrite the generated section of FILE")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(render_markdown())
        return 0
    path: Path = args.update
    path.write_text(replace_generated(path.read_text(encoding="utf-8"), render_markdown()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
