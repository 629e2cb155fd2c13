"""Stream export rows to CSV, Parquet or JSON Lines, in batches, checking every row against its schema.

Memory stays constant however many rows come: rows are taken `batch_size` at a time, checked, encoded and
written; Parquet keeps at most one row group (`ROW_GROUP_ROWS` rows, in Arrow's compact columns) in memory.
Every row is checked by `bot.analytics.checks.row_checker`: exactly the schema's columns, values of the
declared types, nothing that looks like personal data. The first bad row stops the export with a
ValueError naming its row number and column (never the value).

Formats:
- `csv`: RFC 4180 (`,` separator, `"` quoting, CRLF line ends), UTF-8 without BOM, one header row; empty
  cell for a missing value; `true`/`false`; floats in shortest round-trip form; lists joined with `;`.
- `parquet`: one file with an explicit Arrow schema (column descriptions in the field metadata).
- `json`: JSON Lines (one object per line, UTF-8, `\\n`): streamable by writer and reader alike, where a
  single JSON array would have to be parsed whole. Dates and timestamps are ISO 8601 strings.

When `out` is a Path, the file appears only when the export is complete (written next to it under a
temporary name, then renamed); on error nothing is left behind. When `out` is a binary stream, it is
written as rows go and left open; after an error its content is incomplete and must be discarded (a
Parquet stream then lacks its footer, so no reader mistakes it for a complete file).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import os
import tempfile
import threading
from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from bot.analytics.checks import LIST_SEPARATOR, NotPseudonymousError, assert_pseudonymous, row_checker
from bot.analytics.schemas import ExportSchema, get_schema

__all__ = [
    "FILE_SUFFIXES",
    "FORMATS",
    "MEDIA_TYPES",
    "NotPseudonymousError",
    "arrow_schema",
    "assert_pseudonymous",
    "write_export",
    "write_export_sync",
]

Format = Literal["csv", "parquet", "json"]
FORMATS: tuple[str, ...] = ("csv", "parquet", "json")
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/x-ndjson",
}
FILE_SUFFIXES: dict[str, str] = {"csv": ".csv", "parquet": ".parquet", "json": ".jsonl"}

DEFAULT_BATCH_ROWS = 10_000
ROW_GROUP_ROWS = 100_000


# --- encoders ---------------------------------------------------------------------------------------------


def _iso_timestamp(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat() + "Z"


def _same(value: Any) -> Any:
    return value


def _iso(value: date) -> str:
    return value.isoformat()


_CSV_FORMATTERS: dict[str, Callable[[Any], Any]] = {
    "string": _same,
    "int": _same,
    "float": repr,  # shortest text that reads back as the same float
    "bool": lambda value: "true" if value else "false",
    "date": _iso,
    "timestamp": _iso_timestamp,
    "list[string]": LIST_SEPARATOR.join,
}
_JSON_FORMATTERS: dict[str, Callable[[Any], Any]] = {
    **{kind: _same for kind in ("string", "int", "float", "bool", "list[string]")},
    "date": _iso,
    "timestamp": _iso_timestamp,
}


def _formatters(schema: ExportSchema, table: dict[str, Callable[[Any], Any]]) -> list[Callable[[Any], Any]]:
    return [table[column.type] for column in schema.columns]


class _Sink(Protocol):
    def write(self, rows: list[tuple[Any, ...]]) -> None: ...

    def close(self) -> None: ...


class _CsvSink:
    def __init__(self, schema: ExportSchema, stream: BinaryIO) -> None:
        self._stream = stream
        self._formatters = _formatters(schema, _CSV_FORMATTERS)
        self._write_lines([schema.names])

    def _write_lines(self, lines: Iterable[Sequence[Any]]) -> None:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(lines)
        self._stream.write(buffer.getvalue().encode("utf-8"))

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        formatters = self._formatters
        self._write_lines(
            ["" if v is None else f(v) for f, v in zip(formatters, row, strict=True)] for row in rows
        )

    def close(self) -> None:
        self._stream.flush()


class _JsonLinesSink:
    def __init__(self, schema: ExportSchema, stream: BinaryIO) -> None:
        self._stream = stream
        self._names = schema.names
        self._formatters = _formatters(schema, _JSON_FORMATTERS)
        self._encoder = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        names, formatters, encode = self._names, self._formatters, self._encoder.encode
        lines = [
            encode({n: None if v is None else f(v) for n, f, v in zip(names, formatters, row, strict=True)})
            for row in rows
        ]
        self._stream.write(("\n".join(lines) + "\n").encode("utf-8"))

    def close(self) -> None:
        self._stream.flush()


_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "list[string]": pa.list_(pa.string()),
}


def arrow_schema(schema: ExportSchema) -> pa.Schema:
    """The explicit Arrow schema of an export: column types, nullability and descriptions."""
    fields = [
        pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable, metadata={"description": c.description})
        for c in schema.columns
    ]
    return pa.schema(fields, metadata={"psp.export.kind": schema.kind})


class _Gate(io.RawIOBase):
    """Passes writes to the caller's stream until cut: after an aborted export, pyarrow's writer would
    still write a footer when it is garbage-collected, making a truncated file look complete."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream: BinaryIO | None = stream
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(memoryview(data))
        if self._stream is not None:
            self._stream.write(data)
            self._position += size
        return size

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        if self._stream is not None and not getattr(self._stream, "closed", False):
            self._stream.flush()

    def cut(self) -> None:
        self._stream = None


class _ParquetSink:
    def __init__(self, schema: ExportSchema, stream: BinaryIO) -> None:
        self._schema = arrow_schema(schema)
        self._gate = _Gate(stream)
        self._writer = pq.ParquetWriter(self._gate, self._schema)
        self._pending: list[pa.RecordBatch] = []
        self._pending_rows = 0

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in self._schema]
        arrays = [pa.array(col, type=field.type) for col, field in zip(columns, self._schema, strict=True)]
        self._pending.append(pa.RecordBatch.from_arrays(arrays, schema=self._schema))
        self._pending_rows += len(rows)
        if self._pending_rows >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            table = pa.Table.from_batches(self._pending, schema=self._schema)
            self._writer.write_table(table, row_group_size=max(self._pending_rows, 1))
            self._pending, self._pending_rows = [], 0

    def close(self) -> None:
        self._flush()
        self._writer.close()
        self._gate.flush()
        self._gate.cut()  # the caller may close its stream before this object is collected

    def abort(self) -> None:
        self._gate.cut()
        self._pending = []
        self._writer.close()


_SINKS: dict[str, Callable[[ExportSchema, BinaryIO], _Sink]] = {
    "csv": _CsvSink,
    "json": _JsonLinesSink,
    "parquet": _ParquetSink,
}


# --- the export -------------------------------------------------------------------------------------------


class _Export:
    """One export in progress: target handling (temporary file for a Path), checking, encoding, counting."""

    def __init__(self, schema: ExportSchema | str, fmt: str, out: Path | BinaryIO, batch_size: int) -> None:
        if isinstance(schema, str):
            schema = get_schema(schema)
        if fmt not in _SINKS:
            raise ValueError(f"unknown export format '{fmt}' (one of: {', '.join(FORMATS)})")
        if not isinstance(schema, ExportSchema):
            raise TypeError(f"schema must be an ExportSchema, not {type(schema).__name__}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}")
        self.schema, self.fmt, self.out, self.batch_size = schema, fmt, out, batch_size
        self.count = 0
        self._check = row_checker(schema)
        self._temp: Path | None = None
        self._stream: BinaryIO | None = None
        self._sink: _Sink | None = None
        self._lock = threading.Lock()  # abort() on the loop waits for a batch still being written in a thread

    def open(self) -> None:
        with self._lock:
            self._open()

    def _open(self) -> None:
        if isinstance(self.out, str | os.PathLike):
            target = Path(self.out)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
            self._temp = Path(name)
            self._stream = os.fdopen(fd, "wb")
        else:
            self._stream = self.out
        self._sink = _SINKS[self.fmt](self.schema, self._stream)

    def write(self, rows: list[Mapping[str, Any]]) -> None:
        with self._lock:
            self._write(rows)

    def _write(self, rows: list[Mapping[str, Any]]) -> None:
        assert self._sink is not None
        first = self.count + 1
        checked = [self._check(row, first + offset) for offset, row in enumerate(rows)]
        self._sink.write(checked)
        self.count += len(checked)

    def finish(self) -> int:
        with self._lock:
            return self._finish()

    def _finish(self) -> int:
        assert self._sink is not None and self._stream is not None
        self._sink.close()
        if self._temp is not None:
            self._stream.flush()
            os.fsync(self._stream.fileno())
            self._stream.close()
            os.replace(self._temp, Path(self.out))  # type: ignore[arg-type]
            self._temp = None
        return self.count

    def abort(self) -> None:
        with self._lock:
            self._abort()

    def _abort(self) -> None:
        if isinstance(self._sink, _ParquetSink):
            with contextlib.suppress(Exception):  # already failing: the original error is what matters
                self._sink.abort()
        if self._temp is not None:
            if self._stream is not None:
                self._stream.close()
            self._temp.unlink(missing_ok=True)
            self._temp = None


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    batch: list[Mapping[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_export_sync(
    rows: Iterable[Mapping[str, Any]],
    schema: ExportSchema | str,
    fmt: Format | str,
    out: Path | BinaryIO,
    *,
    batch_size: int = DEFAULT_BATCH_ROWS,
) -> int:
    """Write `rows` as export `schema` (an ExportSchema or a kind such as "adherence") in format `fmt` to
    `out` (a Path, or a binary stream left open); returns the number of rows written."""
    export = _Export(schema, fmt, out, batch_size)
    try:
        export.open()
        for batch in _batches(rows, batch_size):
            export.write(batch)
        return export.finish()
    except BaseException:
        export.abort()
        raise


async def write_export(
    rows: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
    schema: ExportSchema | str,
    fmt: Format | str,
    out: Path | BinaryIO,
    *,
    batch_size: int = DEFAULT_BATCH_ROWS,
) -> int:
    """Like `write_export_sync`, for plain or async row sources (e.g. rows streamed from the database).

    Rows are collected on the event loop a batch at a time; checking, encoding and file I/O run in a worker
    thread so the loop stays responsive. A row is read when its batch is written: do not mutate it after
    yielding it.
    """
    if not isinstance(rows, AsyncIterable):
        return await asyncio.to_thread(write_export_sync, rows, schema, fmt, out, batch_size=batch_size)
    export = _Export(schema, fmt, out, batch_size)
    try:
        await asyncio.to_thread(export.open)
        batch: list[Mapping[str, Any]] = []
        async for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                await asyncio.to_thread(export.write, batch)
                batch = []
        if batch:
            await asyncio.to_thread(export.write, batch)
        return await asyncio.to_thread(export.finish)
    except BaseException:
        export.abort()
        raise
