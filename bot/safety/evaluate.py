"""`psp pv evaluate FILE.jsonl`: score the screen on a labelled set, per language, with 95% intervals.

A labelled line is `{"text", "lang", "label": "case"|"clear", "kind", "situations", "serious", ...}`; the
older development sets (`{"text", "escalate": bool, ...}`) are read too. A positive counts as found when the
screen puts it in front of an officer (`case` or `review`); a negative is right only when the screen says
`clear`. This is what tests, benchmarks and the closing notes quote, so it lives in one place.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

Z95 = 1.959963984540054  # the normal quantile for a two-sided 95% interval


def wilson(successes: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion: honest at 0 or 1 and for small samples (no scipy needed)."""
    if total <= 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    text: str
    lang: str
    positive: bool
    kind: str
    serious: bool


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the screen said about one example (only what evaluation needs)."""

    tier: str  # "case" | "review" | "clear"
    kind: str
    serious: bool


@dataclass(slots=True)
class Tally:
    """Counts for one language (or all): each rate is derived, never stored."""

    positives: int = 0
    found: int = 0  # positives in case or review
    in_case: int = 0  # positives in case
    serious: int = 0
    serious_in_case: int = 0
    negatives: int = 0
    cleared: int = 0  # negatives left clear
    reviews: int = 0  # messages of any label sent to review
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    serious_not_case: list[str] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # expected kind -> screened kind -> n

    @property
    def total(self) -> int:
        return self.positives + self.negatives

    def add(self, example: Example, verdict: Verdict) -> None:
        flagged = verdict.tier in ("case", "review")
        self.reviews += verdict.tier == "review"
        row = self.confusion.setdefault(example.kind, {})
        row[verdict.kind] = row.get(verdict.kind, 0) + 1
        if example.positive:
            self.positives += 1
            self.found += flagged
            self.in_case += verdict.tier == "case"
            if not flagged:
                self.misses.append(example.text)
            if example.serious:
                self.serious += 1
                self.serious_in_case += verdict.tier == "case"
                if verdict.tier != "case":
                    self.serious_not_case.append(example.text)
        else:
            self.negatives += 1
            self.cleared += not flagged
            if flagged:
                self.false_alarms.append(example.text)

    def rates(self) -> dict[str, Any]:
        """Recall (case or review), recall in case alone, specificity, precision and serious-in-case, each
        with
        its 95% interval; and the share of all messages sent to review (the officers' workload)."""
        flagged_negatives = self.negatives - self.cleared
        return {
            "messages": self.total,
            "positives": self.positives,
            "recall": _rate(self.found, self.positives),
            "recall_case": _rate(self.in_case, self.positives),
            "specificity": _rate(self.cleared, self.negatives),
            "precision": _rate(self.found, self.found + flagged_negatives),
            "serious_in_case": _rate(self.serious_in_case, self.serious),
            "review_share": round(self.reviews / self.total, 4) if self.total else None,
        }


def _rate(successes: int, total: int) -> dict[str, Any] | None:
    if total == 0:
        return None
    low, high = wilson(successes, total)
    return {"value": round(successes / total, 4), "low": round(low, 4), "high": round(high, 4), "n": total}


def parse_example(obj: dict[str, Any], default_lang: str | None = None) -> Example:
    """One labelled line; `label` ("case"/"clear") or the older `escalate` flag says which it is."""
    text = obj.get("text")
    if not isinstance(text, str):
        raise TypeError('"text" must be a string')
    label = obj.get("label")
    if label is None and isinstance(obj.get("escalate"), bool):
        label = "case" if obj["escalate"] else "clear"
    if label not in ("case", "clear"):
        raise ValueError('"label" must be "case" or "clear"')
    lang = obj.get("lang") or default_lang or "und"
    kind = obj.get("kind") or ("adverse_event" if label == "case" else "none")
    return Example(text, str(lang), label == "case", str(kind), bool(obj.get("serious", False)))


def read_examples(lines: Iterable[str], default_lang: str | None = None) -> list[Example]:
    """Parse JSON lines; a bad line raises ValueError naming its line number (nothing is half-scored)."""
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            examples.append(parse_example(json.loads(line), default_lang))
        except (ValueError, TypeError, AttributeError) as exc:
            raise ValueError(f"line {number}: {exc}") from exc
    return examples


Screen = Callable[[str, str | None], Verdict]


def evaluate(examples: Iterable[Example], screen: Screen, *, use_lang: bool = True) -> dict[str, Tally]:
    """Tallies per language and `"all"`; `use_lang=False` screens as if the language were unknown."""
    tallies: dict[str, Tally] = {"all": Tally()}
    for example in examples:
        verdict = screen(example.text, example.lang if use_lang else None)
        tallies.setdefault(example.lang, Tally()).add(example, verdict)
        tallies["all"].add(example, verdict)
    return tallies


def verdict_of(result: Any) -> Verdict:
    """A `ScreenResult` as a Verdict (a screen without tiers counts `escalate` as `case`)."""
    tier = getattr(result, "tier", None) or ("case" if result.escalate else "clear")
    return Verdict(tier=tier, kind=result.kind, serious=result.serious)


def default_screen(text: str, lang: str | None) -> Verdict:
    from bot.safety import screen

    return verdict_of(screen(text, lang))


def report(tallies: dict[str, Tally], *, details: bool = False) -> dict[str, Any]:
    """The JSON document `psp pv evaluate` prints: rates per language, confusion by kind, optionally
    misses."""
    out: dict[str, Any] = {}
    for lang, tally in sorted(tallies.items(), key=lambda item: (item[0] == "all", item[0])):
        entry = tally.rates()
        entry["confusion"] = tally.confusion
        if details:
            entry["misses"] = tally.misses
            entry["false_alarms"] = tally.false_alarms
        out[lang] = entry
    return out


def format_table(tallies: dict[str, Tally]) -> str:
    """A plain table for people: one row per language, `value [low-high]` for each rate."""
    header = (
        f"{'lang':<5}{'msgs':>6}{'recall':>22}{'specificity':>22}{'precision':>22}"
        f"{'serious→case':>14}{'review':>8}"
    )
    lines = [header]
    for lang, tally in sorted(tallies.items(), key=lambda item: (item[0] == "all", item[0])):
        rates = tally.rates()

        def cell(name: str, rates: dict[str, Any] = rates) -> str:
            rate = rates[name]
            return "-" if rate is None else f"{rate['value']:.3f} [{rate['low']:.3f}-{rate['high']:.3f}]"

        serious = rates["serious_in_case"]
        serious_cell = "-" if serious is None else f"{serious['value']:.3f}"
        review = rates["review_share"]
        lines.append(
            f"{lang:<5}{tally.total:>6}{cell('recall'):>22}{cell('specificity'):>22}"
            f"{cell('precision'):>22}{serious_cell:>14}{(review or 0):>8.3f}"
        )
    return "\n".join(lines)


def run_evaluate_command(
    path: str, lang: str | None, as_json: bool, details: bool, stdout: TextIO, stderr: TextIO
) -> int:
    """`psp pv evaluate FILE.jsonl [--lang CODE] [--json] [--details]`: 0, or 2 with one line on a bad
    file."""
    try:
        with Path(path).open(encoding="utf-8") as fh:
            examples = read_examples(fh, lang)
    except OSError as exc:
        stderr.write(f"psp pv evaluate: cannot read {path}: {exc.strerror or exc}\n")
        return 2
    except ValueError as exc:
        stderr.write(f"psp pv evaluate: {path}: {exc}\n")
        return 2
    if not examples:
        stderr.write(f"psp pv evaluate: {path} holds no labelled lines\n")
        return 2
    tallies = evaluate(examples, default_screen)
    if as_json:
        stdout.write(json.dumps(report(tallies, details=details), ensure_ascii=False, indent=1) + "\n")
    else:
        stdout.write(format_table(tallies) + "\n")
        if details:
            for code, tally in tallies.items():
                if code == "all":
                    continue
                stdout.writelines(f"missed [{code}] {text}\n" for text in tally.misses)
                stdout.writelines(f"false alarm [{lang}] {text}\n" for text in tally.false_alarms)
    return 0
