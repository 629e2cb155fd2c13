"""`psp content validate` as an operator sees it: one line per problem, a summary, an exit code."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from bot.cli.content import run_validate_command
from tests.content.helpers import REPO, TODAY


def test_clean_content_exits_zero_with_a_summary(no_locales: Path) -> None:
    out = io.StringIO()
    assert run_validate_command(REPO / "content", no_locales, out, TODAY) == 0
    assert out.getvalue() == "content OK: 0 warnings (2 programs, 13 modules, checked for 2026-11-25)\n"


def test_warnings_alone_do_not_fail(no_locales: Path) -> None:
    out = io.StringIO()
    assert run_validate_command(REPO / "content", no_locales, out, date(2027, 12, 15)) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 13 * 6 + 1
    assert lines[0].startswith("warning: ")
    assert lines[0].endswith(": approval.expires_on: expires on 2027-12-31 (in 16 days): renew the review")
    assert lines[-1] == "content OK: 78 warnings (2 programs, 13 modules, checked for 2027-12-15)"


def test_each_problem_is_one_line_and_errors_exit_one(content_copy: Path, no_locales: Path) -> None:
    (content_copy / "modules" / "ox-storing-pens" / "ar.md").unlink()
    out = io.StringIO()
    assert run_validate_command(content_copy, no_locales, out, TODAY) == 1
    missing = content_copy / "modules" / "ox-storing-pens" / "ar.md"
    assert out.getvalue().splitlines() == [
        f"error: {missing}: language: missing 'ar' translation (needed by ostelix-weekly)",
        "content validation failed: 1 errors, 0 warnings (2 programs, 13 modules, checked for 2026-11-25)",
    ]


def test_after_the_approvals_lapse_nothing_validates(no_locales: Path) -> None:
    out = io.StringIO()
    assert run_validate_command(REPO / "content", no_locales, out, date(2028, 1, 1)) == 1
    assert out.getvalue().count("expired on 2027-12-31; it is not served") == 78
