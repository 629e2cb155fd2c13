"""The screen on PsyTAR **train** (readable; dev is for figures only): its misses and false alarms, one a
line, with the screen's tier, score, kind and evidence, so a round can sort them into causes.

    python bench/psytar_train.py DIR                # DIR holds binary-train.tsv
    python bench/psytar_train.py DIR --misses       # only the misses
    python bench/psytar_train.py DIR --false-alarms # only the false alarms
    python bench/psytar_train.py DIR --lexicon      # the lexicon alone (the model is trained on PsyTAR train)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.pv_quality import psytar_examples
from bot.safety import Screener, screen


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--false-alarms", action="store_true")
    parser.add_argument(
        "--lexicon", action="store_true", help="the lexicon's verdict alone, without the score"
    )
    args = parser.parse_args()
    both = not (args.misses or args.false_alarms)
    examples = psytar_examples(args.directory, "train")
    screen_one = Screener().screen if args.lexicon else screen
    positives = found = negatives = cleared = 0
    lines = []
    for example in examples:
        result = screen_one(example.text, "en")
        flagged = result.tier != "clear"
        if example.positive:
            positives += 1
            found += flagged
            if not flagged and (both or args.misses):
                lines.append(f"MISS  {result.score:.2f} | {example.text}")
        else:
            negatives += 1
            cleared += not flagged
            if flagged and (both or args.false_alarms):
                evidence = "; ".join(result.evidence)
                lines.append(
                    f"FA    {result.tier:6} {result.score:.2f} {result.kind} [{evidence}] | {example.text}"
                )
    print("\n".join(lines))
    print(
        f"recall {found}/{positives} = {found / positives:.3f}; specificity {cleared}/{negatives} = "
        f"{cleared / negatives:.3f}"
    )


if __name__ == "__main__":
    main()
