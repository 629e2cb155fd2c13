"""Train the statistical second opinion of the AE screen (issue #13) and write bot/safety/model/.

    pip install -e '.[train]'
    python scripts/train_classifier.py            # ~1 min on 2 cores; writes the model deterministically
    python scripts/train_classifier.py --no-oof   # skip cross-validation (faster; keeps the stored threshold)
    python scripts/train_classifier.py --loso-only  # leave-one-spent-blind-set-out estimate only (~2 min)

Data (see docs/safety.md and the README beside the PsyTAR files):

- Project labelled sets, tests/data/pv_dev: ``<lang>.jsonl`` (dev), ``blind_*``, ``families_*``,
  ``families2_*``, ``holdout*``, and the training corpora ``corpus_*`` (A and B since round 6, ``corpus_c_``
  since round 7, ``corpus_d_`` since round 9); the spent blind sets (``SPENT_BLIND``: 3 to 11).
  ``blind2_*`` is the untouched set: it is never opened here (the file list is filtered by name first).
- PsyTAR train split (English; M. Zolnoori et al., Data in Brief 24 (2019) 103838, CC BY 4.0): positive =
  ADR or WD or INF, negative = none of ADR, WD, INF, SSI; SSI-only sentences are left out. PsyTAR dev is only
  measured, after the threshold is fixed; the test split is not used.

Model: scikit-learn ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalise,
sublinear_tf=True, min_df=2)`` (optionally a one-hot language column per language: ``--lang-bias``; it made no
difference out of fold, so the default model is language-agnostic), then ``LogisticRegression``
(class-balanced; PsyTAR rows down-weighted so that PSP chat style is not drowned). The vocabulary is then
pruned to the n-grams with the largest |weight| and the model refitted on that vocabulary (so the runtime,
bot/safety/classifier.py, reproduces it exactly with a small file).

Thresholds: out-of-fold (5-fold, grouped by normalised text, stratified by source and label) scores of the
whole two-stage pipeline on the training data. Per language, the threshold is the lowest score at which the
whole screen (lexicon case or review, or score at or above it) flags at most the source's budget of that
language's out-of-fold negatives (``--psytar-budget`` 27 % since round 9, ``--spent-budget`` 16 % since
round 10; English takes the stricter of its two): the score spends what the lexicon leaves of the officers'
review budget.
Round 8 (chosen by the leave-one-set-out estimate, docs/safety.md): a lexicon review scored below its
language's ``clear_below`` bound is cleared (``--weak-clear``, ``--weak-cap``), and a clear the lexicon made
deliberately from a denial, an in-range value or a relative's findings is reopened by a score of at least
0.9 (``--reopen-denied``, ``--reopen-relative``). Round 9: a soft lexicon case (one plain symptom word alone,
never serious or a special situation) scored below its language's ``clear_soft`` bound is cleared
(``--soft-clear``, ``--soft-cap``; the bound is the lowest out-of-fold score of that language's soft-case
positives in the spent blind sets, capped). Round 10: a plain lexicon case (findings only, not tied to the
treatment, never serious, a special situation, a measured value or care) scored below ``clear_plain`` is
cleared too (``--plain-clear``, ``--plain-cap``), and both case bounds stay at or below the lowest score the
model gives any case of the rule and family tables it could clear (dev, second-author and holdout positives;
the probe sentences of tests/safety; ``--no-guard`` drops that bound). Round 11: the review bound too, and of
the probes only those a test asserts flagged (tests/safety/probe_tables.py reads each test's verdict). The
defaults are round 10's chosen settings (bot/safety/model/README.md). The PSP budget is counted on the spent
blind sets only: the other PSP sets tuned the lexicons, so the lexicon's false alarms there are in-sample and
would leave the score a budget it does not have on new text. PsyTAR dev plays no part in it.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.safety.classifier import DEFAULT_MODEL, MODEL_FORMAT, REVIEW_THRESHOLD, normalise

ROOT = Path(__file__).resolve().parents[1]

PV_DEV = ROOT / "tests" / "data" / "pv_dev"
# Blind sets whose first and final runs are recorded (FIRST_RUN.md, docs/safety.md) and which a later
# blind set now judges: spent, so they train. The newest blind set (pv_blind13, which judges round 11) is
# never read here: only the names below are opened.
SPENT_BLIND = (
    "pv_blind3",
    "pv_blind4",
    "pv_blind5",
    "pv_blind6",
    "pv_blind7",
    "pv_blind8",
    "pv_blind9",
    "pv_blind10",
    "pv_blind11",
    "pv_blind12",
)
# The review budget is counted on the spent blind sets together (about 215 negatives per language): one set
# alone has 45-65 per language, too few for a stable threshold. The lexicons were tuned on the dev sets and,
# in round 3, on blind sets 3 and 4; the lexicon's specificity there (0.91) is close to its specificity on
# blind set 5, which nobody tuned on (0.91).
LOCALES = ROOT / "locales"
# PsyTAR's train and dev splits: the project's shared data folder beside the checkout, or --psytar DIR.
PSYTAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "psytar"
OUT = ROOT / "bot" / "safety" / "model" / DEFAULT_MODEL
LANGS = ("en", "es", "fr", "de", "pt", "ar")
# plus the dev sets <lang>.jsonl; never blind2_
TRAIN_PREFIXES = ("blind_", "families_", "families2_", "holdout", "corpus_")
SEED = 13


@dataclass(frozen=True)
class Row:
    text: str
    label: int
    lang: str
    source: str  # "psp" or "psytar"
    set_name: str


def project_files(exclude: tuple[str, ...] = ()) -> list[Path]:
    names = sorted(p.name for p in PV_DEV.glob("*.jsonl"))
    keep = [n for n in names if n.removesuffix(".jsonl") in LANGS or n.startswith(TRAIN_PREFIXES)]
    keep = [n for n in keep if not (exclude and n.startswith(exclude))]
    assert not any(n.startswith("blind2") for n in keep)
    return [PV_DEV / n for n in keep]


def load_project(exclude: tuple[str, ...] = ()) -> list[Row]:
    rows: list[Row] = []
    for path in project_files(exclude):
        stem = path.name.removesuffix(".jsonl")
        lang = stem.rsplit("_", 1)[-1]
        assert lang in LANGS, path
        set_name = stem.rsplit("_", 1)[0] if "_" in stem else "dev"
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    item = json.loads(line)
                    # dev sets say "escalate"; the round-6 corpora say "label" (case or clear)
                    label = item["escalate"] if "escalate" in item else item["label"] != "clear"
                    rows.append(Row(item["text"], int(bool(label)), lang, "psp", set_name))
    return rows


def load_spent_blind() -> list[Row]:
    rows: list[Row] = []
    for name in SPENT_BLIND:
        for path in sorted((ROOT / "tests" / "data" / name).glob("*.jsonl")):
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        item = json.loads(line)
                        label = int(item["label"] == "case")
                        rows.append(Row(item["text"], label, item["lang"], "psp", name))
    return rows


def load_own_texts(max_chars: int = 60) -> list[Row]:
    """Our own short approved texts (menu and option labels, prompts): patients echo them, so the score must
    not read them as reports. Only those the lexicon leaves clear ("I went to hospital" is a real answer)."""
    from babel.messages.pofile import read_po

    from bot.safety.screener import Screener

    lexicon_only = Screener()
    rows: list[Row] = []
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
        lang = po.parts[-3].split("_")[0]
        if lang not in LANGS:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            text = message.string if isinstance(message.string, str) else ""
            if message.id and text and len(text) <= max_chars and "{" not in text:
                if lexicon_only.screen(text, lang).tier == "clear":
                    rows.append(Row(text, 0, lang, "psp", "own_texts"))
    return rows


def load_psytar(split: str, folder: Path = PSYTAR) -> list[Row]:
    rows: list[Row] = []
    with (folder / f"binary-{split}.tsv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        for rec in reader:
            adr, wd, inf, ssi = (int(rec[k]) for k in ("ADR", "WD", "INF", "SSI"))
            text = " ".join(rec["sentences"].split())
            if not text:
                continue
            if adr or wd or inf:
                rows.append(Row(text, 1, "en", "psytar", split))
            elif not ssi:
                rows.append(Row(text, 0, "en", "psytar", split))
    return rows


# --------------------------------------------------------------------------------------------- model


@dataclass
class Fitted:
    vectoriser: TfidfVectorizer
    model: LogisticRegression
    words: TfidfVectorizer | None = None  # optional word n-grams (--word-ngrams), a second l2-normed block


def make_vectoriser(args: argparse.Namespace, vocabulary: list[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(args.ngram_min, args.ngram_max),
        preprocessor=normalise,
        sublinear_tf=True,
        min_df=1 if vocabulary is not None else 2,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


def make_word_vectoriser(args: argparse.Namespace, vocabulary: list[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=r"\S+",
        ngram_range=(1, args.word_ngrams),
        preprocessor=normalise,
        sublinear_tf=True,
        min_df=1 if vocabulary is not None else 2,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


def lang_columns(rows: list[Row]) -> csr_matrix:
    data = np.ones(len(rows))
    cols = np.array([LANGS.index(r.lang) for r in rows])
    return csr_matrix((data, (np.arange(len(rows)), cols)), shape=(len(rows), len(LANGS)))


def weights(rows: list[Row], psytar_share: float) -> np.ndarray:
    """PSP rows weigh 1; PsyTAR rows together weigh ``psytar_share`` times the PSP rows; then class
    balance."""
    n_psp = sum(r.source == "psp" for r in rows)
    n_psy = len(rows) - n_psp
    w_psy = psytar_share * n_psp / n_psy if n_psy else 0.0
    w = np.array([1.0 if r.source == "psp" else w_psy for r in rows])
    y = np.array([r.label for r in rows])
    for cls in (0, 1):
        mask = y == cls
        w[mask] *= w.sum() / (2.0 * w[mask].sum())
    return w / w.mean()


def fit(rows: list[Row], args: argparse.Namespace) -> Fitted:
    texts = [r.text for r in rows]
    y = np.array([r.label for r in rows])
    w = weights(rows, args.psytar_share)
    vocabulary: list[str] | None = None
    word_vocabulary: list[str] | None = None
    for _stage in range(2):  # stage 1: full vocabulary; stage 2: pruned to the top |weight| n-grams
        vec = make_vectoriser(args, vocabulary)
        blocks = [vec.fit_transform(texts)]
        words = None
        if args.word_ngrams:
            words = make_word_vectoriser(args, word_vocabulary)
            blocks.append(words.fit_transform(texts) * args.word_weight)
        if args.lang_bias:
            blocks.append(lang_columns(rows))
        x = hstack(blocks, format="csr")
        model = LogisticRegression(C=args.C, max_iter=1000, random_state=SEED, tol=args.tol)
        model.fit(x, y, sample_weight=w)
        if vocabulary is not None:
            break
        names = list(vec.get_feature_names_out())
        n_char = len(names)
        if words is not None:
            names += [f"w:{n}" for n in words.get_feature_names_out()]
        coef = model.coef_[0][: len(names)]
        top = np.argsort(-np.abs(coef), kind="stable")[: args.features]
        vocabulary = sorted(str(names[i]) for i in top if i < n_char)
        word_vocabulary = sorted(str(names[i])[2:] for i in top if i >= n_char)
    return Fitted(vec, model, words)


def predict(fitted: Fitted, rows: list[Row], lang_bias: bool, word_weight: float = 1.0) -> np.ndarray:
    texts = [r.text for r in rows]
    blocks = [fitted.vectoriser.transform(texts)]
    if fitted.words is not None:
        blocks.append(fitted.words.transform(texts) * word_weight)
    if lang_bias:
        blocks.append(lang_columns(rows))
    x = hstack(blocks, format="csr")
    return np.asarray(fitted.model.predict_proba(x)[:, 1])


def out_of_fold(rows: list[Row], args: argparse.Namespace) -> np.ndarray:
    groups = np.unique([normalise(r.text).strip() for r in rows], return_inverse=True)[1]
    strata = [f"{r.source}-{r.lang}-{r.label}" for r in rows]
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    oof = np.zeros(len(rows))
    for train_idx, test_idx in folds.split(np.zeros(len(rows)), strata, groups):
        fitted = fit([rows[i] for i in train_idx], args)
        oof[test_idx] = predict(fitted, [rows[i] for i in test_idx], args.lang_bias, args.word_weight)
    return oof


# --------------------------------------------------------------------------------------------- figures


_VERDICTS: dict[int, tuple[list[Row], np.ndarray, np.ndarray]] = {}


def lexicon_verdicts(rows: list[Row]) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the lexicon's tier and why the score may or may not move it (``Screener.verdict``; "-" when
    the message has no word to score): one pass over the rows serves every mask below (round 10; before, each
    mask screened every row twice). Cached for the row list it was asked for."""
    cached = _VERDICTS.get(id(rows))
    if cached is not None and cached[0] is rows:
        return cached[1], cached[2]
    from bot.safety.screener import Screener

    lexicon_only = Screener()
    tiers, whys = [], []
    for r in rows:
        result, why, scorable = lexicon_only.verdict(r.text, r.lang)
        tiers.append(result.tier)
        whys.append(why if scorable else "-")
    found = (np.array(tiers), np.array(whys))
    _VERDICTS[id(rows)] = (rows, *found)
    return found


def lexicon_flags(rows: list[Row]) -> np.ndarray:
    """What the lexicon screen alone puts in front of an officer (case or review), without any scorer."""
    tiers, _ = lexicon_verdicts(rows)
    return np.asarray(tiers != "clear")


def lexicon_denied(rows: list[Row]) -> np.ndarray:
    """Which lexicon-clear rows only a strong score may reopen (a denied finding, an in-range value)."""
    tiers, whys = lexicon_verdicts(rows)
    return np.asarray((tiers == "clear") & (whys == "denied"))


def lexicon_relative(rows: list[Row]) -> np.ndarray:
    """Which lexicon-clear rows only a strong score may reopen because a relative's findings were set aside
    without a link word (round 8), or are a relative's family news (round 10)."""
    tiers, whys = lexicon_verdicts(rows)
    return np.asarray((tiers == "clear") & (whys == "relative"))


def lexicon_doubts(rows: list[Row]) -> np.ndarray:
    """Which rows the lexicon puts in review only (a weak signal or a doubt word, no case): round 8 lets a
    very low score clear them (``--weak-clear``); a case is never lowered. A question that ties the state to
    the treatment stays a review (FIRM): only the others may clear."""
    tiers, whys = lexicon_verdicts(rows)
    return np.asarray((tiers == "review") & (whys != "firm") & (whys != "-"))


def lexicon_soft(rows: list[Row]) -> np.ndarray:
    """Which rows the lexicon makes a soft case (one plain symptom word alone, never serious or a special
    situation): round 9 lets a very low score clear them (``--soft-clear``)."""
    tiers, whys = lexicon_verdicts(rows)
    return np.asarray((tiers == "case") & (whys == "soft"))


def lexicon_plain(rows: list[Row]) -> np.ndarray:
    """Which rows the lexicon makes a plain case (findings only, not tied to the treatment, never serious,
    a special situation, a measured value or care): round 10 lets a very low score clear them
    (``--plain-clear``)."""
    tiers, whys = lexicon_verdicts(rows)
    return np.asarray((tiers == "case") & (whys == "plain"))


@dataclass
class Guard:
    """The project's rule and family tables (round 10): the positives of the dev, second-author and holdout
    sets and the probe sentences of tests/safety a test asserts flagged (round 11), with the rows each
    clearing lever could act on. A lever's bound stays at or below the score of every one of them, so it
    never clears a table's case or a probe a test asserts flagged."""

    rows: list[Row]
    soft: np.ndarray
    plain: np.ndarray
    doubts: np.ndarray  # the lexicon reviews a low score may clear (round 8's lever, guarded since round 10)

    def floor(self, fitted: Fitted, lever: np.ndarray, args: argparse.Namespace) -> dict[str, float]:
        """Per language, the lowest score (rounded down) of the guarded rows ``lever`` could clear."""
        if not lever.any():
            return {}
        picked = [r for r, m in zip(self.rows, lever, strict=True) if m]
        score = predict(fitted, picked, args.lang_bias, args.word_weight)
        found: dict[str, float] = {}
        for r, value in zip(picked, score, strict=True):
            found[r.lang] = min(found.get(r.lang, 1.0), float(np.floor(value * 1e4) / 1e4))
        return found


def lever_bounds(
    rows: list[Row],
    oof: np.ndarray,
    levers: tuple[np.ndarray, np.ndarray, np.ndarray],
    fitted: Fitted,
    guard: Guard | None,
    args: argparse.Namespace,
) -> list[tuple[dict[str, float], dict[str, float] | None]]:
    """For the three clearing levers (a lexicon review, a soft case, a plain case: ``levers`` are their rows),
    the score under which each clears and the tables' floor that bounded it (``None`` without a guard)."""
    bounds = []
    for name, rows_of_lever in zip(("weak", "soft", "plain"), levers, strict=True):
        share, cap = getattr(args, f"{name}_clear"), getattr(args, f"{name}_cap")
        guarded = {"weak": "doubts"}.get(name, name)
        floor = guard.floor(fitted, getattr(guard, guarded), args) if guard and share >= 0 else None
        bounds.append((choose_clear_below(rows, oof, rows_of_lever, share, cap, floor), floor))
    return bounds


def load_guard(exclude: tuple[str, ...] = ()) -> Guard:
    from bot.safety.screener import Screener
    from tests.safety.probe_tables import flagged_probes

    detect = Screener()
    rows = [r for r in load_project(exclude) if r.label == 1 and not r.set_name.startswith("corpus")]
    # round 11: only the probes a test asserts flagged (case, review, or case-or-review), not those asserted
    # clear or of which no tier is asserted (tests/safety/probe_tables.py reads each test's own verdict)
    for text, lang in flagged_probes():  # a probe without a language is screened as the test does: detected
        rows.append(Row(text, 1, lang or detect.screen(text).lang, "psp", "probes"))
    return Guard(rows, lexicon_soft(rows), lexicon_plain(rows), lexicon_doubts(rows))


def choose_clear_below(
    rows: list[Row],
    oof: np.ndarray,
    doubts: np.ndarray,
    share: float,
    cap: float,
    floor: dict[str, float] | None = None,
) -> dict[str, float]:
    """Per language, the score under which a lexicon review (weak signal or doubt alone) becomes clear:
    the lowest out-of-fold score of that language's reviewed positives in the spent blind sets, after
    letting ``share`` of them fall below it, never above ``cap``. ``share`` < 0 turns the rule off. Round
    10: never above ``floor`` either (the lowest score of the rows the tables assert as cases)."""
    found: dict[str, float] = {}
    y = np.array([r.label for r in rows])
    spent = np.array([budget_group(r) == "spent" for r in rows])
    lang = np.array([r.lang for r in rows])
    for code in LANGS:
        if share < 0:
            found[code] = 0.0
            continue
        pos = np.sort(oof[doubts & spent & (y == 1) & (lang == code)])
        if len(pos) == 0:
            found[code] = 0.0
            continue
        k = min(int(np.floor(share * len(pos))), len(pos) - 1)
        found[code] = round(float(min(pos[k], cap, (floor or {}).get(code, 1.0))), 4)
    return found


def lowered(
    rows: list[Row],
    oof: np.ndarray,
    lexicon: np.ndarray,
    doubts: np.ndarray,
    clear_below: dict[str, float],
    soft: np.ndarray | None = None,
    clear_soft: dict[str, float] | None = None,
    plain: np.ndarray | None = None,
    clear_plain: dict[str, float] | None = None,
) -> np.ndarray:
    """The lexicon's flags after the score has cleared the reviews (and, round 9, the soft cases; round 10,
    the plain cases) it scores below the language's bound."""
    bound = np.array([clear_below.get(r.lang, 0.0) for r in rows])
    kept = lexicon & ~(doubts & (oof < bound))
    for mask, bounds in ((soft, clear_soft), (plain, clear_plain)):
        if mask is not None and bounds:
            case_bound = np.array([bounds.get(r.lang, 0.0) for r in rows])
            kept &= ~(mask & (oof < case_bound))
    return kept


def lexicon_openable(rows: list[Row]) -> np.ndarray:
    """Which rows the score may lift to review or keep there: the lexicon's flags, and the clears that are
    not deliberate (someone else's findings, a plain all-clear answer, a denied finding, a value in range)."""
    tiers, whys = lexicon_verdicts(rows)
    deliberate = (whys == "aside") | (whys == "denied") | (whys == "relative") | (whys == "-")
    return np.asarray((tiers != "clear") | ~deliberate)


def leave_one_set_out(
    rows: list[Row],
    oof: np.ndarray,
    lexicon: np.ndarray,
    openable: np.ndarray,
    budgets: dict[str, float],
    args: argparse.Namespace,
    doubts: np.ndarray | None = None,
    denied: np.ndarray | None = None,
    relative: np.ndarray | None = None,
    soft: np.ndarray | None = None,
    plain: np.ndarray | None = None,
    guard: Guard | None = None,
) -> dict[str, dict[str, float]]:
    """The judge-like estimate: for each spent blind set, train on everything else, choose the thresholds
    by the usual rule on the other rows' out-of-fold scores, and score that set with the whole screen
    (lexicon case or review, or an openable clear whose score reaches its language's threshold)."""
    y = np.array([r.label for r in rows])
    found: dict[str, dict[str, float]] = {}
    totals = np.zeros(5)
    aucs: list[float] = []
    by_lang: dict[str, np.ndarray] = {code: np.zeros(4) for code in LANGS}
    for held in SPENT_BLIND:
        mask = np.array([r.set_name == held for r in rows])
        if not mask.any():
            continue
        rest = [r for r, m in zip(rows, mask, strict=True) if not m]
        fitted = fit(rest, args)
        kept = ~mask
        if doubts is None:
            doubts = np.zeros(len(rows), dtype=bool)
        if soft is None:
            soft = np.zeros(len(rows), dtype=bool)
        if plain is None:
            plain = np.zeros(len(rows), dtype=bool)
        (clear_below, _), (clear_soft, _), (clear_plain, _) = lever_bounds(
            rest, oof[kept], (doubts[kept], soft[kept], plain[kept]), fitted, guard, args
        )
        rest_lexicon = lowered(
            rest,
            oof[kept],
            lexicon[kept],
            doubts[kept],
            clear_below,
            soft[kept],
            clear_soft,
            plain[kept],
            clear_plain,
        )
        thresholds = choose_thresholds(rest, oof[kept], rest_lexicon, budgets)
        part = [r for r, m in zip(rows, mask, strict=True) if m]
        score = predict(fitted, part, args.lang_bias, args.word_weight)
        per_row = np.array([thresholds.get(r.lang, 1.0) for r in part])
        part_lexicon = lowered(
            part,
            score,
            lexicon[mask],
            doubts[mask],
            clear_below,
            soft[mask],
            clear_soft,
            plain[mask],
            clear_plain,
        )
        flag = part_lexicon | (openable[mask] & (score >= per_row))
        if denied is not None:
            flag |= denied[mask] & (score >= np.maximum(per_row, args.reopen_denied))
        if relative is not None:
            flag |= relative[mask] & (score >= np.maximum(per_row, args.reopen_relative))
        review = flag & ~lexicon[mask]  # what the score adds
        cleared = lexicon[mask] & ~part_lexicon
        yy = y[mask]
        tp, pos = int(flag[yy == 1].sum()), int((yy == 1).sum())
        tn, neg = int((~flag[yy == 0]).sum()), int((yy == 0).sum())
        found[held] = {
            "recall": tp / pos,
            "specificity": tn / neg,
            "score_reviews": float(review.mean()),
        }
        totals += np.array([tp, pos, tn, neg, int(review.sum())])
        langs = np.array([r.lang for r in part])
        for code in LANGS:
            m = langs == code
            by_lang[code] += np.array(
                [
                    flag[m & (yy == 1)].sum(),
                    (m & (yy == 1)).sum(),
                    (~flag[m & (yy == 0)]).sum(),
                    (m & (yy == 0)).sum(),
                ]
            )
        auc = roc_auc_score(yy, score)
        aucs.append(auc)
        print(
            f"  LOSO {held}: recall {tp / pos:.3f} specificity {tn / neg:.3f} score auc {auc:.3f} "
            f"score adds {int(review.sum())} reviews  thresholds {thresholds}"
        )
        if cleared.any():
            yc = yy[cleared]
            print(
                f"    score clears {int(cleared.sum())} lexicon flags ({int((yc == 0).sum())} negatives, "
                f"{int((yc == 1).sum())} positives) below {clear_below} (reviews), {clear_soft} (soft "
                f"cases), {clear_plain} (plain cases)"
            )
    for code, (ltp, lpos, ltn, lneg) in by_lang.items():
        if lpos and lneg:
            found[f"lang {code}"] = {"recall": ltp / lpos, "specificity": ltn / lneg, "score_reviews": 0.0}
            print(f"  LOSO pooled {code}: recall {ltp / lpos:.3f} specificity {ltn / lneg:.3f}")
    tp, pos, tn, neg, rev = totals
    found["all"] = {"recall": tp / pos, "specificity": tn / neg, "score_reviews": rev / (pos + neg)}
    sets = [v for k, v in found.items() if k.startswith("pv_")]
    macro_r = np.mean([v["recall"] for v in sets])
    macro_s = np.mean([v["specificity"] for v in sets])
    print(
        f"  LOSO pooled: recall {tp / pos:.4f} ({int(tp)}/{int(pos)}) specificity {tn / neg:.4f} "
        f"({int(tn)}/{int(neg)}); mean over sets: recall {macro_r:.3f} specificity {macro_s:.3f}; "
        f"score auc {np.mean(aucs):.3f}"
    )
    return found


def figures(
    y: np.ndarray, score: np.ndarray, threshold: np.ndarray | float, lexicon: np.ndarray | None = None
) -> str:
    flag = score >= threshold
    pos, neg = y == 1, y == 0
    parts = [f"n={len(y):5d} pos={int(pos.sum()):4d}"]
    parts.append(f"recall={flag[pos].mean():.3f} spec={1 - flag[neg].mean():.3f}")
    if pos.any() and neg.any():
        parts.append(f"auc={roc_auc_score(y, score):.3f}")
    if lexicon is not None:
        union = flag | lexicon
        parts.append(f"| lexicon recall={lexicon[pos].mean():.3f} spec={1 - lexicon[neg].mean():.3f}")
        parts.append(f"union recall={union[pos].mean():.3f} spec={1 - union[neg].mean():.3f}")
        parts.append(f"score adds {int((flag & ~lexicon & neg).sum())} neg to review")
    return "  ".join(parts)


def _spend(oof: np.ndarray, lexicon: np.ndarray, mask: np.ndarray, budget: float) -> float:
    """Lowest threshold at which lexicon-or-score flags at most ``budget`` of the negatives in ``mask``."""
    allowed = int(np.floor(budget * mask.sum())) - int(lexicon[mask].sum())  # what the lexicon leaves
    unflagged = np.sort(oof[mask & ~lexicon])
    if allowed <= 0 or len(unflagged) == 0:
        return 1.0  # the lexicon alone spends the budget: the score adds nothing
    k = min(allowed, len(unflagged) - 1)
    return float(np.nextafter(unflagged[len(unflagged) - k - 1], 1.0))


def budget_group(row: Row) -> str:
    """Which review budget a training row's negatives count against: "psytar", "spent" or "psp" (none)."""
    if row.source == "psytar":
        return "psytar"
    return "spent" if row.set_name in SPENT_BLIND else "psp"


def choose_thresholds(
    rows: list[Row], oof: np.ndarray, lexicon: np.ndarray, budgets: dict[str, float]
) -> dict[str, float]:
    """Per language, the lowest threshold at which the whole screen (lexicon flags, or a score at or above it)
    flags at most the source's budget of that language's out-of-fold negatives (English: the stricter of the
    PSP and PsyTAR budgets). The score spends what the lexicon leaves of the officers' review budget."""
    y = np.array([r.label for r in rows])
    src = np.array([budget_group(r) for r in rows])
    lang = np.array([r.lang for r in rows])
    found: dict[str, float] = {}
    for code in LANGS:
        candidates = [
            _spend(oof, lexicon, (src == s) & (lang == code) & (y == 0), budget)
            for s, budget in budgets.items()
            if ((src == s) & (lang == code)).any()
        ]
        found[code] = round(max(candidates), 4)
    return found


def report(
    title: str,
    rows: list[Row],
    score: np.ndarray,
    threshold: float,
    lexicon: np.ndarray,
    thresholds: dict[str, float],
) -> None:
    print(f"\n== {title} (thresholds {thresholds or threshold})")
    per_row = np.array([thresholds.get(r.lang, threshold) for r in rows])
    if any(r.source == "psp" for r in rows):
        print("   (lexicon figures on the PSP sets are in-sample: the lexicons were tuned on these sets)")
    y = np.array([r.label for r in rows])
    keys: dict[str, np.ndarray] = {}
    psp = np.array([r.source == "psp" for r in rows])
    for s in ("psp", "psytar"):
        keys[f"source: {s}"] = np.array([r.source == s for r in rows])
    for lang in LANGS:
        keys[f"psp {lang}"] = psp & np.array([r.lang == lang for r in rows])
    for s in sorted({r.set_name for r in rows if r.source == "psp"}):
        keys[f"psp set {s}"] = psp & np.array([r.set_name == s for r in rows])
    for k, m in keys.items():
        if m.any():
            print(f"  {k:22s} {figures(y[m], score[m], per_row[m], lexicon[m])}")


# --------------------------------------------------------------------------------------------- output


def export(
    fitted: Fitted,
    threshold: float,
    thresholds: dict[str, float],
    args: argparse.Namespace,
    meta: dict[str, object],
    clear_below: dict[str, float] | None = None,
    clear_soft: dict[str, float] | None = None,
    clear_plain: dict[str, float] | None = None,
) -> bytes:
    vec, model = fitted.vectoriser, fitted.model
    names = [str(n) for n in vec.get_feature_names_out()]
    coef = model.coef_[0]
    n = len(names)
    lang_bias = {lang: float(coef[n + i]) for i, lang in enumerate(LANGS)} if args.lang_bias else {}
    data = {
        "format": MODEL_FORMAT,
        "ngram_range": list(vec.ngram_range),
        "vocabulary": names,
        "idf": [float(v) for v in vec.idf_],
        "coef": [float(v) for v in coef[:n]],
        "intercept": float(model.intercept_[0]),
        "lang_bias": lang_bias,
        "threshold": threshold,
        "thresholds": thresholds,
        "meta": meta,
    }
    if clear_below and any(clear_below.values()):
        data["clear_below"] = clear_below
    if clear_soft and any(clear_soft.values()):
        data["clear_soft"] = clear_soft
    if clear_plain and any(clear_plain.values()):
        data["clear_plain"] = clear_plain
    if args.reopen_denied <= 1.0:
        data["reopen_denied"] = args.reopen_denied
    if args.reopen_relative <= 1.0:
        data["reopen_relative"] = args.reopen_relative
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--features", type=int, default=20000, help="n-grams kept after pruning")
    parser.add_argument(
        "--C", type=float, default=10.0, help="inverse L2 strength of the logistic regression"
    )
    parser.add_argument("--ngram-min", type=int, default=2)
    parser.add_argument("--ngram-max", type=int, default=5)
    parser.add_argument("--tol", type=float, default=1e-4, help="lbfgs tolerance")
    parser.add_argument("--psytar-share", type=float, default=0.5, help="PsyTAR weight relative to PSP rows")
    parser.add_argument(
        "--word-ngrams", type=int, default=0, help="add word n-grams up to this length (0: none)"
    )
    parser.add_argument("--word-weight", type=float, default=1.0, help="scale of the word n-gram block")
    parser.add_argument("--lang-bias", action="store_true", help="add a per-language bias (no gain in CV)")
    parser.add_argument(
        "--psytar-budget",
        type=float,
        default=0.27,
        help="max share of PsyTAR OOF negatives the screen flags (round 9: 27 %%)",
    )
    parser.add_argument(
        "--spent-budget",
        type=float,
        default=0.16,
        help="max share of the spent blind sets' OOF negatives the screen flags",
    )
    parser.add_argument(
        "--weak-clear",
        type=float,
        default=0.0,
        help="share of the spent sets' lexicon-review positives a low score may clear (< 0: rule off)",
    )
    parser.add_argument(
        "--weak-cap", type=float, default=0.2, help="the score bound under which a lexicon review clears"
    )
    parser.add_argument(
        "--soft-clear",
        type=float,
        default=0.0,
        help="share of the spent sets' soft-case positives a low score may clear (< 0: rule off)",
    )
    parser.add_argument(
        "--soft-cap", type=float, default=0.1, help="the score bound under which a soft lexicon case clears"
    )
    parser.add_argument(
        "--plain-clear",
        type=float,
        default=0.0,
        help="share of the spent sets' plain-case positives a low score may clear (< 0: rule off)",
    )
    parser.add_argument(
        "--plain-cap", type=float, default=0.1, help="the score bound under which a plain lexicon case clears"
    )
    parser.add_argument(
        "--no-guard",
        dest="guard",
        action="store_false",
        help="do not bound the case-clearing levers by the rule and family tables (round 10: on)",
    )
    parser.add_argument(
        "--reopen-denied",
        type=float,
        default=0.9,
        help="score at or above which a denied finding or in-range value is reopened (> 1: never)",
    )
    parser.add_argument(
        "--reopen-relative",
        type=float,
        default=0.9,
        help="score at or above which a relative's findings set aside without a link word are reopened",
    )
    parser.add_argument(
        "--loso", action="store_true", help="leave-one-spent-blind-set-out estimate (judge-like)"
    )
    parser.add_argument("--loso-only", action="store_true", help="only the LOSO estimate; write nothing")
    parser.add_argument("--no-oof", dest="oof", action="store_false", help="skip CV; reuse stored threshold")
    parser.add_argument(
        "--exclude",
        nargs="*",
        default=[],
        help="leave out pv_dev files whose name starts with these (e.g. corpus_c_ to judge a corpus)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--psytar", type=Path, default=PSYTAR, help="folder with PsyTAR binary-train/dev.tsv")
    args = parser.parse_args(argv)
    start = time.perf_counter()

    psp = load_project(tuple(args.exclude)) + load_spent_blind() + load_own_texts()
    psytar = load_psytar("train", args.psytar)
    rows = psp + psytar
    print(
        f"training rows: psp {len(psp)} ({Counter(r.label for r in psp)}), psytar {len(psytar)} "
        f"({Counter(r.label for r in psytar)})"
    )
    lexicon = lexicon_flags(rows)

    clear_below: dict[str, float] = {}
    clear_soft: dict[str, float] = {}
    clear_plain: dict[str, float] = {}
    guard = load_guard(tuple(args.exclude)) if args.guard else None
    fitted = fit(rows, args)  # the file's model: its scores of the tables bound the case-clearing levers
    if args.oof:
        oof = out_of_fold(rows, args)
        doubts = lexicon_doubts(rows)
        soft = lexicon_soft(rows)
        plain = lexicon_plain(rows)
        (clear_below, weak_floor), (clear_soft, soft_floor), (clear_plain, plain_floor) = lever_bounds(
            rows, oof, (doubts, soft, plain), fitted, guard, args
        )
        if any(clear_below.values()):
            print(f"lexicon reviews cleared below: {clear_below} (tables' floor {weak_floor})")
        if any(clear_soft.values()):
            print(f"soft lexicon cases cleared below: {clear_soft} (tables' floor {soft_floor})")
        if any(clear_plain.values()):
            print(f"plain lexicon cases cleared below: {clear_plain} (tables' floor {plain_floor})")
        thresholds = choose_thresholds(
            rows,
            oof,
            lowered(rows, oof, lexicon, doubts, clear_below, soft, clear_soft, plain, clear_plain),
            {"spent": args.spent_budget, "psytar": args.psytar_budget},
        )
        threshold = thresholds["en"]
        print(f"per-language thresholds: {thresholds}")
        report("out-of-fold, training data", rows, oof, threshold, lexicon, thresholds)
        if args.loso or args.loso_only:
            print(
                "\n== leave one spent blind set out (lexicon rows in-sample only where the lexicon read them)"
            )
            leave_one_set_out(
                rows,
                oof,
                lexicon,
                lexicon_openable(rows),
                {"spent": args.spent_budget, "psytar": args.psytar_budget},
                args,
                doubts,
                lexicon_denied(rows) if args.reopen_denied <= 1.0 else None,
                lexicon_relative(rows) if args.reopen_relative <= 1.0 else None,
                soft,
                plain,
                guard,
            )
            if args.loso_only:
                return 0
        y = np.array([r.label for r in rows])
        oof_auc = float(roc_auc_score(y, oof))
    else:
        old = json.loads(gzip.decompress(args.out.read_bytes()))
        threshold, oof_auc = float(old["threshold"]), float("nan")
        thresholds = {str(k): float(v) for k, v in old.get("thresholds", {}).items()}
        clear_below = {str(k): float(v) for k, v in old.get("clear_below", {}).items()}
        clear_soft = {str(k): float(v) for k, v in old.get("clear_soft", {}).items()}
        clear_plain = {str(k): float(v) for k, v in old.get("clear_plain", {}).items()}
    print(f"\nthreshold {threshold} ({time.perf_counter() - start:.1f}s)")

    dev = load_psytar("dev", args.psytar)
    dev_score = predict(fitted, dev, args.lang_bias, args.word_weight)
    report("PsyTAR dev (measured only)", dev, dev_score, threshold, lexicon_flags(dev), thresholds)

    meta = {
        "trained_on": (
            "tests/data/pv_dev dev/blind_/families_/families2_/holdout* sets, spent blind sets"
            " (3 to 11), corpus_ sets (A to D), our own short approved texts as negatives"
            " + PsyTAR binary-train (CC BY 4.0)"
        ),
        "features": args.features,
        "C": args.C,
        "psytar_share": args.psytar_share,
        "budgets": {"spent": args.spent_budget, "psytar": args.psytar_budget},
        "clear_below": clear_below,
        "clear_soft": clear_soft,
        "clear_plain": clear_plain,
        "reopen_denied": args.reopen_denied,
        "reopen_relative": args.reopen_relative,
        "threshold_rule": (
            "per language: lowest score at which lexicon-or-score flags <= the budget of OOF negatives"
        ),
        "oof_auc": round(oof_auc, 4),
    }
    blob = export(fitted, threshold, thresholds, args, meta, clear_below, clear_soft, clear_plain)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(blob)
    if threshold != REVIEW_THRESHOLD:
        print(
            f"\nNOTE: set REVIEW_THRESHOLD = {threshold} in bot/safety/classifier.py (now {REVIEW_THRESHOLD})"
        )
    print(f"\nwrote {args.out} ({len(blob) / 1e6:.2f} MB) in {time.perf_counter() - start:.1f}s total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
