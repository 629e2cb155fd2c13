"""The screening decision: is this inbound message a possible adverse event or special situation?

Pure and fast: the lexicons are loaded once, then each call tokenises the message, finds every lexicon term
in one pass, and applies the pharmacovigilance rules below. No language words live here.

Rules, in order:
1. Language: the caller's, else detected from function words; unsure -> every lexicon is used (safety first).
   English terms are always used too, because patients mix languages.
2. Figures of speech ("this traffic is killing me") mask the terms inside them.
3. Negation: a cue ("no", "sin", "pas de", "kein", "ما") negates the terms that follow it within a short
   window, up to a clause break or a "but". "no more" / "anymore" reveal a past occurrence and do not negate.
4. General information questions ("what are the side effects?") neutralise the rest of their sentence,
   unless the patient also states an experience there; pregnancy and breastfeeding are never neutralised.
5. Adverse event: a symptom, a body part near a problem word, care seeking, a serious cue, a negated
   wellbeing phrase ("I don't feel well"). Special situations come from their own term lists, plus accidental
   exposure from "child or pet + swallow verb + medicine" in one sentence.
6. Weak signals (own body part, revealing question, "I'm so...", "since the last shot") make an adverse event
   unless reassured in their clause or the message is only about a special situation.
7. Context: what follows a pet ("the dog threw up") is not the patient's event, unless the pet is a comparison
   ("heart racing like a horse"); praise of the treatment ("it's working great") makes negation literal ("no
   more migraines since I started" is efficacy); a clause whose cause is plainly not medical ("this series
   makes me nauseous", "the paperwork gives me a headache") is a figure of speech.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.safety.context import exposures, gifts, other_subject_scope, treatment_links
from bot.safety.counts import (
    baseline_sentences,
    dose_instead,
    fewer_counts,
    fewer_than_before,
    interval_contrary,
    unmoved_despite_dose,
    value_fell,
)
from bot.safety.lexicon import (
    COMMON,
    LEXICON_DIR,
    SITUATIONS,
    Hit,
    Label,
    Lexicon,
    load_lexicon,
)
from bot.safety.matcher import TermMatcher, build_corrector, make_stemmers, make_tokeniser
from bot.safety.measures import read_measurements
from bot.safety.negation import build_negation
from bot.safety.normalise import SENTENCE_PUNCT, Token, is_arabic
from bot.safety.signals import body_problem_pairs, judged_values, loss_of_function, weak_signals

ADVERSE_EVENT = "adverse_event"
SPECIAL_SITUATION = "special_situation"
QUALITY_COMPLAINT = "quality_complaint"  # a product problem without harm: its own kind, for the quality team
DRUG_INTERACTION = "drug_interaction"  # round 10: the one situation a practical question may name first
NONE = "none"
CASE = "case"
REVIEW = "review"
# Why a clear is deliberate (round 8): someone else's findings or a plain all-clear (never reopened), or a
# denied finding or an in-range value (reopened only by a strong score).
ASIDE = "aside"
DENIED = "denied"
FIRM = "firm"  # a review the score may not clear: a question that ties the state to the treatment
RELATIVE = "relative"  # a relative's findings with no link word: reopened only by a strong score
# Round 9: a case built on one plain symptom word and nothing else (no seriousness, care, special situation,
# pair, measurement or weak signal) in a message of a few words: a very low score may clear it
# ("the paperwork is giving me a headache", "the kids had the vomiting bug, not me").
SOFT = "soft"
SOFT_MIN_WORDS = 4  # a symptom told alone ("mareos", "nausea since yesterday") is never soft
# Round 10: a case whose lexicon evidence is weak in another way: findings only (symptom words, a body part
# with a problem, a lost function, weak signals), more than one plain symptom word, nothing serious, no
# special situation, measured value or care, and nothing that ties them to the treatment (no treatment or
# link word), in a message of at least SOFT_MIN_WORDS words. A very low score may clear it (`clear_plain`).
PLAIN = "plain"
CLEAR = "clear"
TIERS = (CASE, REVIEW, CLEAR)
DEFAULT_REVIEW_THRESHOLD = 0.5

Scorer = Callable[[str, str], float]
"""A statistical second opinion: (text, language) -> probability in [0, 1] that the message is reportable."""
DEFAULT_LANG = "en"
MIXING_LANG = "en"  # terms of this lexicon are always screened for: the language patients mix in most

_AE_CATEGORIES = frozenset({"symptom", "care", "serious"})
_SIGNAL_CATEGORIES = frozenset(
    {
        "symptom",
        "negated_symptom",
        "negated_serious",
        "body",
        "vital",
        "problem",
        "care",
        "serious",
        "situation",
        "revealing",
        "own_body",
        "possessive",
        "link",
        "treatment",
        "filler",
        "loss_cue",
        "loss_after",
        "function",
        "measure",
        "review_symptom",
    }
)

# Round 11: the categories that tell a finding (a figure that masked one of them explains the clear).
_FINDINGS = frozenset({"symptom", "problem", "serious", "review_symptom", "loss_cue", "function"})
# What a non-medical cause masks in its clause (figures of speech): never seriousness, care or situations.
_FIGURE_MASKED = (
    "symptom",
    "problem",
    "body",
    "own_body",
    "review_symptom",
    "negated_symptom",
    "loss_cue",
    "function",
    "revealing",
)
# Round 11: the findings whose masking by a figure of speech makes a clear deliberate (a loss cue alone is
# no finding: it needs its function).
_FIGURED_FINDINGS = tuple(c for c in _FIGURE_MASKED if c != "loss_cue")
# Round 11: what ties a message to the treatment's use or effect: a finding "as always" beside any of them may
# tell of a treatment that does nothing.
_TREATMENT_TALK = ("treatment", "link", "use_verb", "stopped", "persistence", "measure", "vital")
# Round 10: the special situations another person's story may hold (their other drug, their lack of effect):
# set aside with that person's findings when the patient sets themself apart ("not me").
_OTHERS_SITUATIONS = frozenset({"drug_interaction", "lack_of_efficacy", "off_label"})
# Round 11: the situations a document's clause may seem to hold ("the card is broken", "the code won't work").
_PAPER_SITUATIONS = frozenset({QUALITY_COMPLAINT, "lack_of_efficacy"})


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """The screening decision for one message, as the PV queue and `psp pv screen` show it.

    `tier`: "case" (a clear signal: escalated to the PV team, `escalate` is True), "review" (doubt: a weak
    signal alone, or the statistical score at or above the threshold; a person looks at it) or "clear".
    `score`: the statistical second opinion in [0, 1] (0.0 when no scorer is configured)."""

    escalate: bool
    kind: str
    situations: tuple[str, ...]
    serious: bool
    evidence: tuple[str, ...]
    lang: str
    tier: str = CLEAR
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "escalate": self.escalate,
            "tier": self.tier,
            "score": self.score,
            "kind": self.kind,
            "situations": list(self.situations),
            "serious": self.serious,
            "evidence": list(self.evidence),
            "lang": self.lang,
        }


PRODUCT_MIN_LENGTH = 5  # round 10: a product name is a capitalised word of at least this many letters


class Screener:
    """Holds the compiled lexicons; `screen` is pure and safe to call from any thread or task."""

    def __init__(
        self,
        lexicon_dir: Path = LEXICON_DIR,
        scorer: Scorer | None = None,
        review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
        review_thresholds: Mapping[str, float] | None = None,
        clear_below: Mapping[str, float] | None = None,
        reopen_denied: float = 2.0,
        reopen_relative: float = 2.0,
        clear_soft: Mapping[str, float] | None = None,
        clear_plain: Mapping[str, float] | None = None,
    ) -> None:
        self.scorer = scorer
        self.review_threshold = review_threshold  # for a language without its own threshold
        self.review_thresholds = dict(review_thresholds or {})
        # Round 8: per language, a lexicon review (weak signal or doubt alone) scored below this bound is
        # cleared; a case is never lowered. Empty: off.
        self.clear_below = dict(clear_below or {})
        # Round 8: the score at or above which a denied finding or an in-range value is reopened (above 1:
        # never).
        self.reopen_denied = reopen_denied
        # ... and a relative's findings set aside without a link word ("Papa hat Puls 45, er nimmt Xyz").
        self.reopen_relative = reopen_relative
        # Round 9: per language, a soft case (one plain symptom word alone) scored below this bound is
        # cleared. Empty: off.
        self.clear_soft = dict(clear_soft or {})
        # Round 10: per language, a plain case (weak lexicon evidence, see PLAIN) scored below this bound is
        # cleared. Empty: off.
        self.clear_plain = dict(clear_plain or {})
        paths = sorted(lexicon_dir.glob("*.yaml"))
        lexicons = [load_lexicon(p) for p in paths]
        self.lexicons: dict[str, Lexicon] = {lex.lang: lex for lex in lexicons}
        common = self.lexicons.get(COMMON)
        settings = dict(common.settings) if common else {}
        from bot.safety.lexicon import _SETTINGS  # defaults

        self.settings = {**_SETTINGS, **settings}
        self.question_exempt = frozenset(common.question_exempt if common else ())
        self.ranges = common.ranges if common else {}
        order = [DEFAULT_LANG] + sorted(
            lex.lang for lex in lexicons if lex.lang not in (COMMON, DEFAULT_LANG)
        )
        self.languages: tuple[str, ...] = tuple(lang for lang in order if lang in self.lexicons)
        self._shape_cache: dict[str, tuple[str, ...]] = {}
        stemmers = make_stemmers(lexicons)
        self._matcher = TermMatcher(lexicons, self.settings["gap_max"], stemmers)
        self._tokeniser = make_tokeniser(lexicons, stemmers)
        self._tokeniser.corrector = build_corrector(lexicons, self.settings["fuzzy_min_length"])
        self._not_products = frozenset(w for lex in lexicons for w in lex.not_products)

    # -- public ---------------------------------------------------------------------------------------------
    def verdict(self, text: str, lang: str | None = None) -> tuple[ScreenResult, str, bool]:
        """The lexicon's decision without any score, the reason the score may or may not move it (ASIDE,
        DENIED, RELATIVE for a clear; FIRM for a review; SOFT or PLAIN for a case; "" otherwise), and whether
        the message has a word to score. ``scripts/train_classifier.py`` reads every lever from one call."""
        tokens = self._tokeniser.tokenise(text)
        hits = self._matcher.find(tokens)
        primary, reported = self._language(tokens, hits, lang)
        hits = self._active_hits(hits, tokens, primary)
        hits += self._product_names(text, tokens, hits)
        result, deliberate = self._decide(text, tokens, hits, primary, reported)
        return result, deliberate, any(tok.kind == "w" for tok in tokens)

    def screen(self, text: str, lang: str | None = None) -> ScreenResult:
        result, deliberate, scorable = self.verdict(text, lang)
        reported = result.lang
        if self.scorer is None or not scorable:
            return result  # nothing to score: an empty or emoji-only message keeps the lexicon's decision
        score = round(min(1.0, max(0.0, float(self.scorer(text, reported)))), 4)
        # A deliberate clear (findings set aside as someone else's: "the dog was sick all night"; a plain
        # all-clear answer: "done, all good") is not reopened by the score, which cannot tell either apart.
        # A clear whose findings are denied or whose value is in range is reopened only by a strong score
        # (round 8: "prescribed for rosacea, not for acne" is off-label use the score sees).
        threshold = self.review_thresholds.get(reported, self.review_threshold)
        if deliberate == DENIED:
            threshold = max(threshold, self.reopen_denied)
        elif deliberate == RELATIVE:
            threshold = max(threshold, self.reopen_relative)
        if result.tier == CLEAR and deliberate != ASIDE and score >= threshold:
            return ScreenResult(
                False, ADVERSE_EVENT, (), False, (f"statistical score {score:.2f}",), reported, REVIEW, score
            )
        # A lexicon review is a doubt (a weak signal or a doubt word, never a seriousness cue or a case): a
        # very low score settles it as clear ("can I carry the pens in my hand luggage?").
        if result.tier == REVIEW and deliberate != FIRM and score < self.clear_below.get(reported, 0.0):
            return ScreenResult(False, NONE, (), False, (), reported, CLEAR, score)
        # Round 9: a soft case (one plain symptom word alone, never serious or a special situation) with a
        # very low score is a figure or someone else's news the lexicon did not see ("this form gives me a
        # headache"): the score settles it as clear.
        if result.tier == CASE and deliberate == SOFT and score < self.clear_soft.get(reported, 0.0):
            return ScreenResult(False, NONE, (), False, (), reported, CLEAR, score)
        # Round 10: a plain case (findings only, not tied to the treatment, nothing serious, no special
        # situation, measured value or care) with a very low score, likewise.
        if result.tier == CASE and deliberate == PLAIN and score < self.clear_plain.get(reported, 0.0):
            return ScreenResult(False, NONE, (), False, (), reported, CLEAR, score)
        return ScreenResult(
            result.escalate,
            result.kind,
            result.situations,
            result.serious,
            result.evidence,
            result.lang,
            result.tier,
            score,
        )

    # -- language -------------------------------------------------------------------------------------------
    def _language(self, tokens: list[Token], hits: list[Hit], lang: str | None) -> tuple[str | None, str]:
        """Returns (primary language or None when unsure, language to report)."""
        if lang:
            code = lang.strip().lower().replace("_", "-").split("-")[0]
            return (code if code in self.lexicons else None), code
        scores = dict.fromkeys(self.languages, 0.0)
        seen: set[tuple[int, str]] = set()
        function_words: dict[int, set[str]] = {}
        for hit in hits:
            lab = hit.label
            if lab.lang not in scores:
                continue
            if lab.category == "detect":
                function_words.setdefault(hit.start, set()).add(lab.lang)
            elif (hit.start, lab.lang) not in seen:
                scores[lab.lang] += 0.5
                seen.add((hit.start, lab.lang))
        # A function word shared by several languages ("la", "de", "no") splits its vote among them.
        for langs in function_words.values():
            for code in langs:
                scores[code] += 1.0 / len(langs)
        for tok in tokens:
            if tok.kind == "w":
                for code in self._token_languages(tok.forms[0]):
                    scores[code] += 1.0
        best = max(scores.values(), default=0.0)
        top = [code for code in self.languages if scores[code] == best]
        if best > 0 and len(top) == 1:
            return top[0], top[0]
        return None, (top[0] if best > 0 else DEFAULT_LANG)

    def _token_languages(self, form: str) -> tuple[str, ...]:
        """Languages a word's shape points to: Arabic script, or a lexicon's detect pattern (Arabizi)."""
        found = self._shape_cache.get(form)
        if found is None:
            if is_arabic(form):
                found = tuple(c for c in self.languages if self.lexicons[c].arabic_script)
            else:
                found = tuple(
                    c
                    for c in self.languages
                    if any(p.fullmatch(form) for p in self.lexicons[c].detect_patterns)
                )
            if len(self._shape_cache) > 100_000:
                self._shape_cache.clear()
            self._shape_cache[form] = found
        return found

    def _active_hits(self, hits: list[Hit], tokens: list[Token], primary: str | None) -> list[Hit]:
        """Keep the hits of the languages in play: all when unsure, else primary, common, English and any
        language whose function words appear (mixed messages)."""
        if primary is None:
            return hits
        present = {h.label.lang for h in hits if h.label.category == "detect"}
        active = {primary, COMMON, MIXING_LANG} | present
        false_friends = self.lexicons[primary].not_foreign
        kept = []
        for hit in hits:
            lab = hit.label
            if lab.lang not in active:
                continue
            if (
                lab.lang not in (primary, COMMON)
                and hit.end - hit.start == 1
                and tokens[hit.start].forms[0] in false_friends
            ):
                continue
            kept.append(hit)
        return kept

    def _product_names(self, text: str, tokens: list[Token], hits: list[Hit]) -> list[Hit]:
        """Round 10: a capitalised word no lexicon knows, right after a product cue ("she's on Xyz", "before
        the Xyz", "two of my Xyz pens"), is the name of a medicine the lexicon cannot know (every programme
        has its own): it counts as a treatment word, so a carer's report about it, a link to it or a gift of
        it is read like one about "the tablets"."""
        corrector = self._tokeniser.corrector
        found: list[Hit] = []
        for cue in hits:
            if cue.label.category != "product_cue" or cue.end >= len(tokens):
                continue
            tok = tokens[cue.end]
            raw = text[tok.start : tok.end]
            if (
                tok.kind != "w"
                or len(raw) < PRODUCT_MIN_LENGTH
                or not raw[0].isupper()
                or not raw[1:].isalpha()
                or raw[1:].isupper()
                or (corrector is not None and any(corrector.knows(f) for f in tok.forms))
                or self._capitalised_next(text, tokens, cue.end + 1)
                or any(f in self._not_products for f in tok.forms)
            ):
                continue
            found.append(Hit(cue.end, cue.end + 1, Label(cue.label.lang, "treatment", "product")))
        return found

    @staticmethod
    def _capitalised_next(text: str, tokens: list[Token], i: int) -> bool:
        """A capitalised word followed by another is a many-word name ("the Lake District", "the Royal
        Free"), a place or an institution rather than a product."""
        if i >= len(tokens) or tokens[i].kind != "w":
            return False
        raw = text[tokens[i].start : tokens[i].end]
        return raw[:1].isupper() and not raw.isupper()

    # -- decision -------------------------------------------------------------------------------------------
    def _untied_figures(self, tokens: list[Token], by_cat: dict[str, list[Hit]]) -> list[Hit]:
        """The figures of speech that may mask their words: those not followed, within the link window and
        the same clause, by a treatment word with only link words, fillers and the patient's own words
        between ("... when I took THE PILL", "... right after my SHOT")."""
        figures = by_cat.get("benign", [])
        treatments = by_cat.get("treatment", [])
        if not figures or not treatments:
            return figures
        glue = {
            i
            for cat in ("filler", "link", "first_person")
            for h in by_cat.get(cat, [])
            for i in range(h.start, h.end)
        }
        window = self.settings["link_window"]
        kept = []
        for fig in figures:
            tied = False
            for t in treatments:
                if t.start < fig.end or t.start - fig.end > window or t.start in glue:  # "these" is vague
                    continue
                between = range(fig.end, t.start)
                if all(tokens[i].kind == "w" and i in glue for i in between):
                    tied = True
                    break
            if not tied:
                kept.append(fig)
        return kept

    def _injuries(self, by_cat: dict[str, list[Hit]], breaker: list[bool]) -> None:
        defects = [h for h in by_cat.get("situation", []) if h.label.payload == QUALITY_COMPLAINT]
        bodies = by_cat.get("body", [])
        if not defects or not bodies:
            return
        window = self.settings["pair_window"]
        treatments = by_cat.get("treatment", [])
        moved = []
        for d in defects:
            for b in bodies:
                lo, hi = (b.end, d.start) if b.end <= d.start else (d.end, b.start)
                if hi < lo or hi - lo > window or any(breaker[lo:hi]):
                    continue
                first, last = min(b.start, d.start), max(b.end, d.end)
                while first > 0 and not breaker[first - 1]:
                    first -= 1
                while last < len(breaker) and not breaker[last]:
                    last += 1
                if not any(first <= t.start < last for t in treatments):
                    moved.append(d)
                    break
        if moved:
            by_cat["situation"] = [h for h in by_cat["situation"] if h not in moved]
            by_cat.setdefault("problem", []).extend(moved)

    def _other_causes(
        self, by_cat: dict[str, list[Hit]], sentence: list[int], clause: list[int], primary: str | None
    ) -> tuple[bool, bool]:
        """Masks the findings a stated non-medical cause explains; whether it masked any, and whether the
        message sets the treatment apart from them (round 11): a cause that names the treatment to set it
        aside ("nothing to do with the meds"), or the treatment named only in clauses after every masked
        finding and every cause, clauses that tell no finding ("head's banging after the party, took my
        tablet anyway", "total durch nach der Nachtschicht, aber Spritze ist drin")."""
        # "without sport", "like after a marathon": a denied cause or one in a comparison is no cause.
        cues = [
            h.end
            for cat in ("neg_before", "comparison")
            for h in by_cat.get(cat, [])
            if primary is None or h.label.lang in (primary, COMMON)  # Portuguese "no" is "in the"
        ]
        found = by_cat.get("other_cause", [])
        denied = [
            c
            for c in found
            if any(0 <= c.start - end <= 4 and clause[end - 1] == clause[c.start] for end in cues)
        ]
        # "... as if I'd played a football MATCH": a cause inside a denied one is denied too.
        causes = [c for c in found if not any(d.start < c.end and c.start < d.end for d in denied)]
        if not causes:
            return False, False
        # Round 10: a cause that names the treatment to set it aside ("nothing to do with the meds", "pas du
        # traitement", "موش من الدوا") does not tie its sentence to the treatment.
        inside = {i for c in causes for i in range(c.start, c.end)}
        treatments = [t for t in by_cat.get("treatment", []) if t.start not in inside]
        links = treatment_links(  # "... ever since the injection": a link anywhere in the sentence ties it
            [k for k in by_cat.get("link", []) if k.start not in inside],
            treatments,
            by_cat.get("filler", []),
            sentence,
            self.settings["link_window"],
        )
        tied = {sentence[start] for start, _ in links} | {
            sentence[h.start] for h in by_cat.get("situation", [])
        }
        treated = {clause[t.start] for t in treatments}
        # Round 10: a contrast that introduces the cause itself ("cramps are bad BUT that's just my period",
        # "dolor de cabeza, PERO es la resaca") does not separate the cause from the finding.
        # Round 10 (spec-what2): ... anywhere in the clause the contrast opens ("a cold, BUT in the office
        # half the team has it", "mas lá em casa todo mundo pegou").
        # Round 11: "I caught it TOO" ("yo también", "eu apanhei também") shares the cause: an additive word
        # beside a word of the patient's own is no contrast.
        mine = {
            h.start
            for h in by_cat.get("first_person", [])
            if primary is None or h.label.lang in (primary, COMMON)
        }
        additive = {
            (h.start, h.end)
            for h in by_cat.get("additive", [])
            if any(h.start - 2 <= m <= h.end for m in mine)
        }
        contrasts = [
            c.start
            for c in by_cat.get("contrast", [])
            if not any(
                0 <= k.start - c.end <= 2 or (k.start >= c.end and clause[k.start] == clause[c.end])
                for k in causes
            )
            and (c.start, c.end) not in additive
        ]

        # A cause told of another person ("my husband hurt his arm at football and I have back pain"): it
        # explains its own clause only.
        people = [h for cat in ("other_person", "outsider") for h in by_cat.get(cat, [])]

        def caused(h: Hit) -> bool:
            if sentence[h.start] in tied or clause[h.start] in treated:
                return False
            for c in causes:
                if sentence[c.start] != sentence[h.start]:
                    continue
                peopled = any(p.end <= c.start and clause[p.start] == clause[c.start] for p in people)
                if peopled and clause[c.start] != clause[h.start]:
                    continue
                lo, hi = sorted((c.start, h.start))
                if not any(lo < k < hi for k in contrasts):
                    return True
            return False

        masked: list[Hit] = []

        def explains(h: Hit) -> bool:
            if caused(h):
                masked.append(h)
                return True
            return False

        # A cause with nothing left to mask still sets the treatment apart ("shattered after three night
        # shifts, but the pen's done"): a word the lexicon does not know is what the cause explains.
        dropped = _drop(by_cat, _FIGURE_MASKED, explains)
        if any(c.start <= t.start < c.end for c in causes for t in by_cat.get("treatment", [])):
            return dropped, True
        last = max(clause[h.start] for h in (*masked, *causes))
        named = {(t.start, t.end) for t in treatments}  # "Spritze" is also the place of the injection
        told = {
            clause[h.start]
            for cat in _FIGURE_MASKED
            for h in by_cat.get(cat, [])
            if (h.start, h.end) not in named
        }
        told |= {clause[h.start] for cat in ("serious", "care", "situation") for h in by_cat.get(cat, [])}
        apart = bool(treatments) and all(
            clause[t.start] > last and clause[t.start] not in told for t in treatments
        )
        return dropped, apart

    def _unchanged(self, by_cat: dict[str, list[Hit]], sentence: list[int]) -> bool:
        """Masks the findings of a sentence that says the illness is unchanged or as before the treatment,
        unless a contrast word stands between the cue and the finding, or the sentence ties something else to
        the treatment (a link not right after the cue: "psoriasis unchanged, headaches since the pill")."""
        cues = by_cat.get("unchanged", [])
        if not cues:
            return False
        window = self.settings["link_window"]
        links = treatment_links(
            by_cat.get("link", []),
            by_cat.get("treatment", []),
            by_cat.get("filler", []),
            sentence,
            window,
        )
        # "no worse SINCE THE TABLETS": a link right after the cue is what the cue compares with.
        tied = {
            sentence[start]
            for start, _ in links
            if not any(0 <= start - c.end <= 1 and sentence[c.start] == sentence[start] for c in cues)
        }
        steady = [c for c in cues if sentence[c.start] not in tied]
        contrasts = [
            c.start for c in by_cat.get("contrast", []) if not any(0 <= k.start - c.end <= 2 for k in cues)
        ]

        def unchanged(h: Hit) -> bool:
            return any(
                sentence[c.start] == sentence[h.start]
                and not any(min(c.start, h.start) < k < max(c.start, h.start) for k in contrasts)
                for c in steady
            )

        # ... and that link is no weak signal: "no worse SINCE THE SHOT" compares, it tells of no change.
        def compares(h: Hit) -> bool:
            return any(0 <= h.start - c.end <= 1 and sentence[c.start] == sentence[h.start] for c in steady)

        compared = _drop(by_cat, ("link",), compares)
        return _drop(by_cat, _FIGURE_MASKED, unchanged) or compared

    def _too_early(self, by_cat: dict[str, list[Hit]], sentence: list[int], clause: list[int]) -> bool:
        """Masks the illness said to be still there while the treatment has time to work; whether it did."""
        links = treatment_links(
            by_cat.get("link", []),
            by_cat.get("treatment", []),
            by_cat.get("filler", []),
            sentence,
            self.settings["link_window"],
        )
        tied = {sentence[start] for start, _ in links}
        cues = [h for h in by_cat.get("persistence", []) if sentence[h.start] not in tied]
        contrasts = [c.start for c in by_cat.get("contrast", [])]

        def still(h: Hit) -> bool:
            return any(
                sentence[c.start] == sentence[h.start]
                and not any(min(c.start, h.start) < k < max(c.start, h.start) for k in contrasts)
                for c in cues
            )

        masked = _drop(by_cat, _FIGURE_MASKED, still)
        situations = by_cat.get("situation", [])
        kept = [h for h in situations if not (h.label.payload == "lack_of_efficacy" and still(h))]
        waits = {sentence[h.start] for h in by_cat.get("onset_wait", [])}
        reporting = by_cat.get("reporting", [])
        care = by_cat.get("care", [])
        by_cat["care"] = [
            h
            for h in care
            if not (
                sentence[h.start] in waits and any(h.start <= r.start and r.end <= h.end for r in reporting)
            )
        ]
        by_cat["situation"] = kept
        return masked or len(kept) < len(situations) or len(by_cat["care"]) < len(care)

    @staticmethod
    def _not_me(
        by_cat: dict[str, list[Hit]], sentence: list[int], clause: list[int], primary: str | None
    ) -> bool:
        """Round 10: another person's illness told before the patient's own contrast ("my husband has the
        flu, I'm fine", "toute la famille a la gastro sauf moi", "meine Freundin bekam Schwindel davon, ich
        hab nichts dergleichen"): the findings told of that person are theirs, even when the message names a
        treatment (the person's own, or the patient's next dose). A finding counts as theirs when it follows
        the person in the same sentence with no word of the patient's own between, and the contrast comes
        after it. A relative whose sentence ties the finding to a treatment ("my son threw up after his
        shot, I'm fine") stays a carer's report. Seriousness cues and care are never set aside this way.
        Whether it set aside any finding."""
        contrasts = by_cat.get("self_contrast", [])
        if not contrasts:
            return False
        own = [
            h.start
            for h in by_cat.get("first_person", [])
            if (primary is None or h.label.lang in (primary, COMMON))
            and not any(c.start <= h.start < c.end for c in contrasts)
        ]
        outsiders = by_cat.get("outsider", [])
        people = [*outsiders, *by_cat.get("other_person", [])]
        person_starts = {p.start for p in people}
        # "MY husband", "MEINE Freundin": a possessive right before the person is part of who it is.
        own = [m for m in own if m + 1 not in person_starts]
        # A treatment word ties a relative's sentence ("after HIS SHOT"); a bare "since yesterday" does not.
        tied = {sentence[h.start] for h in by_cat.get("treatment", [])}
        last_contrast = max(c.start for c in contrasts)

        def theirs(h: Hit) -> bool:
            if h.start >= last_contrast:
                return False
            for p in people:
                if p.end > h.start or sentence[p.start] != sentence[h.start]:
                    continue
                # "I'm using my sister-in-law's pen", "me and the husband": the patient is in it too.
                if any(p.end <= m < h.end or (clause[m] == clause[p.start] and m < p.start) for m in own):
                    continue
                if p not in outsiders and sentence[h.start] in tied:
                    continue  # a relative's finding tied to a treatment: the carer's report
                return True
            return False

        removed = _drop(by_cat, _FIGURE_MASKED, theirs)
        situations = by_cat.get("situation", [])
        kept = [h for h in situations if h.label.payload not in _OTHERS_SITUATIONS or not theirs(h)]
        by_cat["situation"] = kept
        return removed or len(kept) < len(situations)

    @staticmethod
    def _hypothetical(
        by_cat: dict[str, list[Hit]],
        tokens: list[Token],
        sentence: list[int],
        clause: list[int],
        experience: list[Hit],
        primary: str | None,
    ) -> bool:
        """Masks the findings the patient says did not happen (round 10); whether it masked any.

        A finding is hypothetical when a conditional word ("if", "si", "falls", "se", "لو") comes before it in
        its clause, or a worry or hearsay word ("afraid of", "me da miedo", "j'ai lu", "Angst vor", "medo de",
        "خايف") before it in its sentence. Such a finding is dropped when its sentence, or the next one, is a
        question with no experience of the patient's own ("is paracetamol ok if I get a cold?", "dreading
        my hair falling out, is that common?"), or when the message says it has not happened ("hasn't
        happened", "de momento nada", "pour l'instant rien", "noch nicht passiert", "até agora nada", "لسه
        ما حصلش"). Such a statement also settles the findings of its own sentence before it and of the
        sentence just before ("Could the pen make my hair fall out? Asking before anything happens"), unless
        a contrast word stands between. Seriousness cues and care are never dropped this way."""
        n = len(tokens)

        def own_language(cat: str) -> list[Hit]:  # Portuguese "se" is Spanish "se"
            return [h for h in by_cat.get(cat, []) if primary is None or h.label.lang in (primary, COMMON)]

        # "... I'm fine myself", "Yo voy muy bien": the patient set apart says it did not happen to them.
        markers = [*own_language("not_happened"), *own_language("self_contrast")]
        settled = own_language("all_clear")
        conditionals = own_language("conditional")
        worry = own_language("worry")
        hearsay = own_language("hearsay")
        worries = [*worry, *hearsay]
        if not (markers or conditionals or worries):
            return False
        contrasts = [c.start for c in by_cat.get("contrast", [])]

        revealing = by_cat.get("revealing", [])
        # "J'AI peur", "ich HABE Angst", "TENHO medo": the marker of a worry tells of no experience.
        told = [e for e in experience if not any(0 <= w.start - e.start <= 2 for w in worries)]

        def asks(s: int) -> bool:
            """Is sentence s a question (its last mark "?") with no experience of the patient's own and no
            revealing question ("is it normal that...")?"""
            ends = [i for i in range(n) if sentence[i] == s and tokens[i].kind == "p"]
            if not ends or tokens[max(ends)].forms[0][:1] not in ("?", "؟"):
                return False
            return not any(sentence[e.start] == s for e in (*told, *revealing))

        def fears(s: int) -> bool:
            """Does sentence s join hearsay and a worry, with no experience of the patient's own ("the
            leaflet says it can cause dizziness, I'm a bit scared to start")?"""
            return (
                any(sentence[w.start] == s for w in worry)
                and any(sentence[w.start] == s for w in hearsay)
                and not any(sentence[e.start] == s for e in told)
            )

        def untold(h: Hit) -> bool:
            # A word inside a worry ("NERVOUS about headaches", "ANGST vor Haarausfall", "ME DA miedo") is the
            # worry itself; a worry word alone at the end of its clause ("... and I am scared") may be a
            # symptom.
            if any(
                w.start <= h.start
                and h.end <= w.end
                and ((h.start, h.end) != (w.start, w.end) or (w.end < n and clause[w.end] == clause[w.start]))
                for w in worries
            ):
                return True
            here = sentence[h.start]
            # Round 11: a contrast between the worry and the finding ("scared of the jab, it went fine, BUT
            # since then a headache") tells of something that did happen.
            shaped = any(
                c.end <= h.start and clause[c.start] == clause[h.start] for c in conditionals
            ) or any(
                w.end <= h.start
                and sentence[w.start] == here
                and not any(w.end <= k < h.start for k in contrasts)
                for w in worries
            )
            if shaped and (markers or asks(here) or asks(here + 1) or fears(here)):
                return True
            # Round 11: a worry in the finding's own clause, settled by an all-clear after it in that sentence
            # or the next ("was afraid I'd react to the first infusion, but it all went fine", "tinha medo de
            # desmaiar mas correu tudo bem"): the feared finding did not happen.
            if any(w.end <= h.start and clause[w.start] == clause[h.start] for w in worry) and any(
                a.start >= h.end and here <= sentence[a.start] <= here + 1 for a in settled
            ):
                return True
            # "Do the capsules make you put on weight? That scares me." Round 11: or hearsay told after the
            # question ("Do these jabs cause muscle pain? I heard it from my cousins"), in a sentence that
            # tells no experience of the patient's own.
            if asks(here) and any(
                sentence[w.start] == here + 1
                and (w in worry or not any(sentence[e.start] == here + 1 for e in told))
                for w in worries
            ):
                return True
            # "Could the pen make my hair fall out? Asking before anything happens."
            return asks(here) and any(
                (sentence[m.start] == here + 1 or (sentence[m.start] == here and h.end <= m.start))
                and not any(h.end <= k < m.start for k in contrasts)
                for m in markers
            )

        # A link to the treatment ("if I get a rash AFTER THE JAB") is dropped only beside "it hasn't
        # happened"; and only a dropped finding makes the clear deliberate. Round 11: not otherwise, for the
        # link is what keeps a recurrence in review ("si je vomis encore après le comprimé comme hier ?",
        # "wenn mir wieder so schwindelig wird wie nach der letzten Spritze?"), which no cue marks yet.
        findings = ("symptom", "problem", "body", "review_symptom", "revealing", "own_body")
        found = _drop(by_cat, findings, untold)
        _drop(by_cat, _FIGURE_MASKED, untold)
        if markers:
            found = _drop(by_cat, ("link",), untold) or found
        return found

    @staticmethod
    def _pre_existing(by_cat: dict[str, list[Hit]], sentence: list[int]) -> bool:
        """Masks a finding the patient had before the treatment and says is unchanged or long over (round
        10): "had eczema on my hands for years, no worse since the tablets", "el hormigueo de cuando me
        diagnosticaron, ni mejor ni peor", "vor der Therapie hatte ich oft Kopfweh, ist schon vor Jahren
        weg". A
        finding counts when its sentence has both a pre-treatment word and an unchanged (or over) word, with
        no contrast word between the finding and the pre-treatment word ("had psoriasis for years, no worse,
        but since the shot a new rash" stays; "I used to get nosebleeds, but that's long gone" does not).
        Whether it masked any. Seriousness cues and care are never masked this way."""
        before = by_cat.get("pre_existing", [])
        # "the same as before" is also a treatment that does nothing: only "no worse" or "long over" count.
        same = by_cat.get("no_worse", [])
        if not before or not same:
            return False
        contrasts = [c.start for c in by_cat.get("contrast", [])]

        def apart(*starts: int) -> bool:
            return any(min(starts) < k < max(starts) for k in contrasts)

        def old(h: Hit) -> bool:
            here = sentence[h.start]
            return any(
                sentence[b.start] == here and sentence[u.start] == here and not apart(h.start, b.start)
                for b in before
                for u in same
            )

        found = _drop(by_cat, _FIGURE_MASKED, old)
        _drop(by_cat, ("link",), old)  # "... no worse SINCE THE TABLETS"
        return found

    @staticmethod
    def _settled(
        by_cat: dict[str, list[Hit]], sentence: list[int], is_negated: Callable[[Hit], bool]
    ) -> bool:
        """Masks the findings an already reported event's resolution settles; whether it masked any."""
        resolved = [
            r
            for cat in ("improvement", "all_clear", "reassurance", "resolved")
            for r in by_cat.get(cat, [])
            if not is_negated(r)
        ]
        contrasts = [c.start for c in by_cat.get("contrast", [])]

        # Round 10: the resolution may open the next sentence ("That patch I sent a photo of? Gone.").
        def settled(h: Hit) -> bool:
            return any(
                sentence[h.start] <= sentence[r.start] <= sentence[h.start] + 1
                and r.start >= h.end
                and not any(h.end <= k < r.start for k in contrasts)
                for r in resolved
            )

        # Round 11: ... and a link to the treatment told with it ("the swelling AFTER THE FIRST SHOT that I
        # reported never came back") is part of that old report.
        return _drop(by_cat, (*_FIGURE_MASKED, "care", "link"), settled)

    @staticmethod
    def _improved_clauses(
        by_cat: dict[str, list[Hit]], breaker: list[bool], tokens: list[Token]
    ) -> list[bool]:
        """Per token: is it in a clause that says something got better since the treatment? Empty when
        the rule does not apply (no treatment word, treatment stopped, a situation or a serious cue)."""
        cues = by_cat.get("improvement", [])
        # Round 10: a word that is also "became" ("gone") followed by its complement in the clause ("ear's
        # gone muffled", "eyes have gone a bit yellow") tells of a change for the worse, not an improvement;
        # a longer improvement term ("gone away", "gone completely") keeps its meaning.
        becoming = {(h.start, h.end) for h in by_cat.get("becoming", [])}
        cues = [
            c
            for c in cues
            if not (
                (c.start, c.end) in becoming
                and c.end < len(tokens)
                and tokens[c.end].kind == "w"
                and not breaker[c.end]
                and not any(o.start == c.start and o.end > c.end for o in by_cat.get("improvement", []))
            )
        ]
        if (
            not cues
            or not by_cat.get("treatment")
            or any(by_cat.get(cat) for cat in ("stopped", "situation", "serious"))
        ):
            return []
        clause = [0] * (len(breaker) + 1)
        for i in range(1, len(breaker) + 1):
            clause[i] = clause[i - 1] + breaker[i - 1]
        better = {clause[c.start] for c in cues}
        return [clause[i] in better for i in range(len(breaker))]

    def _decide(
        self, text: str, tokens: list[Token], hits: list[Hit], primary: str | None, reported: str
    ) -> tuple[ScreenResult, str]:
        """The lexicon's decision, and why a clear is deliberate: ASIDE (findings set aside as someone
        else's, or a plain all-clear answer: the score never reopens it), DENIED (denied findings or an
        in-range value: only a strong score reopens it) or "" (not deliberate)."""
        n = len(tokens)
        by_cat: dict[str, list[Hit]] = {}
        for hit in hits:
            by_cat.setdefault(hit.label.category, []).append(hit)

        # Figures of speech mask what they contain, unless the same clause ties them to the treatment:
        # "my heart skipped a beat when I took the pill" is not the figure "... when I saw the bill".
        benign = self._untied_figures(tokens, by_cat)
        figured_words = False  # round 11: a figure of speech masked a finding
        # Round 11: a finding set aside by a figure of speech, a non-medical cause of its clause, a symptom
        # said to have decreased or a count smaller than before makes the clear deliberate like a denial: only
        # a strong score reopens it (before, any score over the threshold put such a message in review). An
        # improvement or a sentence "as always" does so only where it cannot be lack of efficacy or a loss
        # (round11-review, below). A bare loss cue is no finding here ("lost my job because of it").
        masked_by_rule = False
        if benign:
            # Round 11: a seriousness term ending inside the figure is part of it ("I nearly DIED laughing").
            def masked(h: Hit) -> bool:
                return any(
                    (b.start <= h.start and h.end <= b.end)
                    or (h.label.category == "serious" and h.start < b.start < h.end <= b.end)
                    for b in benign
                )

            for cat in _SIGNAL_CATEGORIES | {"neg_before", "neg_after"}:
                if cat in by_cat:
                    kept = [h for h in by_cat[cat] if not masked(h)]
                    figured_words = figured_words or (cat in _FINDINGS and len(kept) < len(by_cat[cat]))
                    if cat in _FIGURED_FINDINGS and len(kept) < len(by_cat[cat]):
                        masked_by_rule = True
                    by_cat[cat] = kept

        breaker = [tok.kind == "p" for tok in tokens]
        for hit in by_cat.get("breaker", []):
            breaker[hit.start] = True
        sentence_end = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            sentence_end[i] = (
                i if (tokens[i].kind == "p" and tokens[i].forms[0] in SENTENCE_PUNCT) else sentence_end[i + 1]
            )

        # Round 11: a person found on the floor ("found him on the floor", "l'ai retrouvé allongé", "لقيته
        # واقع") is a collapse: serious. An object or the medicine named before it, in its sentence or the
        # one before, is what was found ("the pen fell, I found it on the floor").
        if "found_down" in by_cat:
            by_cat.setdefault("serious", []).extend(_found_down(tokens, by_cat))
        # A product-defect word next to a body part, with no treatment word in the clause, is an injury:
        # "s'est cassé le bras", "brazo quebrado", "cracked lips" are not quality complaints.
        self._injuries(by_cat, breaker)
        # Round 10 (spec-what2): a defect word whose clause names a document and no treatment ("prescription
        # runs out", "Rezept läuft aus", "co-pay card expired") is paperwork, not a product problem.
        documents = by_cat.get("document", [])
        if documents and by_cat.get("situation"):
            paper = [0] * (n + 1)
            for i in range(1, n + 1):
                paper[i] = paper[i - 1] + breaker[i - 1]
            papered = {paper[d.start] for d in documents} - {
                paper[t.start]
                for t in by_cat.get("treatment", [])
                if not any(d.start <= t.start < d.end for d in documents)
            }
            by_cat["situation"] = [
                h
                for h in by_cat["situation"]
                # Round 11: ... nor a document that "doesn't work" ("discount code not working", "le code ne
                # marche plus"): no lack of efficacy either.
                if h.label.payload not in _PAPER_SITUATIONS or paper[h.start] not in papered
            ]

        clause = [0] * (n + 1)
        for i in range(1, n + 1):
            clause[i] = clause[i - 1] + breaker[i - 1]
        _spoiled_food(by_cat, clause)
        _values_not_numbers(by_cat, tokens, clause)
        # Round 11: an exposure word right after a treatment word names where the dose goes ("the injection
        # IN THE EYE", "a injeção no olho"): the route, not an accidental exposure, unless a child or pet is
        # named.
        dose_ends = {t.end for t in by_cat.get("treatment", [])}
        if dose_ends and by_cat.get("situation") and not by_cat.get("exposure_subject"):
            by_cat["situation"] = [
                h
                for h in by_cat["situation"]
                if h.label.payload != "accidental_exposure" or h.start not in dose_ends
            ]
        # "my heart races like a horse", "comme un chien": an animal after a comparison word is an image,
        # not the subject of what follows.
        comparisons = by_cat.get("comparison", [])
        if comparisons and by_cat.get("other"):
            by_cat["other"] = [
                h
                for h in by_cat["other"]
                if not any(
                    0 <= h.start - c.end <= 2 and clause[c.start] == clause[h.start] for c in comparisons
                )
            ]
        # A clause whose cause is plainly not medical ("this series makes me nauseous", "the paperwork gives
        # me a headache", "le match m'a filé des palpitations") is a figure of speech, unless the same clause
        # names the treatment. Seriousness cues, care and special situations are never masked this way.
        causes = by_cat.get("figure_cause", [])
        if causes:
            treated = {clause[t.start] for t in by_cat.get("treatment", [])}
            # Round 10: a link to the treatment in the sentence ("my boss noticed I'm dizzy SINCE THE
            # TREATMENT") ties the whole sentence: no figure there.
            in_sentence = [0] * (n + 1)
            for i in range(1, n + 1):
                in_sentence[i] = in_sentence[i - 1] + (sentence_end[i - 1] == i - 1)
            tied = {
                in_sentence[start]
                for start, _ in treatment_links(
                    by_cat.get("link", []),
                    by_cat.get("treatment", []),
                    by_cat.get("filler", []),
                    in_sentence,
                    self.settings["link_window"],
                )
            }
            figured = {clause[c.start] for c in causes if in_sentence[c.start] not in tied} - treated
            # Round 10 (spec-what2): a clause that opens with a causative ("..., makes me want to throw up",
            # "..., dá-me vómitos") has the figured clause before it, in the same sentence, as its subject.
            for v in sorted(by_cat.get("figure_verb", []), key=lambda h: h.start):
                c = clause[v.start]
                first = v.start
                while first > 0 and clause[first - 1] == c:
                    first -= 1
                opens = all(tokens[i].kind != "w" for i in range(first, v.start))
                if opens and c - 1 in figured and c not in treated and in_sentence[v.start] not in tied:
                    figured.add(c)
            if figured:
                # ... not a finding whose own longer term holds the cause ("lost my job because of it"): the
                # lexicon wrote that term as a finding, so only the mask stays, not the deliberate clear.
                masked_by_rule = masked_by_rule or any(
                    clause[h.start] in figured
                    and not any(
                        h.start <= c.start and c.end <= h.end and h.end - h.start > c.end - c.start
                        for c in causes
                    )
                    for cat in _FIGURED_FINDINGS
                    for h in by_cat.get(cat, [])
                )
                _drop(by_cat, _FIGURE_MASKED, lambda h: clause[h.start] in figured)
                # "addicted to this app", "süchtig nach euren Rezepten": an addiction word whose object is
                # plainly not a medicine is a figure too (the only situation masked this way).
                if "situation" in by_cat:
                    by_cat["situation"] = [
                        h
                        for h in by_cat["situation"]
                        if h.label.payload != "misuse_abuse" or clause[h.start] not in figured
                    ]

        # Said about someone who is plainly not the patient ("the dog threw up"): not an adverse event of
        # the patient. Special situations are kept ("the dog ate a tablet" is an exposure).
        # Another person named plainly ("my husband has the flu", "ma mère est à l'hôpital") is not the
        # patient either, unless the message speaks of the treatment or a special situation: a caregiver
        # writing about the patient ("my son threw up after his shot") still escalates.
        # Seriousness cues and care are kept: a relative may be the patient ("my dad had a stroke").
        # Round 8: a relative said plainly not to be the patient ("he's not on anything from you", "so I'll be
        # late with the form") loses the carer's benefit of the doubt: their seriousness and care are theirs
        # too, and a treatment word inside that very phrase ("none of your meds") names no treatment.
        not_patient = by_cat.get("not_patient", [])

        def in_not_patient(h: Hit) -> bool:
            # Round 10: the treatment word that ends such a phrase belongs to it ("she's not on any of your
            # MEDS", "il ne prend aucun de CES TRAITEMENTS", "no toma ninguno de SUS MEDICAMENTOS"): at most
            # two words after it, in its clause.
            return any(
                p.start <= h.start
                and (h.end <= p.end or (h.start - p.end <= 2 and clause[p.start] == clause[h.start]))
                for p in not_patient
            )

        first_person = by_cat.get("first_person", [])
        own_treatment = _own_treatments(by_cat, clause, primary)
        asked_ends = {h.end for h in by_cat.get("use_question", [])}  # "can I TAKE my tablets?"
        people = (
            by_cat.get("other_person", [])
            if not any(
                not in_not_patient(h)
                and not (cat == "treatment" and h in own_treatment)
                and not (cat == "exposure_verb" and h.start in asked_ends)
                # Round 11: an eating verb with no child or pet to swallow a medicine ("my husband has
                # diarrhoea from something he ATE") tells of no exposure.
                and not (cat == "exposure_verb" and not by_cat.get("exposure_subject"))
                # Round 9: "the only new thing is the Xyz" points at a treatment the lexicon may not know by
                # name: a relative's findings beside it are the carer's report, kept like a treatment word.
                for cat in ("treatment", "situation", "exposure_verb", "praise", "suspicion")
                for h in by_cat.get(cat, [])
            )
            else []
        )
        window = self.settings["other_window"]
        # Round 8: "also" ("my neighbour ALSO has psoriasis", "mi vecina TAMBIÉN", "meine Nachbarin AUCH")
        # breaks a negation's reach but not who the clause is about.
        subject_breaker = list(breaker)
        for hit in by_cat.get("additive", []):
            for i in range(hit.start, hit.end):
                if tokens[i].kind != "p":
                    subject_breaker[i] = False
        about_pet = other_subject_scope(by_cat.get("other", []), first_person, subject_breaker, window)
        # "my husband SAYS I was talking nonsense": what follows a reporting verb may be about the patient.
        about_person = other_subject_scope(
            people, [*first_person, *by_cat.get("reporting", [])], subject_breaker, window
        )
        # People outside the household ("my neighbour", "mi jefe", "ma collègue") are almost never the patient
        # a caregiver writes about: even their hospital stay or stroke is set aside, whatever else the message
        # says ("my neighbour is in hospital, I'll pick up my pills later"). Calling for help is the
        # exception: a friend who "called the ambulance" called it for the patient. Only the message's own
        # language says who "I" is: English "im" is not German "im" ("im Krankenhaus").
        own_first_person = [h for h in first_person if primary is None or h.label.lang in (primary, COMMON)]
        outsiders = by_cat.get("outsider", [])
        stoppers = [*own_first_person, *by_cat.get("reporting", [])]
        near_scope = other_subject_scope(outsiders, stoppers, subject_breaker, window)
        # Round 11: an outsider who takes or uses a medicine of their own ("my neighbour TAKES another
        # medicine for it and got muscle pains, can that happen to me?") goes on telling their story over a
        # comma or an "and", up to the end of the sentence, a contrast word or a word of the patient's own,
        # within twice the window.
        users = [
            o
            for o in outsiders
            if any(
                0 <= u.start - o.end <= 2 and not any(subject_breaker[o.end : u.start])
                for u in by_cat.get("use_verb", [])
            )
        ]
        outsider_breaker = [sentence_end[i] == i for i in range(n)]
        for hit in by_cat.get("contrast", []):
            outsider_breaker[hit.start] = True
        far_scope = other_subject_scope(users, stoppers, outsider_breaker, 2 * window)

        def outsider_scope(start: int, end: int) -> bool:
            return near_scope(start, end) or far_scope(start, end)

        rescues = by_cat.get("rescue", [])

        def about_outsider(start: int, end: int) -> bool:
            helped = any(r.start < end and start < r.end for r in rescues)
            return not helped and outsider_scope(start, end)

        # Round 11: another person's other medicine ("my brother is on another treatment", "صاحبتي بتاخد دوا
        # تاني"): a situation another person's story may hold (their other drug, its off-label use) inside a
        # not-the-patient phrase, told of that person, is theirs, not an interaction of the patient's.
        if not_patient and by_cat.get("situation"):
            by_cat["situation"] = [
                h
                for h in by_cat["situation"]
                if not (
                    h.label.payload in _OTHERS_SITUATIONS
                    and in_not_patient(h)
                    and (about_person(h.start, h.end) or about_outsider(h.start, h.end))
                )
            ]

        # Round 10: the patient's own "and now I have it too" ("moi aussi", "yo también la tengo", "ich auch",
        # "انا كمان") after another person's finding makes that finding the patient's as well: an additive
        # word beside a first-person word of the patient's own (not "my DAD has one too"), in a clause that
        # neither reassures nor denies ("I'm fine too"), keeps the findings told before it.
        person_starts_here = {h.start for cat in ("other_person", "outsider") for h in by_cat.get(cat, [])}
        additives = by_cat.get("additive", [])
        calm = [  # "as WELL" is no reassurance
            h.start
            for cat in ("reassurance", "self_contrast", "all_clear", "neg_before", "neg_after", "neg_answer")
            for h in by_cat.get(cat, [])
            if not any(a.start <= h.start and h.end <= a.end for a in additives)
        ]
        shared_before = max(
            (
                a.start
                for a in additives
                if not any(a.start - 4 <= c <= sentence_end[a.start] for c in calm)
                # "me too", not "I also have to work today"; round 11: or where the patient has it ("j'en ai
                # moi aussi SUR LES BRAS", "ich hab das jetzt auch AM HALS"): a body part in a short rest
                and (
                    _words_after(tokens, breaker, a.end) <= 2
                    or (
                        _words_after(tokens, breaker, a.end) <= 5
                        and any(
                            b.start >= a.end and not any(breaker[a.end : b.start])
                            for b in by_cat.get("body", [])
                        )
                    )
                )
                and any(
                    abs(f.start - a.start) <= 4
                    and not any(
                        tokens[k].kind == "p" for k in range(min(f.start, a.start), max(f.end, a.end))
                    )
                    and f.end not in person_starts_here
                    for f in own_first_person
                )
            ),
            default=-1,
        )

        set_aside = False
        strangers = False  # round 8: a pet's or an outsider's findings were set aside (never reopened)
        # read before the loop: link words are signals set aside too. An exception ("nothing new except the
        # Xyz") names something new beside the relative's findings, like a link word (round 7).
        linked = bool(by_cat.get("link")) or bool(by_cat.get("exception"))
        for cat in _SIGNAL_CATEGORIES - {"situation"}:
            if cat in by_cat:
                # Round 9: a relative's out-of-range result ("Dad's INR was 6.2", "my son's neutrophils are
                # 0.6") is kept like their care: a carer quotes the numbers of the patient they look after.
                keep_people = cat in ("serious", "care", "measure") and not not_patient
                kept = [
                    h
                    for h in by_cat[cat]
                    if not about_pet(h.start, h.end)
                    and (
                        h.end <= shared_before
                        or (
                            not about_outsider(h.start, h.end)
                            and (keep_people or not about_person(h.start, h.end))
                        )
                    )
                ]
                if len(kept) < len(by_cat[cat]):
                    dropped = [h for h in by_cat[cat] if h not in kept]
                    # A relative's findings in a message with a link word ("my mum has cramps since she
                    # takes the Xyz") may be a carer's report about a medicine the lexicon does not know by
                    # name: set aside, but not a deliberate clear, so the score may still put it in review.
                    # Without a link word, and for pets and outsiders, the clear stays deliberate.
                    relative_only = linked and all(
                        not about_pet(h.start, h.end) and not about_outsider(h.start, h.end) for h in dropped
                    )
                    set_aside = set_aside or not relative_only
                    strangers = strangers or any(
                        about_pet(h.start, h.end) or about_outsider(h.start, h.end) for h in dropped
                    )
                by_cat[cat] = kept

        # Round 11: the other medicine of an outsider who takes one, or its lack of effect ("my neighbour
        # takes ANOTHER MEDICINE for it") is theirs, like their findings.
        if by_cat.get("situation"):
            theirs = [
                h
                for h in by_cat["situation"]
                if h.label.payload in _OTHERS_SITUATIONS
                and far_scope(h.start, h.end)
                and not any(r.start < h.end and h.start < r.end for r in rescues)
            ]
            if theirs:
                by_cat["situation"] = [h for h in by_cat["situation"] if h not in theirs]
                set_aside = strangers = True

        # Efficacy: a symptom said to be better since the treatment ("heart's much calmer since starting", "a
        # dor nas costas melhorou desde que comecei") is what the medicine is for, and reads like praise. Not
        # when the treatment was stopped ("better since I stopped the pills" is a positive dechallenge).
        # Round 11 (round11-review): a symptom better since the treatment, or a small count beside good news,
        # is efficacy like a decrease: the clear it leaves is deliberate (`masked_by_rule`). Not when an
        # improvement word is also a loss word ("ya no", "راح" may tell of a function lost or a dose gone).
        improved = self._improved_clauses(by_cat, breaker, tokens)
        if improved:
            losses = [h for cat in ("loss_cue", "loss_after") for h in by_cat.get(cat, [])]
            plain_better = not any(
                h.start < k.end and k.start < h.end for h in by_cat.get("improvement", []) for k in losses
            )
            if _drop(by_cat, ("symptom", "problem", "body"), lambda h: improved[h.start]) and plain_better:
                masked_by_rule = True
            _drop(by_cat, ("care",), lambda h: improved[h.start])

        # Round 11: the indication. An illness named right after "take it for", "prescribed it for" or "anyone
        # with" ("I take it for depression", "I'd recommend it to anyone with anxiety") is what the treatment
        # is for, not an event; a list of such words ("for OCD and depression") shares the cue. Only symptom
        # words: seriousness cues and special situations are never dropped, and the next clause ("... and
        # now I have headaches") is not reached.
        indications = by_cat.get("indication", [])
        if indications and by_cat.get("symptom"):
            by_cat["symptom"] = _drop_indicated(by_cat["symptom"], indications, tokens, breaker)

        # "only 1 migraine this month, best in years": a small count of a symptom beside good news
        # (a reassurance, praise or all-clear word) is efficacy. Seriousness cues are never masked.
        few = by_cat.get("few", [])
        if (
            few
            and by_cat.get("symptom")
            and any(by_cat.get(c) for c in ("reassurance", "praise", "all_clear"))
        ):
            if _drop(
                by_cat,
                ("symptom",),
                lambda h: any(0 <= h.start - f.end <= 2 or 0 <= f.start - h.end <= 1 for f in few),
            ):
                masked_by_rule = True

        # Round 7: a count that fell over a period ("from 12 to 3 migraine days a month") is efficacy, and a
        # sentence saying the illness is as it always was ("MS fatigue as always, nothing new") names no
        # new finding when it names no treatment: both mask what figures of speech mask, in their sentence.
        # Round 11: both leave a deliberate clear (a strong score still reopens it); "as always" only in a
        # message that does not talk of the treatment (below).
        sentence = [0] * (n + 1)
        for i in range(1, n + 1):
            sentence[i] = sentence[i - 1] + (sentence_end[i - 1] == i - 1)
        if self._not_me(by_cat, sentence, clause, primary):
            set_aside = True
        # Round 10 (spec-what2): a symptom said to have decreased ("the joint pain has halved", "die
        # Schmerzen sind deutlich weniger geworden", "a dor diminuiu bastante") is efficacy, whether or not
        # the treatment is named by a known word: the symptom comes before the decrease word in its sentence.
        # Not for a function, a vital sign or a measurement ("appetite decreased", "blood pressure dropped"
        # are findings), nor with a seriousness cue, a special situation or a stopped treatment.
        decreases = by_cat.get("decrease", [])
        eased: list[Hit] = []
        if decreases and not any(by_cat.get(cat) for cat in ("stopped", "situation", "serious")):
            lowered = {sentence[d.start] for d in decreases}
            lowered -= {
                sentence[h.start] for cat in ("function", "vital", "measure") for h in by_cat.get(cat, [])
            }
            contrasts = [c.start for c in by_cat.get("contrast", [])]
            # "the patches are STILL there, BUT much paler": a contrast after a persistence word opens the
            # decrease itself; any other contrast between the symptom and the decrease separates them.
            still = [p.start for p in by_cat.get("persistence", [])]

            def decreased(h: Hit) -> bool:
                return sentence[h.start] in lowered and any(
                    d.start >= h.end
                    and sentence[d.start] == sentence[h.start]
                    and all(
                        # Round 11: the persistence word may open the sentence ("STILL my migraines, twice a
                        # month, BUT much milder").
                        any(p <= k and sentence[p] == sentence[h.start] for p in still)
                        for k in contrasts
                        if h.start < k < d.start
                    )
                    for d in decreases
                )

            eased = [h for h in by_cat.get("symptom", []) if decreased(h)]
            if eased:
                if _drop(by_cat, ("symptom", "problem"), decreased):
                    masked_by_rule = True
                # ... and the body part that symptom names ("a dor NAS COSTAS diminuiu"); a body part alone
                # ("my vision has decreased", "my hair has halved") stays a signal.
                _drop(by_cat, ("body",), lambda h: decreased(h) and any(e.start <= h.start for e in eased))

        fewer = fewer_counts(tokens, by_cat, sentence) | fewer_than_before(tokens, by_cat, sentence)
        quiet = fewer | baseline_sentences(by_cat, sentence)
        if fewer and _drop(by_cat, _FIGURED_FINDINGS, lambda h: sentence[h.start] in fewer):
            masked_by_rule = True
        # ... and a finding said to be as it always was, in a message that names no treatment, use, stop,
        # persistence or measured value anywhere ("spritz wie immer", "toujours là avec le X" may tell of a
        # treatment that does nothing: those stay openable).
        steady = quiet - fewer
        if steady:
            said = {i for c in by_cat.get("baseline", []) for i in range(c.start, c.end)}  # "nada de NOVO"
            if not any(h.start not in said for cat in _TREATMENT_TALK for h in by_cat.get(cat, [])) and any(
                sentence[h.start] in steady for cat in _FIGURED_FINDINGS for h in by_cat.get(cat, [])
            ):
                masked_by_rule = True
        if quiet:
            _drop(by_cat, _FIGURE_MASKED, lambda h: sentence[h.start] in quiet)
        # Round 8: a stay or an operation long ago ("I had an operation on my knee ten years ago", "me
        # operaron hace diez años") is history, not a serious event now, when its sentence names no treatment,
        # link word or special situation. Not a deliberate clear: the score may still reopen it.
        long_ago = {sentence[h.start] for h in by_cat.get("long_ago", []) if not in_not_patient(h)}
        if long_ago:
            tied = {
                sentence[h.start] for cat in ("treatment", "link", "situation") for h in by_cat.get(cat, [])
            }
            history = long_ago - tied
            for cat in ("serious", "care"):
                if cat in by_cat:
                    by_cat[cat] = [h for h in by_cat[cat] if sentence[h.start] not in history]

        # Round 9: a stated non-medical cause ("twisted my ankle at football", "resaca después de la boda",
        # "Muskelkater vom Klettern", "queimei-me no forno") is the cause of what its sentence tells, unless
        # that sentence ties something to the treatment ("since the shot") or a finding shares a clause with a
        # treatment word, or a contrast word ("but") stands between the cause and the finding. Masks what
        # figures of speech mask; seriousness, care and special situations stay. A clear explained this way is
        # deliberate like a denial: only a strong score reopens it.
        explained, set_apart = self._other_causes(by_cat, sentence, clause, primary)
        # Round 10: the illness said to be unchanged or as it was before the treatment ("had eczema for years,
        # no worse since the tablets", "les mêmes qu'au diagnostic", "ni mejor ni peor"), names no new finding
        # in its sentence; same limits as a stated cause. Seriousness, care and situations stay.
        # Round 11: the illness as it was (unchanged, from before the treatment, already reported and over,
        # still there while the treatment has time to work) is told by the patient about their own illness: a
        # clear that only these rules explain is deliberate like an all-clear (the score, which sees the
        # symptom words, does not reopen it). A stated cause or a hypothetical stays a denial.
        as_before = self._unchanged(by_cat, sentence)

        # Round 10: a finding from before the treatment, unchanged or long over, is no new finding.
        as_before = self._pre_existing(by_cat, sentence) or as_before
        explained = explained or as_before

        # Round 9: "never ... before / until" ("I had never had a panic attack until I started it", "jamais
        # eu d'insomnie avant") tells of something new: such a cue negates nothing.
        _drop_novel_never(by_cat, clause)
        joined = [_and_joined(tok) for tok in tokens]
        negated = build_negation(by_cat, breaker, primary, self.settings, joined=joined)
        # Praise of the treatment's effect ("it's working great") reads "no more migraines since I started"
        # as efficacy: negation is then taken literally, and weak signals are reassured.
        praised = any(not negated(h) for h in by_cat.get("praise", [])) or bool(improved) or bool(eased)
        if praised:
            punctuation = [tok.kind == "p" for tok in tokens]
            negated = build_negation(by_cat, punctuation, primary, self.settings, literal=True, joined=joined)

        def is_negated(h: Hit) -> bool:
            return negated(h)

        # Round 8: the doctor's words followed by good news in the same clause ("a médica disse que estou
        # ótima", "the doctor said all looks fine") are no care-seeking: such a care term (one that holds a
        # reporting word) is dropped. Seriousness cues are never dropped this way.
        reported_words = by_cat.get("reporting", [])
        good_news = [
            g
            for cat in ("reassurance", "all_clear", "praise")
            for g in by_cat.get(cat, [])
            if not is_negated(g)
        ]
        # Round 9: a routine check quoted with its value and good news ("BP 128/80 at the clinic, all
        # normal"): the care term in the sentence of a measurement is no care-seeking (an out-of-range value
        # is a finding by itself). Seriousness cues are never dropped.
        measured_sentences = {sentence[h.start] for h in by_cat.get("measure", [])}
        if measured_sentences and good_news and by_cat.get("care"):
            by_cat["care"] = [h for h in by_cat["care"] if sentence[h.start] not in measured_sentences]
        # Round 11: a test done and told with good news ("had my bloods done, liver and kidneys fine", "prise
        # de sang faite, tout est normal"): a care term that names a test, followed in its sentence by good
        # news, in a sentence with no finding, is no care-seeking. Seriousness stays.
        if good_news and by_cat.get("care") and by_cat.get("vital"):
            vitals = by_cat["vital"]
            findings = {
                sentence[h.start]
                for cat in ("symptom", "problem", "serious", "situation")
                for h in by_cat.get(cat, [])
                if not is_negated(h) and not any(v.start <= h.start and h.end <= v.end for v in vitals)
            }
            by_cat["care"] = [
                h
                for h in by_cat["care"]
                if not (
                    sentence[h.start] not in findings
                    and any(h.start <= v.start and v.end <= h.end for v in vitals)
                    and any(g.start >= h.end and sentence[g.start] == sentence[h.start] for g in good_news)
                )
            ]
        if reported_words and good_news and by_cat.get("care"):
            by_cat["care"] = [
                h
                for h in by_cat["care"]
                if not (
                    any(h.start <= r.start and r.end <= h.end for r in reported_words)
                    and any(g.start >= h.end and clause[g.start] == clause[h.start] for g in good_news)
                )
            ]

        # Round 10 (spec-what2): a test or visit put in the diary ("blood test on Thursday at 8, fasting",
        # "Blutabnahme am Dienstag", "IRM de contrôle annuelle") is a routine appointment, not care sought for
        # an event: its care term is dropped when its sentence tells nothing else (no finding, measurement,
        # special situation or link to the treatment). Seriousness cues are never dropped.
        diary = {sentence[h.start] for h in by_cat.get("scheduled", [])}
        if diary and (by_cat.get("care") or by_cat.get("vital")):
            tests = [h for cat in ("care", "vital") for h in by_cat.get(cat, [])]

            def inside(h: Hit) -> bool:  # "análisis de SANGRE": a word inside the test's name is no finding
                return any(
                    t.start <= h.start and h.end <= t.end and t.end - t.start > h.end - h.start for t in tests
                )

            told = ("symptom", "problem", "serious", "measure", "situation", "link", "negated_symptom")
            busy = {
                sentence[h.start]
                for cat in told
                for h in by_cat.get(cat, [])
                if cat == "serious" or not inside(h)
            }
            routine = diary - busy
            if routine:
                _drop(by_cat, ("care",), lambda h: sentence[h.start] in routine)
                _drop(by_cat, ("symptom", "problem"), lambda h: sentence[h.start] in routine and inside(h))

        # Round 9: an event already reported ("I told the nurse about the rash last month", "c'était déjà
        # déclaré", "schon gemeldet") and said to be over ("it's all cleared up", "ya pasó", "ist weg") is an
        # update of a known report: a finding followed in its sentence by a resolution word (improvement,
        # all-clear or reassurance, not negated, no contrast word between) is dropped. Seriousness stays.
        if any(not is_negated(h) for h in by_cat.get("reported_before", [])):
            as_before = self._settled(by_cat, sentence, is_negated) or as_before

        # Round 9: the illness still there while the treatment is given the time it needs ("still my patches
        # on the elbows, the doctor says it takes 12 weeks to work", "a dor continua igual, leva 3 meses pra
        # pegar"): with a wait cue in the message, a sentence that says the illness is still there names no
        # new finding and no lack of efficacy yet, unless it ties something to the treatment or a contrast
        # word stands between; the doctor's words in the wait's sentence are no care-seeking.
        if any(not is_negated(h) for h in by_cat.get("onset_wait", [])):
            as_before = self._too_early(by_cat, sentence, clause) or as_before

        # Round 8: a moderate weight loss told as good news ("lost 3 kilos this month, the doctor is pleased",
        # "bajé 2 kilos, el médico está contento") is the expected effect of a weight-loss product, not a
        # finding: a symptom term that starts with an `expected_effects` word and counts at most 5 kilos or 10
        # pounds (the count may come just before it: "4 Kilo abgenommen") is dropped when the message has
        # good news and names no other person ("my daughter lost 3 kilos" is not this). Without good news, or
        # with a larger loss, it stays a finding.
        losses = by_cat.get("expected_effect", [])
        if losses and good_news and not by_cat.get("other_person") and by_cat.get("symptom"):
            starts = {h.start for h in losses}
            # Round 11: such a clear is deliberate like the other masks (only a strong score reopens it).
            if _drop(
                by_cat,
                ("symptom",),
                lambda h: h.start in starts and _moderate_loss(tokens[max(0, h.start - 2) : h.end]),
            ):
                masked_by_rule = True

        # General information questions neutralise the rest of their sentence.
        zones: list[tuple[int, int]] = []
        # An experience marker in a clause that denies ("hab nix getrunken", "bei mir nicht", "I haven't taken
        # any") tells of no experience: it does not keep a question reportable.
        denying = {
            clause[h.start] for cat in ("neg_before", "neg_after", "neg_answer") for h in by_cat.get(cat, [])
        }
        # Round 9: "if I'm on it", "si estoy con", "wenn ich" is no experience, nor is a word inside a hearsay
        # phrase ("hab das im Forum gelesen", "lo leí en el prospecto") or a possessive before a person.
        conditional_ends = {h.end for h in by_cat.get("conditional", [])}
        # "MEINE Schwester": a possessive that marks experience ("meine Haut") before a person is theirs.
        person_starts = {h.start for h in by_cat.get("other_person", [])}
        hearsay = by_cat.get("hearsay", [])
        experience = [
            e
            for e in by_cat.get("experience", [])
            if clause[e.start] not in denying
            and e.start not in conditional_ends
            and e.end not in person_starts
            and not any(s.start <= e.start and e.end <= s.end for s in hearsay)
        ]
        # Round 9: already taking it ("I've been taking both", "ya las estoy tomando") tells of a use too.
        experience += [u for u in by_cat.get("current_use", []) if clause[u.start] not in denying]
        # Round 10: what did not happen ("what do I do if I'm sick after it? hasn't happened", "j'ai peur de
        # grossir, c'est fréquent ?", "leí que da mareos, de momento nada"): a hypothetical finding is no
        # report.
        supposed = False
        if self._hypothetical(by_cat, tokens, sentence, clause, experience, primary):
            supposed = True
            # Round 11: the patient says plainly it did not happen ("nothing happened", "nichts passiert"):
            # the lexicon read the whole story, like the illness as it was.
            as_before = as_before or any(
                primary is None or h.label.lang in (primary, COMMON) for h in by_cat.get("not_happened", [])
            )
        # Round 10: hearsay or a general statement followed by the patient's own finding ("the leaflet says it
        # can cause hair loss, and MY HAIR is coming out", "la notice dit ..., et MES CHEVEUX tombent"): a
        # possessive right before the body part the hearsay named, with a finding from that body part on in
        # its clause, after a comma, tells of the patient's own body ("my skin is sensitive anyway" after "it
        # can cause rashes" does not); a question about it ("... will my hair fall out?") stays a question.
        found_starts = {h.start for cat in ("symptom", "problem") for h in by_cat.get(cat, [])}
        body_forms = {h.start: set(tokens[h.start].forms) for h in by_cat.get("body", [])}
        own_findings = [
            (p.start, body_forms[p.end])
            for p in by_cat.get("possessive", [])
            if p.end in body_forms
            and p.end not in person_starts
            and any(
                p.end <= f < sentence_end[p.start] and not any(tokens[k].kind == "p" for k in range(p.end, f))
                for f in found_starts
            )
        ]
        for q in by_cat.get("question", []):
            end = sentence_end[q.start]
            if end >= n or tokens[end].forms[0][:1] not in ("?", "؟"):
                told_own = any(
                    q.end <= o < end
                    and any(tokens[k].kind == "p" for k in range(q.end, o))
                    and any(q.start <= b < o and forms & named for b, named in body_forms.items())
                    for o, forms in own_findings
                )
                if told_own:
                    continue
            # An experience marker after the question (up to the end of the next sentence: "does it cause
            # headaches? because I have one every day"), or inside its "..." gap ("does it make ME sleepy?"),
            # keeps the sentence reportable.
            reach = sentence_end[end + 1] if end < n else n
            # The question's own subject right after its verb is no experience: "can I HAVE a beer" is not
            # "I have".
            if not any(
                e.start >= q.end and e.start < reach or q.start + 1 < e.start and e.end < q.end
                for e in experience
            ):
                zones.append((q.start, end))
        # Round 8: a practical question about using the treatment ("can I have a beer on it?", "¿puedo comer
        # toronja con esto?", "kann ich nach dem Pen in die Sauna?", "quanto tempo depois do comprimido posso
        # tomar café?") asked within the first words of a sentence that ends in a question mark, in a
        # sentence that names no finding (symptom, problem, care or seriousness word) and no experience: a
        # question before any use, neutralised like a general question. Pregnancy and breastfeeding stay
        # signals.
        use_questions = by_cat.get("use_question", [])
        leads: list[tuple[int, int]] = []
        if use_questions:
            # Round 9: a finding denied in the question ("...so it doesn't sting?") or a problem word with no
            # body part in its sentence ("حبوب" is pills as well as spots) does not make it a report.
            bodied = {sentence[h.start] for cat in ("body", "vital") for h in by_cat.get(cat, [])}
            found_in = {
                sentence[h.start]
                for cat in ("symptom", "problem", "care", "serious", "negated_serious")
                for h in by_cat.get(cat, [])
                if (cat == "negated_serious" or not is_negated(h))
                and (cat != "problem" or sentence[h.start] in bodied)
            }
            for q in use_questions:
                end = sentence_end[q.start]
                here = sentence[q.start]
                if end >= n or tokens[end].forms[0][:1] not in ("?", "؟") or here in found_in:
                    continue
                # Round 10: where its clause starts is enough ("I'm off to Spain in July, how do I carry
                # the pens?"): a finding or an experience anywhere in the sentence still keeps it reportable.
                before = [
                    tok
                    for k, tok in enumerate(tokens[: q.start])
                    if sentence[k] == here and clause[k] == clause[q.start]
                ]
                if sum(tok.kind != "p" for tok in before) > 3:
                    continue  # not where the clause starts ("¿el jarabe se puede mezclar...?" is)
                if any(sentence[e.start] == here and not (q.start <= e.start < q.end) for e in experience):
                    continue
                # Round 9: the next sentence says the patient already takes it ("can I take tramadol with
                # it? I've been taking both all week", "¿puedo tomarla con ibuprofeno? ya las estoy tomando
                # juntas"): a question after the use, not before it.
                reach = sentence_end[end + 1] if end < n else n
                if any(end < u.start < reach for u in by_cat.get("current_use", [])):
                    continue
                zones.append((q.start, end))
                # Round 10: what the question asks about may come first ("Grapefruit juice, is it safe
                # with these?", "Le pamplemousse, c'est interdit avec ... ?"): a food or drink named before it
                # in its sentence is asked about too; only that interaction ("double dose, can I ...?" stays),
                start = q.start
                while start > 0 and sentence[start - 1] == here:
                    start -= 1
                # ... unless the patient is in it ("I had a beer with my pill, can I ...?" tells of a use).
                if not any(start <= f.start < q.start for f in first_person):
                    leads.append((start, q.start))

        # Round 9: hearsay asked about ("my neighbour read that it makes hair fall out, true?", "hab gelesen,
        # dass man davon Krebs kriegt, stimmt das?"): what follows a hearsay word in a sentence that ends in a
        # question mark, with no experience of the patient's own in it, is a general question.
        for h in hearsay:
            end = sentence_end[h.start]
            here = sentence[h.start]
            if end >= n or tokens[end].forms[0][:1] not in ("?", "؟"):
                continue
            if any(sentence[e.start] == here for e in experience):
                continue
            zones.append((h.start, end))

        # "Which side effects can it give? I haven't started yet": before the first dose, symptom words are
        # a question about the future, unless the patient also tells of something they have or had.
        # Round 10: "the same as before starting" ("igual que antes de empezar", "comme avant de commencer",
        # "wie vor dem Start"): a not-started cue right after a comparison word compares the present with the
        # time before the treatment, so the patient has started; it neutralises nothing.
        # Round 11: "had it (since) before starting" ("ya lo tenía antes de empezar", "já tinha antes de
        # começar", "desde antes de empezar"): a pre-treatment or unchanged word that starts before the cue in
        # its sentence, or a link word right before it, tells of a time before the treatment, so the patient
        # has started too.
        past = [h.start for cat in ("pre_existing", "unchanged") for h in by_cat.get(cat, [])]
        since = {k.end for k in hits if k.label.category == "link"}  # read before any rule dropped them
        not_started = [
            h
            for h in by_cat.get("not_started", [])
            if not any(0 <= h.start - c.end <= 2 and clause[c.start] == clause[h.start] for c in comparisons)
            and not any(p < h.start and sentence[p] == sentence[h.start] for p in past)
            and h.start not in since
        ]
        if not_started and not any(
            not any(s.start <= e.start < s.end for s in not_started) for e in experience
        ):
            zones.append((0, n))

        def in_question(h: Hit) -> bool:
            return any(s <= h.start < e for s, e in zones)

        spans: list[tuple[int, int]] = []
        ae = False
        serious = False
        denied = False  # a finding the patient denies ("no nausea", "no trouble sleeping")
        symptom_spans: set[tuple[int, int]] = set()  # round 9: a soft case has one plain symptom word, alone
        cared = False  # round 10: care-seeking is never weak evidence
        # Round 11: a finding asked about in a general question whose sentence or the next names where it was
        # heard ("is it true these cause memory problems? saw it on Facebook", "stimmt es, dass ...? kam im
        # Fernsehen") is hearsay: a clear the score does not reopen.
        heard = {sentence[h.start] for h in by_cat.get("hearsay", [])}
        rumoured = bool(heard) and any(
            in_question(h) and bool(heard & {sentence[h.start], sentence[h.start] + 1})
            for cat in ("symptom", "problem", "care", "serious", "review_symptom")
            for h in by_cat.get(cat, [])
        )
        # ... also when the hypothetical rule already took the finding out ("hearsay told after a question").
        # The question comes first and the source after it ("stimmt es, dass ...? kam im Fernsehen").
        rumoured = rumoured or (
            supposed
            and any(q.end <= h.start for q in by_cat.get("question", []) for h in by_cat.get("hearsay", []))
            and not experience
        )
        for cat in ("symptom", "care", "serious"):
            for h in by_cat.get(cat, []):
                if is_negated(h) or in_question(h):
                    denied = denied or not in_question(h)
                    continue
                ae = True
                serious = serious or cat == "serious"
                cared = cared or cat == "care"
                if cat == "symptom":
                    symptom_spans.add((h.start, h.end))
                spans.append((h.start, h.end))
        # Wellness phrases count when negated: "I don't feel well"; "can't breathe" is serious.
        for cat in ("negated_symptom", "negated_serious"):
            for h in by_cat.get(cat, []):
                cue_start = negated.cue_start(h, wellness=True)
                if cue_start is not None and not in_question(h):
                    ae = True
                    serious = serious or cat == "negated_serious"
                    spans.append((cue_start, h.end))
        # Round 11: a problem word denied beside a body part ("the injection site is clean, not even red") is
        # a denied finding too.
        bodied_sentences = {sentence[b.start] for b in by_cat.get("body", [])}
        denied = denied or any(
            is_negated(h) and not in_question(h) and sentence[h.start] in bodied_sentences
            for h in by_cat.get("problem", [])
        )
        pairs = body_problem_pairs(
            by_cat, is_negated, in_question, sentence_end, self.settings["pair_window"]
        )
        if pairs:
            ae = True
            spans.extend(pairs)
        # Round 11: a value that whoever measured it called too high or low ("the doctor said it was high").
        judged = judged_values(by_cat, is_negated, in_question, sentence_end, self.settings["pair_window"])
        if judged:
            ae = True
            spans.extend(judged)
        # A normal function lost ("no appetite", "can't concentrate", "sex drive is gone").
        lost = loss_of_function(by_cat, is_negated, in_question, breaker, self.settings["loss_window"])
        if lost:
            ae = True
            spans.extend(lost)
        # A measurement quoted out of its range ("sugar was 45", "BP 190/115", "pulse 130").
        measured, normal_value = read_measurements(
            text,
            tokens,
            [h for h in by_cat.get("measure", []) if not in_question(h)],
            self.ranges,
            self.settings["measure_reach"],
        )
        if measured:
            ae = True
            spans.extend(measured)
        # Symptom-ish words too broad for a case ("off", "weird", "hard time"): a doubt for review.
        doubts = [
            (h.start, h.end)
            for h in by_cat.get("review_symptom", [])
            if not is_negated(h) and not in_question(h)
        ]

        # Round 11: a dose stepped down or stopped and a hard time told in the same sentence ("went down to 30
        # and it has been an awful week", "tapering off was brutal"): withdrawal in a reviewer's words, a
        # doubt. Not in a question ("will tapering be awful?").

        def asked(i: int) -> bool:
            end = sentence_end[i]
            return end < n and tokens[end].forms[0][:1] in ("?", "؟")

        steps = {
            sentence[s.start]
            for s in by_cat.get("step_down", [])
            if not is_negated(s) and not in_question(s) and not asked(s.start)
        }
        if steps:
            doubts += [
                (h.start, h.end)
                for h in by_cat.get("hard_time", [])
                if sentence[h.start] in steps and not is_negated(h) and not in_question(h)
            ]

        # Weak signals: they make an adverse event unless the message is only about a special situation.
        # "Is it normal that...?" reveals an experience; so does a patient talking about their own body
        # part ("my ankles look like balloons"), unless reassuring about it ("my back is fine").
        weak = (
            []
            if praised
            else weak_signals(by_cat, tokens, is_negated, in_question, self.settings["link_window"])
        )

        found: set[str] = set()
        # "we're thinking of trying for a baby next year", "se um dia eu quiser engravidar": a pregnancy
        # planned for later, in the same clause as a future word, is no exposure yet ("I'm 10 weeks pregnant,
        # next year I'll be a mum" is).
        planned = {clause[f.start] for f in by_cat.get("future", []) if not is_negated(f)}
        for h in by_cat.get("situation", []):
            if is_negated(h):
                # Round 10: a pregnancy or breastfeeding the patient denies ("I'm not pregnant, I only wanted
                # the leaflet", "nao to gravida") is a denial like a denied symptom: only a strong score
                # reopens the clear it leaves. Not other situations: "no noto ninguna diferencia" negates
                # its words and still tells of a lack of efficacy.
                if h.label.payload in ("pregnancy", "breastfeeding") and not in_question(h):
                    denied = True
                continue
            if in_question(h) and h.label.payload not in self.question_exempt:
                continue
            if h.label.payload == DRUG_INTERACTION and any(s <= h.start < e for s, e in leads):
                continue
            if h.label.payload in ("pregnancy", "breastfeeding") and clause[h.start] in planned:
                continue
            # Round 11: a pregnancy years ago ("ça date de ma grossesse il y a 2 ans", "my pregnancy ten years
            # ago"): a time long past right after it, in its clause, is history, no exposure now.
            if h.label.payload in ("pregnancy", "breastfeeding") and any(
                0 <= g.start - h.end <= 3 and clause[g.start] == clause[h.start]
                for g in by_cat.get("long_ago", [])
            ):
                continue
            # "pregnancy test negative, photo uploaded", "negativer Schwangerschaftstest": a negative test is
            # the routine check of a pregnancy-prevention programme, no exposure (round 8).
            if h.label.payload == "pregnancy" and any(
                sentence[r.start] == sentence[h.start]
                and (0 <= r.start - h.end <= 3 or 0 <= h.start - r.end <= 1)
                for r in by_cat.get("negative_result", [])
                if not is_negated(r)
            ):
                continue
            found.add(h.label.payload)
            spans.append((h.start, h.end))
        # "4 puffs instead of 2", "40mg statt 20": a dose count taken instead of another.
        dosed = [sp for sp in dose_instead(tokens, by_cat) if not any(s <= sp[0] < e for s, e in zones)]
        if dosed:
            found.add("medication_error")
            spans.extend(dosed)
        # Round 11: the illness or a value unmoved although the dose was raised: a lack of efficacy.
        unmoved = unmoved_despite_dose(by_cat, sentence, is_negated)
        if unmoved:
            found.add("lack_of_efficacy")
            spans.extend(unmoved)
        # Round 9: "the pharmacist said it's once a month. I've been taking one every day".
        contrary = interval_contrary(by_cat, clause, sentence, in_question)
        if contrary:
            found.add("medication_error")
            spans.extend(contrary)
        # Round 10: someone else's medicine used ("I've been taking my sister's pills", "tomo las pastillas de
        # mi hermana", "nimmt die Tabletten seiner Mutter", "بياخد دوا ابوه"): misuse, whoever tells it.
        borrowed = _borrowed(tokens, by_cat, clause, is_negated, in_question)
        if borrowed:
            found.add("misuse_abuse")
            spans.extend(borrowed)
        # Round 9: "can I take my tablets?" after a child's illness is the patient's own taking, no exposure.
        exposed = exposures(
            by_cat.get("exposure_subject", []),
            [v for v in by_cat.get("exposure_verb", []) if v.start not in asked_ends],
            by_cat.get("treatment", []),
            sentence,
            clause,
            is_negated,
        )
        if exposed:
            found.add("accidental_exposure")
            spans.extend(exposed)
        # Round 10: the patient's own medicine given to or taken by someone else ("gave him two of my Xyz
        # pens", "le di dos de mis plumas"): misuse.
        given = gifts(
            by_cat.get("gift", []),
            [t for t in by_cat.get("treatment", []) if not in_question(t)],
            by_cat.get("possessive", []),
            by_cat.get("owner_mark", []),
            clause,
            is_negated,
            self.settings["gift_window"],
        )
        if given:
            found.add("misuse_abuse")
            spans.extend(given)
        # An overdose taken on purpose ("swallowed the whole box on purpose") is self-harm: serious.
        if "overdose" in found:
            doses = [
                h for h in by_cat.get("situation", []) if h.label.payload == "overdose" and not is_negated(h)
            ]
            if any(
                sentence[i.start] == sentence[d.start] and not is_negated(i)
                for i in by_cat.get("intent", [])
                for d in doses
            ):
                ae = serious = True
        situations = tuple(s for s in SITUATIONS if s in found)
        # Tiers: a strong signal or any special situation is a case; weak signals alone are a doubt (review).
        tier = CASE if (ae or situations) else CLEAR
        if weak and (ae or not situations):
            spans.extend(weak)
            if tier == CLEAR:
                tier = REVIEW
            ae = True
        if doubts and tier == CLEAR:
            spans.extend(doubts)
            tier = REVIEW
            ae = True
        if tier == CLEAR:
            # "done, all good" / "injection faite, rien à signaler": a plain all-clear answer (not negated, no
            # "but") is a deliberate clear too; the score does not reopen it.
            # A breaker that is also a link word ("desde niña", "since childhood") does not turn it.
            links = {(h.start, h.end) for h in hits if h.label.category == "link"}
            # Round 10: only a breaker after the all-clear turns it ("all good but..."); one before it does
            # not ("3 months on the pen and not one side effect").
            cleared = [h.start for h in by_cat.get("all_clear", []) if not is_negated(h)]
            all_clear = bool(cleared) and not any(
                (h.start, h.end) not in links and h.start > min(cleared) for h in by_cat.get("breaker", [])
            )
            # So is a clear whose only findings the patient denies: the score cannot read negation reliably;
            # and one that quotes a measured value inside its range ("INR 2.4, in target", "eye pressure 15").
            # Round 8 tells the two apart: a denial or an in-range value may be reopened by a strong score.
            # Round 10: a relative's good-news life event ("my sister gave birth last week!", "mi hermano se
            # casó el sábado"), not denied or asked about, in a message that names no treatment or special
            # situation (then `people` is empty), is family news: a clear only a strong score reopens, like a
            # relative's findings set aside. "I gave birth" or "my baby was born" are not this.
            # Round 11: a measured thing said to be fine without its number ("Leberwerte passen", "bloods
            # normal"): like an in-range value.
            # The good news follows the measurement word within two words, in a clause with no number.
            numbered = {
                clause[k] for k, tok in enumerate(tokens) if tok.kind == "w" and tok.forms[0][:1].isdigit()
            }
            # ... and no negation in it ("Leberwerte passen NICHT").
            numbered |= {clause[h.start] for cat in ("neg_before", "neg_after") for h in by_cat.get(cat, [])}
            fine_value = any(
                0 <= g.start - m.end <= 2
                and clause[m.start] == clause[g.start]
                and clause[m.start] not in numbered
                for m in by_cat.get("measure", [])
                for g in good_news
            )
            family_news = any(
                not is_negated(h) and not in_question(h) and about_person(h.start, h.end)
                for h in by_cat.get("family_news", [])
            )
            # Round 11: the illness as it was, a cause with the treatment set apart, hearsay asked about: the
            # lexicon read the whole story, the score (which sees symptom words) does not reopen it; a
            # relative in the story does not weaken it. A figure of speech stays a denial (masked_by_rule).
            told_whole = (as_before or set_apart or rumoured) and not (
                denied or normal_value or (supposed and not (as_before or rumoured))
            )
            if all_clear or strangers or told_whole:
                deliberate = ASIDE
            elif set_aside or family_news:
                deliberate = RELATIVE
            elif (
                denied
                or figured_words
                or bool(eased)
                or normal_value
                or fine_value
                or explained
                or as_before
                or supposed
                or masked_by_rule
                or (bool(good_news) and value_fell(tokens, by_cat))
            ):
                deliberate = DENIED
            else:
                deliberate = ""
            return ScreenResult(False, NONE, (), False, (), reported, CLEAR), deliberate
        if ae:
            kind = ADVERSE_EVENT
        elif situations == (QUALITY_COMPLAINT,):
            kind = QUALITY_COMPLAINT
        else:
            kind = SPECIAL_SITUATION
        evidence = _quote(text, tokens, spans)
        # A question that ties the patient's state to the treatment ("is it the medicine making me so cold?",
        # "será la medicina...?") is a firm review: a low score does not clear it (round 8).
        treatments = by_cat.get("treatment", [])
        firm = tier == REVIEW and any(
            not is_negated(r) and any(r.start <= t.start and t.end <= r.end for t in treatments)
            for r in by_cat.get("revealing", [])
        )
        soft = (
            tier == CASE
            and not serious
            and not situations
            and len(symptom_spans) == 1
            and set(spans) == symptom_spans
            and sum(tok.kind == "w" for tok in tokens) >= SOFT_MIN_WORDS
        )
        on_treatment = any(not is_negated(h) for cat in ("treatment", "link") for h in by_cat.get(cat, []))
        plain = (
            tier == CASE
            and not soft
            and not serious
            and not situations
            and not measured
            and not cared
            and not on_treatment
            and sum(tok.kind == "w" for tok in tokens) >= SOFT_MIN_WORDS
        )
        return ScreenResult(tier == CASE, kind, situations, serious, evidence, reported, tier), (
            FIRM if firm else SOFT if soft else PLAIN if plain else ""
        )


_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?")
_POUNDS = ("lb", "pound", "libra", "livre", "pfund")


# Round 10: the situations a food can be the subject of: spoiled or "gone off" (quality), out of date
# (an expired product is a medication error) or eaten ("I ate some ..." is an accidental exposure).
_FOOD_SITUATIONS = ("quality_complaint", "medication_error", "accidental_exposure")


def _found_down(tokens: list[Token], by_cat: dict[str, list[Hit]]) -> list[Hit]:
    """The found-down hits no object or treatment word names before, with at most one sentence end between
    (a pronoun points back that far), relabelled as seriousness cues."""
    objects = [*by_cat.get("found_object", []), *by_cat.get("treatment", [])]
    ends = [k for k, tok in enumerate(tokens) if tok.kind == "p" and tok.forms[0] in SENTENCE_PUNCT]
    kept = []
    for f in by_cat["found_down"]:
        if any(
            o.start < f.start
            and sum(o.start < k < f.start for k in ends) <= 1
            and not f.start <= o.start < f.end
            for o in objects
        ):
            continue
        kept.append(Hit(f.start, f.end, Label(f.label.lang, "serious", f.label.payload)))
    return kept


_LIST_JOINERS = frozenset({"and", "or", "&", "/", ",", "+"})
_INDICATION_LEAD = 2  # words between an indication cue and its first illness word ("for my", "for severe")


def _drop_indicated(
    symptoms: list[Hit], cues: list[Hit], tokens: list[Token], breaker: list[bool]
) -> list[Hit]:
    """The symptom hits that are not the indication named right after a cue (round 11)."""
    starts: dict[int, list[Hit]] = {}
    for h in symptoms:
        starts.setdefault(h.start, []).append(h)
    dropped: set[int] = set()
    n = len(tokens)
    for cue in cues:
        i, lead = cue.end, _INDICATION_LEAD
        while i < n:
            if i in starts:
                dropped.update(id(h) for h in starts[i])
                i = max(h.end for h in starts[i])
                j = i
                while j < n and j - i < 2 and tokens[j].forms[0] in _LIST_JOINERS:
                    j += 1
                if j > i and j in starts:
                    i = j
                    continue
                break
            if breaker[i] or lead == 0:
                break
            lead -= 1
            i += 1
    return [h for h in symptoms if id(h) not in dropped]


def _spoiled_food(by_cat: dict[str, list[Hit]], clause: list[int]) -> None:
    """Drops a product situation told of a food named beside it, in its clause (round 10): "comeu marisco
    estragado", "verdorbene Meeresfrüchte", "leche caducada", "I ate some spoiled seafood" tell of the food,
    not of the product. What the food did (vomiting) stays a finding for the other rules to weigh."""
    foods = by_cat.get("food", [])
    if not foods or not by_cat.get("situation"):
        return
    by_cat["situation"] = [
        h
        for h in by_cat["situation"]
        if h.label.payload not in _FOOD_SITUATIONS
        or not any(
            clause[f.start] == clause[h.start] and (0 <= f.start - h.end <= 2 or 0 <= h.start - f.end <= 2)
            for f in foods
        )
    ]


def _values_not_numbers(by_cat: dict[str, list[Hit]], tokens: list[Token], clause: list[int]) -> None:
    """Drops a seriousness cue that is a bare number (an emergency number: "112", "999") standing at most
    three words after a measurement word in its clause (round 11): "Zucker heute früh 112 nüchtern", "sugar
    999?" is the value read, not the call. "hat 112 gerufen" has no measurement word before it."""
    measures = by_cat.get("measure", [])
    if not measures or not by_cat.get("serious"):
        return
    by_cat["serious"] = [
        h
        for h in by_cat["serious"]
        if not (
            h.end - h.start == 1
            and tokens[h.start].forms[0].isdigit()
            and any(0 <= h.start - m.end <= 3 and clause[m.start] == clause[h.start] for m in measures)
        )
    ]


def _words_after(tokens: list[Token], breaker: list[bool], start: int) -> int:
    """How many words follow `start` before the next clause breaker: an elliptical "me too" ends its
    clause."""
    count = 0
    for k in range(start, len(tokens)):
        if breaker[k]:
            break
        count += tokens[k].kind == "w"
    return count


def _moderate_loss(words: list[Token]) -> bool:
    """Whether a weight-loss term counts a moderate amount: at most 5 kilos, or 10 pounds."""
    amounts = [m for tok in words if (m := _AMOUNT.match(tok.forms[0]))]
    if not amounts:
        return False
    value = float(amounts[0].group().replace(",", "."))
    pounds = any(tok.forms[0].startswith(_POUNDS) for tok in words)
    return value <= (10 if pounds else 5)


def _drop(by_cat: dict[str, list[Hit]], categories: tuple[str, ...], gone: Callable[[Hit], bool]) -> bool:
    """Removes the hits of these categories for which `gone` holds; whether any was removed."""
    removed = False
    for cat in categories:
        if cat in by_cat:
            kept = [h for h in by_cat[cat] if not gone(h)]
            removed = removed or len(kept) < len(by_cat[cat])
            by_cat[cat] = kept
    return removed


def _own_treatments(by_cat: dict[str, list[Hit]], clause: list[int], primary: str | None) -> list[Hit]:
    """Treatment words the patient names as their own ("can I still do MY injection?", "kann ich mich
    trotzdem spritzen?", "ma dose"): a first-person word of the message's language at most two words before,
    in a clause that names no other person. Such a word does not make a relative's cold a carer's report
    (round 9); "my son threw up after HIS shot" still does."""
    mine = [
        h
        for cat in ("first_person", "use_question")  # "posso tomar", "kann ich": the patient asks
        for h in by_cat.get(cat, [])
        if primary is None or h.label.lang in (primary, COMMON)
    ]
    others = {clause[h.start] for h in by_cat.get("other_person", [])}
    return [
        t
        for t in by_cat.get("treatment", [])
        if clause[t.start] not in others and any(0 <= t.start - m.end <= 2 for m in mine)
    ]


def _borrowed(
    tokens: list[Token],
    by_cat: dict[str, list[Hit]],
    clause: list[int],
    is_negated: Callable[[Hit], bool],
    in_question: Callable[[Hit], bool],
) -> list[tuple[int, int]]:
    """Spans of a medicine used that belongs to another person: a use verb (not negated, not in a question),
    then in its clause, at most four words on, a treatment word whose owner is another person named just
    before it ("my sister's pills", "mum's migraine pills") or at most two words after it ("las pastillas de
    mi hermana", "die Tabletten meiner Mutter", "دوا ابوه"), with no comparison word between ("the same pills
    as my mum" is no owner). Collecting or storing a relative's medicine names no use verb."""
    verbs = [v for v in by_cat.get("use_verb", []) if not is_negated(v) and not in_question(v)]
    treatments = [t for t in by_cat.get("treatment", []) if not is_negated(t)]  # "je ne prends pas les ..."
    people = by_cat.get("other_person", [])
    if not verbs or not treatments or not people:
        return []
    compared = {i for c in by_cat.get("comparison", []) for i in range(c.start, c.end)}
    spans: list[tuple[int, int]] = []
    for t in treatments:
        for p in people:
            if clause[p.start] != clause[t.start]:
                continue
            if p.end <= t.start and t.start - p.end <= 1:
                first, last = p.start, t.end
            elif t.end <= p.start and p.start - t.end <= 2:
                first, last = t.start, p.end
            else:
                continue
            if any(tokens[i].kind == "p" for i in range(first, last)):
                continue
            for v in verbs:
                if v.end <= first and first - v.end <= 4 and clause[v.start] == clause[first]:
                    if not any(i in compared for i in range(v.end, last)):  # "the same pills AS my mum"
                        spans.append((v.start, last))
                    break
    return spans


def _and_joined(tok: Token) -> bool:
    """An Arabic word that starts a coordinated clause: a standalone "و" / Arabizi "w", or "و" glued to a word
    of four letters or more ("وجابوني" -> "جابوني"; "وجع", "وقت" keep their own "و")."""
    main = tok.forms[0]
    if main in ("و", "w", "wa"):
        return True
    return main.startswith("و") and any(form == main[1:] and len(form) >= 4 for form in tok.forms[1:])


def _quote(text: str, tokens: list[Token], spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """The patient's own words for each span (token indices), overlapping spans merged, in text order."""
    merged: list[list[int]] = []
    for s, e in sorted(set(spans)):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    quotes: list[str] = []
    for s, e in merged:
        quote = text[tokens[s].start : tokens[e - 1].end]
        if quote not in quotes:
            quotes.append(quote)
    return tuple(quotes)


def _drop_novel_never(by_cat: dict[str, list[Hit]], clause: list[int]) -> None:
    """Drop a negation cue that lies inside a `never` word when a `novelty` word ("before", "until", "antes",
    "avant", "vorher", "قبل") follows it in the same clause, and any cue followed there by an `until` word
    ("until I", "hasta que"): "never X before" and "not X until I started" say X is new, which a PV officer
    must see (docs/safety.md "## Limits" listed it as missed). "Until now" is not listed: it means "so
    far"."""
    cues = by_cat.get("neg_before", [])
    if not cues:
        return
    novel = by_cat.get("neg_novelty", [])
    until = by_cat.get("neg_until", [])

    def later(c: Hit, marks: list[Hit]) -> bool:
        return any(u.start >= c.end and clause[u.start] == clause[c.start] for u in marks)

    cancelled = [nv for nv in by_cat.get("neg_never", []) if later(nv, novel + until)]
    by_cat["neg_before"] = [
        c
        for c in cues
        if not any(nv.start <= c.start < nv.end for nv in cancelled) and not (until and later(c, until))
    ]
