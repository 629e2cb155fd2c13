"""A content problem, located by file and field: what `psp content validate` prints, one per line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located by file and field (field "" when it concerns the whole file)."""

    severity: Severity
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}: {self.field or '-'}: {self.message}"


def describe_difference(name: str, ref: set[str], mine: set[str], ref_lang: str) -> str:
    """Say how two sets of names differ: `<name> differ from the '<lang>' text: missing a; extra b`."""
    parts = []
    if ref - mine:
        parts.append(f"missing {', '.join(sorted(ref - mine))}")
    if mine - ref:
        parts.append(f"extra {', '.join(sorted(mine - ref))}")
    return f"{name} differ from the '{ref_lang}' text: {'; '.join(parts)}"
