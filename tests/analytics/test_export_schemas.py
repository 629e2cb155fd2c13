"""The data dictionary analysts read is the schema the writers enforce."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analytics.schemas import (
    BEGIN_MARKER,
    END_MARKER,
    SCHEMAS,
    TYPE_NOTES,
    get_schema,
    main,
    render_markdown,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "exports.md"


def test_docs_match_the_schemas() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text[text.index(BEGIN_MARKER) + len(BEGIN_MARKER) + 1 : text.index(END_MARKER)]
    assert generated == render_markdown(), "run: python -m bot.analytics.schemas --update docs/exports.md"


def test_markdown_command_prints_the_dictionary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown"]) == 0
    printed = capsys.readouterr().out
    assert printed == render_markdown()
    for schema in SCHEMAS.values():
        assert f"### `{schema.kind}`" in printed
        for column in schema.columns:
            assert f"| `{column.name}` | `{column.type}` |" in printed


def test_update_rewrites_only_the_generated_section(tmp_path: Path) -> None:
    doc = tmp_path / "exports.md"
    doc.write_text(f"# Intro\n\n{BEGIN_MARKER}\nstale\n{END_MARKER}\n\nOutro\n", encoding="utf-8")
    assert main(["--update", str(doc)]) == 0
    assert (
        doc.read_text(encoding="utf-8")
        == f"# Intro\n\n{BEGIN_MARKER}\n{render_markdown()}{END_MARKER}\n\nOutro\n"
    )


def test_every_metric_column_is_defined_in_the_docs() -> None:
    text = DOC.read_text(encoding="utf-8")
    definitions = text[text.index("## Definitions") : text.index(BEGIN_MARKER)]
    for metric in (
        "pdc",
        "mpr",
        "persistence_days",
        "on_time_refill_rate",
        "dose_adherence",
        "response_rate",
    ):
        assert f"`{metric}`" in definitions, metric


def test_the_contract_export_kinds_and_suggested_columns() -> None:
    assert list(SCHEMAS) == ["adherence", "doses", "refills", "engagement", "pv-cases"]
    assert get_schema("doses").names == (
        "subject_id",
        "program_id",
        "scheduled_at_utc",
        "local_slot",
        "status",
        "answered_at_utc",
        "channel",
        "seconds_to_answer",
    )
    for schema in SCHEMAS.values():
        assert len(set(schema.names)) == len(schema.names), schema.kind
        for column in schema.columns:
            assert column.type in TYPE_NOTES and column.description.strip(), (schema.kind, column.name)


def test_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="adherence, doses, refills, engagement, pv-cases"):
        get_schema("patients")
