"""`psp pv screen`: one message as JSON, or a JSON-lines stream where a bad line doesn't stop the run."""

from __future__ import annotations

import io
import json

from bot.safety.command import run_screen_command

KEYS = {"escalate", "tier", "score", "kind", "situations", "serious", "evidence", "lang"}


def run(
    args_text: str | None = None, lang: str | None = None, jsonl: bool = False, stdin: str = ""
) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    code = run_screen_command(args_text, lang, jsonl, io.StringIO(stdin), out)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_screens_one_message_and_prints_one_json_object() -> None:
    code, lines = run("i passed out at work today 🚑")
    assert code == 0 and len(lines) == 1
    score = lines[0].pop("score")
    assert isinstance(score, float) and 0.5 < score <= 1.0  # the statistical second opinion agrees
    assert lines[0] == {
        "escalate": True,
        "tier": "case",
        "kind": "adverse_event",
        "situations": [],
        "serious": True,
        "evidence": ["passed out", "🚑"],
        "lang": "en",
    }


def test_lang_option_is_used() -> None:
    _, [result] = run("tengo nauseas", lang="es")
    assert result["lang"] == "es" and result["escalate"] is True


def test_text_from_stdin_when_no_argument() -> None:
    code, [result] = run(None, stdin="3andi waja3 fi rasi\n")
    assert code == 0 and result["lang"] == "ar" and result["kind"] == "adverse_event"


def test_output_keeps_non_latin_text_readable() -> None:
    out = io.StringIO()
    run_screen_command("عندي صداع", None, False, io.StringIO(), out)
    assert "صداع" in out.getvalue()


def test_jsonl_writes_one_result_per_line() -> None:
    stdin = (
        "\n".join(
            [
                json.dumps({"text": "no side effects, all good", "lang": "en"}),
                json.dumps({"text": "je suis enceinte"}),
                json.dumps({"text": "keine Übelkeit aber Kopfschmerzen", "lang": "de"}),
            ]
        )
        + "\n"
    )
    code, lines = run(jsonl=True, stdin=stdin)
    assert code == 0
    assert [set(line) for line in lines] == [KEYS] * 3
    assert [line["escalate"] for line in lines] == [False, True, True]
    assert lines[1]["situations"] == ["pregnancy"] and lines[1]["lang"] == "fr"
    assert lines[2]["evidence"] == ["Kopfschmerzen"]


def test_jsonl_malformed_line_gets_an_error_line_and_the_run_continues() -> None:
    stdin = (
        "\n".join(
            [
                json.dumps({"text": "headache"}),
                "{not json",
                json.dumps({"lang": "en"}),
                json.dumps(["a list"]),
                json.dumps({"text": "tengo fiebre", "lang": 5}),
                "",
                json.dumps({"text": "taken ✅"}),
            ]
        )
        + "\n"
    )
    code, lines = run(jsonl=True, stdin=stdin)
    assert code == 2
    assert len(lines) == 6  # the blank line is skipped
    assert lines[0]["escalate"] is True and lines[5]["escalate"] is False
    errors = [line["error"] for line in lines[1:5]]
    assert errors[0].startswith("line 2: not valid JSON")
    assert errors[1] == 'line 3: "text" must be a string'
    assert errors[2].startswith("line 4: expected a JSON object")
    assert errors[3] == 'line 5: "lang" must be a string'


def test_jsonl_line_language_overrides_the_option() -> None:
    stdin = (
        json.dumps({"text": "dolor de cabeza", "lang": "es"}) + "\n" + json.dumps({"text": "dolor"}) + "\n"
    )
    _, lines = run(lang="pt", jsonl=True, stdin=stdin)
    assert [line["lang"] for line in lines] == ["es", "pt"]
