"""`psp pv screen`: screen one message, or a stream of JSON lines, and print the decisions as JSON.

The CLI module parses the arguments and calls `run_screen_command`; this module holds no argument parsing.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from bot.safety import screen

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class MalformedLine(Exception):
    """A --jsonl input line that is not a {"text": ..., "lang": ...} object; the message says why."""


def run_screen_command(
    args_text: str | None, lang: str | None, jsonl: bool, stdin: TextIO, stdout: TextIO
) -> int:
    """`psp pv screen [--lang CODE] [TEXT]` and `psp pv screen --jsonl [--lang CODE]`.

    Without --jsonl: screens TEXT (or all of stdin when TEXT is absent) and prints one JSON object.
    With --jsonl: reads `{"text": ..., "lang": ...}` lines from stdin ("lang" optional, else --lang) and
    writes one result line per input line; a malformed line gets `{"error": ...}` and the run goes on.
    Returns 0, or 2 when any input line was malformed.
    """
    if not jsonl:
        text = args_text if args_text is not None else stdin.read()
        _write(stdout, screen(text, lang).to_dict())
        return EXIT_OK
    status = EXIT_OK
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            text, line_lang = _parse_line(line, lang)
        except MalformedLine as exc:
            status = EXIT_BAD_INPUT
            _write(stdout, {"error": f"line {number}: {exc}"})
            continue
        _write(stdout, screen(text, line_lang).to_dict())
    return status


def _parse_line(line: str, default_lang: str | None) -> tuple[str, str | None]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedLine(f"not valid JSON ({exc.msg})") from exc
    if not isinstance(obj, dict):
        raise MalformedLine('expected a JSON object like {"text": "...", "lang": "en"}')
    text = obj.get("text")
    if not isinstance(text, str):
        raise MalformedLine('"text" must be a string')
    lang = obj.get("lang", default_lang)
    if lang is not None and not isinstance(lang, str):
        raise MalformedLine('"lang" must be a string')
    return text, lang


def _write(stdout: TextIO, obj: dict[str, Any]) -> None:
    stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stdout.flush()
