"""How good is the screen in production? Recall and specificity per language, from officers' verdicts.

The screen sorts each free-text message into `case`, `review` or `clear`. Officers judge every flagged message
(a case they work, a review item they confirm or dismiss) and a random share of the `clear` ones (the second
look). The second look is a content-blind random sample of the clear messages, so the share of misses in it
estimates the share of misses among all clear messages of the period:

    misses ≈ p_miss × clear messages             (p_miss from the second-look verdicts, Wilson 95% interval)
    recall ≈ confirmed flagged / (confirmed flagged + misses)
    specificity ≈ (clear messages − misses) / (clear messages − misses + dismissed flagged)

The interval of each estimate comes from p_miss's interval (the flagged side is counted, not sampled).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.safety.evaluate import wilson


@dataclass(frozen=True, slots=True)
class LanguageCounts:
    """What happened to one language's screened free-text messages in a period."""

    lang: str
    flagged_confirmed: int  # case or review, and an officer confirmed it
    flagged_dismissed: int  # case closed as not an adverse event, or review dismissed
    flagged_pending: int  # not decided yet: left out of the estimate
    clear: int  # messages the screen left clear
    second_look_misses: int  # clear messages an officer found to be reportable
    second_look_cleared: int  # clear messages an officer confirmed as nothing to report

    @property
    def second_looks(self) -> int:
        return self.second_look_misses + self.second_look_cleared


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {"value": _r(self.value), "low": _r(self.low), "high": _r(self.high)}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _recall(confirmed: int, misses: float) -> float | None:
    return None if confirmed + misses == 0 else confirmed / (confirmed + misses)


def _specificity(clear: int, misses: float, dismissed: int) -> float | None:
    true_clear = max(0.0, clear - misses)
    return None if true_clear + dismissed == 0 else true_clear / (true_clear + dismissed)


def estimate(counts: LanguageCounts) -> dict[str, Any]:
    """Recall and specificity with 95% intervals; None where the verdicts cannot tell yet."""
    if counts.second_looks:
        p = counts.second_look_misses / counts.second_looks
        p_low, p_high = wilson(counts.second_look_misses, counts.second_looks)
    else:
        p, p_low, p_high = (0.0, 0.0, 1.0) if counts.clear == 0 else (None, 0.0, 1.0)
    misses = None if p is None else p * counts.clear
    recall = Estimate(
        None if misses is None else _recall(counts.flagged_confirmed, misses),
        _recall(counts.flagged_confirmed, p_high * counts.clear),
        _recall(counts.flagged_confirmed, p_low * counts.clear),
    )
    specificity = Estimate(
        None if misses is None else _specificity(counts.clear, misses, counts.flagged_dismissed),
        _specificity(counts.clear, p_high * counts.clear, counts.flagged_dismissed),
        _specificity(counts.clear, p_low * counts.clear, counts.flagged_dismissed),
    )
    return {
        "lang": counts.lang,
        "recall": recall.as_dict(),
        "specificity": specificity.as_dict(),
        "estimated_misses": _r(misses),
        "flagged_confirmed": counts.flagged_confirmed,
        "flagged_dismissed": counts.flagged_dismissed,
        "flagged_pending": counts.flagged_pending,
        "clear": counts.clear,
        "second_looks": counts.second_looks,
        "second_look_misses": counts.second_look_misses,
    }
