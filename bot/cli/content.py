"""The body of `psp content validate` (the CLI only parses arguments and calls this)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TextIO

from bot.learn.validate import validate_content


def run_validate_command(content_dir: Path, locales_dir: Path, out: TextIO, today: date | None = None) -> int:
    """Print one line per problem (`error: file: field: message`) and a summary; 1 if any error, else 0."""
    today = today or date.today()
    problems = validate_content(content_dir, locales_dir, today)
    out.writelines(f"{problem}\n" for problem in problems)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    modules = len({p.parent.name for p in (content_dir / "modules").glob("*/*.md")})
    programs = len(list((content_dir / "programs").glob("*.yaml")))
    checked = f"{programs} programs, {modules} modules, checked for {today.isoformat()}"
    if errors:
        out.write(f"content validation failed: {errors} errors, {warnings} warnings ({checked})\n")
        return 1
    out.write(f"content OK: {warnings} warnings ({checked})\n")
    return 0
