"""The screen's figures on every labelled set: recall (case or review), specificity, serious in case, review
share.

    python bench/pv_quality.py                 # project sets (tests/data), a row per set and language
    python bench/pv_quality.py --psytar DIR    # also PsyTAR binary-dev.tsv from DIR (English drug reviews)
    python bench/pv_quality.py --sets blind3   # only the sets whose name starts with these prefixes
    python bench/pv_quality.py --sets blind13  # the set judging this round: only by its exact name

PsyTAR (Zolnoori et al., Data in Brief 24 (2019) 103838, CC BY 4.0): positive = ADR, WD or INF (reportable:
adverse reaction, withdrawal, lack of efficacy); negative = none of ADR, WD, INF, SSI; sentences with only
SSI (signs and symptoms of the illness itself) are left out, as the issue that asked for this figure says.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.safety.evaluate import Example, Tally, default_screen, evaluate, read_examples

ROOT = Path(__file__).resolve().parents[1]

DATA = ROOT / "tests" / "data"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")
# The blind set that judges the current round: run only when named exactly (`--sets blind13`), never by a
# default run or a prefix such as "blind1", and never with --details, so nobody reads its texts by accident.
JUDGE = "blind13"


def project_sets(prefixes: list[str] | None) -> dict[str, list[Example]]:
    """Set name -> examples: pv_dev/<prefix><lang>.jsonl (language from the name) and
    pv_blind3/<lang>.jsonl."""
    sets: dict[str, list[Example]] = {}
    for path in sorted(DATA.glob("pv_*/*.jsonl")):
        lang = path.stem.rsplit("_", 1)[-1]
        if lang not in LANGUAGES:
            continue
        name = (
            path.parent.name.removeprefix("pv_") if path.parent.name != "pv_dev" else path.stem[: -len(lang)]
        )
        name = name.rstrip("_") or "dev"
        if name == JUDGE and JUDGE not in (prefixes or []):
            continue
        if prefixes and not any(name.startswith(p) for p in prefixes):
            continue
        with path.open(encoding="utf-8") as fh:
            sets.setdefault(name, []).extend(read_examples(fh, lang))
    return sets


def psytar_examples(directory: Path, split: str = "dev") -> list[Example]:
    examples = []
    with (directory / f"binary-{split}.tsv").open(encoding="utf-8") as fh:
        columns = next(fh).rstrip("\n").split("\t")[1:]  # ADR WD EF INF SSI DI after the sentence
        for line in fh:
            fields = line.rstrip("\n").split("\t")
            if len(fields) <= len(columns):
                continue
            sentence = "\t".join(fields[: -len(columns)])  # a sentence may itself hold a tab
            row = dict(zip(columns, fields[-len(columns) :], strict=True))
            flags = {k: row[k].strip() == "1" for k in ("ADR", "WD", "INF", "SSI")}
            positive = flags["ADR"] or flags["WD"] or flags["INF"]
            if not positive and flags["SSI"]:
                continue
            kind = "adverse_event" if positive else "none"
            examples.append(Example(sentence, "en", positive, kind, False))
    return examples


def row(name: str, lang: str, tally: Tally) -> str:
    rates = tally.rates()

    def value(key: str) -> str:
        rate = rates[key]
        return "-" if rate is None else f"{rate['value']:.3f}"

    return (
        f"| {name} | {lang} | {tally.total} | {tally.positives} | {value('recall')} | "
        f"{value('recall_case')} | "
        f"{value('specificity')} | {value('serious_in_case')} | {rates['review_share'] or 0:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--psytar", type=Path, help="folder holding PsyTAR binary-dev.tsv")
    parser.add_argument("--sets", nargs="*", help="only sets whose name starts with one of these")
    parser.add_argument("--details", action="store_true", help="print every miss and false alarm")
    args = parser.parse_args()
    if args.details and JUDGE in (args.sets or []):
        parser.error(f"{JUDGE} judges this round: its misses are not printed (--details)")
    print(
        "| set | lang | messages | positives | recall (case+review) | recall (case) | specificity "
        "| serious in case | review share |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    sets = project_sets(args.sets)
    if args.psytar:
        sets["psytar-dev"] = psytar_examples(args.psytar)
    for name, examples in sets.items():
        tallies = evaluate(examples, default_screen)
        for lang, tally in tallies.items():
            if lang == "all" and len(tallies) == 2:
                continue
            print(row(name, lang, tally))
            if args.details and lang != "all":
                for text in tally.misses:
                    print(f"    missed: {text}")
                for text in tally.false_alarms:
                    print(f"    false alarm: {text}")


if __name__ == "__main__":
    main()
