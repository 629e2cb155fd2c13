"""Loading and validating the per-language lexicon files.

A lexicon is a reviewable YAML file (`lexicons/<lang>.yaml`); see docs/safety.md for the term syntax.
Terms are kept folded (normalised) so that `matcher.py` can compare them with message tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.safety.normalise import fold

LEXICON_DIR = Path(__file__).with_name("lexicons")
COMMON = "common"

SITUATIONS: tuple[str, ...] = (
    "pregnancy",
    "breastfeeding",
    "overdose",
    "medication_error",
    "lack_of_efficacy",
    "off_label",
    "misuse_abuse",
    "accidental_exposure",
    "drug_interaction",
    "quality_complaint",
)

# YAML key -> category name used by the screener.
_AE_KEYS = {
    "symptoms": "symptom",
    "negated_symptoms": "negated_symptom",
    "negated_serious": "negated_serious",
    "vital_signs": "vital",
    "body_parts": "body",
    "problems": "problem",
    "care_seeking": "care",
    "loss_cues": "loss_cue",
    "loss_after": "loss_after",
    "functions": "function",
    "review_symptoms": "review_symptom",
}
_NEGATION_KEYS = {
    "before": "neg_before",
    "answers": "neg_answer",
    "after": "neg_after",
    "pseudo": "neg_pseudo",
    "cancel": "neg_cancel",
    "breakers": "breaker",
    "no_longer": "neg_no_longer",
    # Round 9: "never ... before / until" tells of something new, not a denial ("never had a panic attack
    # until I started", "nunca había tenido ... hasta"): a `never` cue with a `novelty` word later in its
    # clause negates nothing.
    "never": "neg_never",
    "novelty": "neg_novelty",
    # ... and any cue followed in its clause by "until I / hasta que" ("didn't sleep until 4", "no tuve
    # mareos hasta que subieron la dosis"): it tells when something began.
    "until": "neg_until",
}
_TOP_KEYS = {
    "language",
    "name",
    "detect",
    "elisions",
    "clitic_prefixes",
    "clitic_suffixes",
    "not_foreign",
    "not_typos",
    "adverse_event",
    "serious",
    "situations",
    "negation",
    "benign",
    "general_questions",
    "experience_markers",
    "settings",
    "question_exempt_situations",
    "spelling_variants",
    "revealing_questions",
    "possessives",
    "own_body_parts",
    "reassurance",
    "treatment_links",
    "script",
    "feelings",
    "link_words",
    "treatment_words",
    "other_subjects",
    "other_people",
    "outsiders",
    "rescue_calls",
    "not_started",
    "improvement",
    "stopped_treatment",
    "reporting_words",
    "all_clear",
    "first_person",
    "efficacy_praise",
    "glued_elisions",
    "exposure_subjects",
    "exposure_verbs",
    "link_fillers",
    "product_cues",
    "becoming",
    "gift_words",
    "owner_marks",
    "found_down",
    "found_objects",
    "concessions",
    "dose_raised",
    "unmoved",
    "not_products",
    "stemmer",
    "not_stemmed",
    "measurements",
    "measurement_ranges",
    "comparisons",
    "figure_causes",
    "intent_words",
    "few_counts",
    "baseline",
    "count_from",
    "count_to",
    "count_periods",
    "instead_of",
    "dose_units",
    "future_plans",
    "exceptions",
    "use_questions",
    "negative_results",
    "expected_effects",
    "additive_words",
    "not_the_patient",
    "long_ago",
    "other_causes",
    "already_reported",
    "contrast_words",
    "conditionals",
    "hearsay",
    "onset_wait",
    "persistence",
    "current_use",
    "unchanged",
    "fewer_than",
    "figure_verbs",
    "scheduled",
    "decrease",
    "documents",
    "frequencies",
    "label_words",
    "own_use",
    "suspicions",
    "family_news",
    "use_verbs",
    "self_contrasts",
    "resolutions",
    "not_happened",
    "worries",
    "pre_existing",
    "no_worse",
    "foods",
    "indications",
    "step_downs",
    "hard_times",
}
_SETTINGS = {
    "negation_window": 5,
    "post_negation_window": 3,
    "pair_window": 4,
    "gap_max": 3,
    "fuzzy_min_length": 6,
    "link_window": 4,
    "other_window": 6,
    "loss_window": 3,
    "measure_reach": 30,
    "gift_window": 8,  # round 10: words between a giving phrase and the patient's own medicine
}
# Round 9: how often a dose is taken (interval contrary to the label).
FREQUENCIES = ("daily", "twice_daily", "weekly", "every_two_weeks", "monthly", "every_three_months")
MEASURES = (
    "glucose",
    "blood_pressure",
    "heart_rate",
    "inr",
    "eye_pressure",
    "tsh",
    "temperature",
    # Round 9: blood results a patient quotes from a lab letter or a nurse's call, without their range.
    "platelets",
    "hba1c",
    "liver_enzymes",
    "neutrophils",
    "haemoglobin",
    "creatinine",
)
GAP = "..."
COMPOUND = "~"  # "~schmerz*": inside a compound word; "~gestürzt": at the end of one


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class _LexiconLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """YAML 1.1 reads `no`, `yes`, `on`, `off` as booleans; in a lexicon they are words."""


_LexiconLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_LexiconLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Label:
    lang: str
    category: str
    payload: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A lexicon term found in a message, as token indices [start, end)."""

    start: int
    end: int
    label: Label


@dataclass
class Lexicon:
    """One language's data after loading (terms are kept folded, for the trie and the corrector)."""

    lang: str
    detect_patterns: list[re.Pattern[str]]
    elisions: set[str]
    clitic_prefixes: list[str]
    not_foreign: set[str]
    not_typos: set[str]
    entries: list[tuple[list[str], Label]]
    settings: dict[str, int]
    question_exempt: set[str]
    spelling_variants: list[tuple[str, str]]
    glued_elisions: list[str] = field(default_factory=list)
    # Round 10: a clitic after an apostrophe ("hair's", "tumour's") is also read without it.
    clitic_suffixes: set[str] = field(default_factory=set)
    # Round 10: capitalised words that are never a product name (days, months, feasts, apps, shops).
    not_products: set[str] = field(default_factory=set)
    arabic_script: bool = False  # messages in Arabic script count towards this language
    stemmer: str | None = None  # Snowball algorithm for inflections ("english"), see stemming.py
    not_stemmed: set[str] = field(default_factory=set)  # words kept exact ("nursing" is not "nurse")
    ranges: dict[str, dict[str, tuple[float | None, float | None]]] = field(default_factory=dict)


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise LexiconError(f"{where}: expected a list of strings")
    for item in value:
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            raise LexiconError(
                f"{where}: {item!r} is not a word (quote words YAML reads otherwise, e.g. 'null')"
            )
    return [str(v) for v in value]


def fold_term(term: str) -> list[str]:
    """Split a lexicon term into folded word patterns ("*" suffix = any ending, "..." = a short gap)."""
    parts: list[str] = []
    for word in term.split():
        if word == GAP:
            parts.append(GAP)
            continue
        lead = word.startswith(COMPOUND) and len(word) > 1
        star = word.endswith("*") and len(word) > 1
        folded = fold(word.lstrip(COMPOUND).rstrip("*"))
        if not folded:
            continue
        # Round 11: a comma is a token of its own in a message ("stimmt es , dass"), so it is one in a term.
        comma = folded.endswith(",") and len(folded) > 1
        folded = folded.rstrip(",") if comma else folded
        parts.append((COMPOUND if lead else "") + folded + ("*" if star else ""))
        if comma:
            parts.append(",")
    return parts


EXTEND = "extend_"  # a block of additions to flat term lists, kept apart so parallel branches merge cleanly


def _merge_extensions(data: dict[str, Any], where: str) -> dict[str, Any]:
    """`extend_<topic>: {figure_causes: [...], baseline: [...]}` appends terms to the file's flat top-level
    lists (round 9: each engineer's additions live in their own commented block, not inside shared lines)."""
    merged = {k: v for k, v in data.items() if not k.startswith(EXTEND)}
    for key, block in data.items():
        if not key.startswith(EXTEND):
            continue
        if not isinstance(block, dict):
            raise LexiconError(f"{where}: {key}: expected a mapping of list keys to terms")
        for target, terms in block.items():
            if target not in _TOP_KEYS or target.startswith(EXTEND):
                raise LexiconError(f"{where}: {key}: unknown list {target!r}")
            current = merged.get(target)
            if current is not None and not isinstance(current, list):
                raise LexiconError(f"{where}: {key}: {target} is not a flat list")
            merged[target] = [*(current or []), *_strings(terms, f"{where}: {key}.{target}")]
    return merged


def load_lexicon(path: Path) -> Lexicon:
    where = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LexiconLoader) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"{where}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected a mapping at the top")
    data = _merge_extensions(data, where)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    lang = data.get("language")
    if lang != path.stem:
        raise LexiconError(f"{where}: 'language' must be {path.stem!r}")
    entries: list[tuple[list[str], Label]] = []

    def add(terms: list[str], category: str, payload: str = "") -> None:
        for term in terms:
            parts = fold_term(term)
            if not parts or parts[0] == GAP or parts[-1] == GAP:
                raise LexiconError(f"{where}: bad term {term!r} in {category}")
            if any(p.startswith(COMPOUND) for p in parts) and len(parts) > 1:
                raise LexiconError(f"{where}: '~word' (inside a compound) must be a single word: {term!r}")
            entries.append((parts, Label(lang, category, payload)))

    def add_list(key: str, category: str) -> None:
        """The lexicon's list under ``key``, each term labelled ``category``."""
        add(_strings(data.get(key), f"{where}: {key}"), category)

    def add_keyed(name: str, singular: str, allowed: tuple[str, ...], category: str) -> None:
        """A mapping of kinds to terms ("measurements: {glucose: [...]}"): each kind is the hit's payload."""
        mapping = data.get(name) or {}
        if not isinstance(mapping, dict):
            raise LexiconError(f"{where}: {name}: expected a mapping of {', '.join(allowed)}")
        for key, terms in mapping.items():
            if key not in allowed:
                raise LexiconError(f"{where}: unknown {singular} {key!r} (use one of {', '.join(allowed)})")
            add(_strings(terms, f"{where}: {name}.{key}"), category, key)

    detect = data.get("detect") or {}
    add(_strings(detect.get("words"), f"{where}: detect.words"), "detect")
    patterns = [re.compile(p) for p in _strings(detect.get("patterns"), f"{where}: detect.patterns")]
    ae = data.get("adverse_event") or {}
    for key in set(ae) - set(_AE_KEYS):
        raise LexiconError(f"{where}: unknown key adverse_event.{key}")
    for key, category in _AE_KEYS.items():
        add(_strings(ae.get(key), f"{where}: adverse_event.{key}"), category)
    add_list("serious", "serious")
    situations = data.get("situations") or {}
    for key, terms in situations.items():
        if key not in SITUATIONS:
            raise LexiconError(f"{where}: unknown situation {key!r} (use one of {', '.join(SITUATIONS)})")
        add(_strings(terms, f"{where}: situations.{key}"), "situation", key)
    negation = data.get("negation") or {}
    for key in set(negation) - set(_NEGATION_KEYS):
        raise LexiconError(f"{where}: unknown key negation.{key}")
    for key, category in _NEGATION_KEYS.items():
        add(_strings(negation.get(key), f"{where}: negation.{key}"), category)
    add_list("benign", "benign")
    add_list("general_questions", "question")
    add_list("revealing_questions", "revealing")
    add_list("treatment_links", "revealing")
    add_list("feelings", "revealing")
    add_list("possessives", "possessive")
    add_list("own_body_parts", "own_body")
    add_list("reassurance", "reassurance")
    add_list("experience_markers", "experience")
    add_list("link_words", "link")
    add_list("treatment_words", "treatment")
    add_list("link_fillers", "filler")
    # Round 10: a giving phrase that names someone else ("gave him", "le di"): with the patient's own medicine
    # in its clause, misuse.
    add_list("gift_words", "gift")
    add_list("owner_marks", "owner_mark")
    # Round 11: a person found on the floor or ground ("found him on the floor", "am Boden liegend
    # gefunden"): serious, unless an object or the medicine is what was found (`found_objects`, treatment
    # words named before it in its sentence or the one before).
    add_list("found_down", "found_down")
    add_list("found_objects", "found_object")
    # Round 11: the illness or a value unmoved despite a raised dose ("Hb stays at 8.9 even though I'm on
    # double the dose"): a concession word, a raised-dose phrase and a word of no change (or `persistence`).
    add_list("concessions", "concession")
    add_list("dose_raised", "dose_raised")
    add_list("unmoved", "unmoved")
    # Round 10: "gone" is also "became" ("gone yellow"): not an improvement when its complement follows.
    add_list("becoming", "becoming")
    # Round 10: the words after which an unknown capitalised word is a product name ("on Xyz", "the Xyz").
    add_list("product_cues", "product_cue")
    add_list("other_subjects", "other")
    add_list("other_people", "other_person")
    add_list("outsiders", "outsider")
    add_list("rescue_calls", "rescue")
    add_list("not_started", "not_started")
    add_list("improvement", "improvement")
    add_list("stopped_treatment", "stopped")
    add_list("reporting_words", "reporting")
    add_list("all_clear", "all_clear")
    add_list("first_person", "first_person")
    add_list("efficacy_praise", "praise")
    add_list("exposure_subjects", "exposure_subject")
    add_list("exposure_verbs", "exposure_verb")
    add_list("comparisons", "comparison")
    add_list("figure_causes", "figure_cause")
    add_list("intent_words", "intent")
    add_list("few_counts", "few")
    # Round 7: the usual state of the illness, counts that fell ("from 12 to 3 a month"), a dose count
    # taken instead of another ("4 puffs instead of 2").
    add_list("baseline", "baseline")
    add_list("count_from", "count_from")
    add_list("count_to", "count_to")
    add_list("count_periods", "period")
    add_list("instead_of", "instead")
    add_list("dose_units", "dose_unit")
    add_list("future_plans", "future")
    add_list("exceptions", "exception")
    # Round 8: practical questions about using the treatment ("can I", "puedo", "kann ich"), and a negative
    # test result (a pregnancy test of a prevention programme).
    add_list("use_questions", "use_question")
    add_list("negative_results", "negative_result")
    add_list("expected_effects", "expected_effect")
    add_list("additive_words", "additive")
    # Round 8: a relative plainly not the patient (not on the treatment, or the writer's own delay because
    # of them): their seriousness and care are set aside like their everyday illness.
    add_list("not_the_patient", "not_patient")
    # Round 8: a past long ago ("ten years ago", "hace años"): a stay or an operation then is history.
    add_list("long_ago", "long_ago")
    # Round 9 (specificity): a stated non-medical cause ("after football", "hangover"), an event already
    # reported (resolved since), the contrast words that end such a sentence's reach, conditionals ("if I'm on
    # it") and hearsay ("I read that").
    add_list("other_causes", "other_cause")
    add_list("already_reported", "reported_before")
    add_list("contrast_words", "contrast")
    add_list("conditionals", "conditional")
    add_list("hearsay", "hearsay")
    # Round 9: the time a treatment needs to work ("it takes 12 weeks") and the illness still there ("still").
    add_list("onset_wait", "onset_wait")
    add_list("persistence", "persistence")
    # Round 10: the illness said to be as it was before the treatment ("no better no worse", "same as at
    # diagnosis", "ni mieux ni pire", "gleich geblieben"): no new finding in its sentence.
    add_list("unchanged", "unchanged")
    # Round 10: a count smaller than before ("down from 14", "au lieu de 12", "statt 12"): efficacy.
    add_list("fewer_than", "fewer_than")
    # Round 10 (spec-what2): a causative opening a clause ("makes me", "dá-me", "me donne"): its subject is
    # the clause before, so a figure there ("the prices are a robbery, MAKES ME want to throw up") goes on.
    add_list("figure_verbs", "figure_verb")
    # Round 10 (spec-what2): a day, a time or a routine word that puts a test or visit in the diary.
    add_list("scheduled", "scheduled")
    # Round 10 (spec-what2): a symptom said to have decreased ("the pain has halved", "weniger geworden").
    add_list("decrease", "decrease")
    # Round 10 (spec-what2): paperwork that runs out or expires (a prescription, a co-pay card).
    add_list("documents", "document")
    # Round 9: the patient already taking what a use question asks about ("I've been taking both for a week").
    add_list("current_use", "current_use")
    # Round 9: an interval contrary to the label told over two clauses ("the pharmacist said once a month.
    # I've been taking one every day"): how often (a period), the label's or the prescriber's word, the
    # patient's own use.
    add_keyed("frequencies", "frequency", FREQUENCIES, "frequency")
    add_list("label_words", "label_word")
    add_list("own_use", "own_use")
    # Round 10: taking or using a medicine, said of anyone ("takes", "usa", "nimmt"): with another person as
    # the medicine's owner, a use by someone it was not prescribed for.
    add_list("use_verbs", "use_verb")
    # Round 9: a carer's suspicion that points at a treatment without naming it ("the only new thing is ...").
    add_list("suspicions", "suspicion")
    # Round 10: a relative's good-news life event ("my sister gave birth", "mi hermano se casó"): family news,
    # not a report of the patient's.
    add_list("family_news", "family_news")
    # Round 10: the patient set apart from another person's illness ("not me", "yo estoy bien", "sauf moi").
    add_list("self_contrasts", "self_contrast")
    # Round 10: an event said to be over ("it's healed", "ya se me quitó", "ist abgeheilt"): read only where
    # an earlier report is named (never as efficacy: "hasn't gone down since the shot" must stay a finding).
    add_list("resolutions", "resolved")
    # Round 10: what did not happen ("hasn't happened", "de momento nada") and worry ("afraid of", "peur de").
    add_list("not_happened", "not_happened")
    add_list("worries", "worry")
    # Round 10: a finding from before the treatment ("for years", "antes de empezar") said to be no worse or
    # long over ("no worse", "ni mejor ni peor", "ça s'est arrangé").
    add_list("pre_existing", "pre_existing")
    add_list("no_worse", "no_worse")
    # Round 10: food named beside a spoilage, expiry or eating word ("marisco estragado", "expired milk"):
    # the defect is the food's, not the product's.
    add_list("foods", "food")
    # Round 11: what the treatment is taken for ("take it for", "prescribed it for") or whom a reviewer speaks
    # to ("anyone with"): the illness named right after is the indication, not an event.
    add_list("indications", "indication")
    # Round 11: a dose stepped down or stopped, and a hard time told beside it ("went down to 30, awful
    # week").
    add_list("step_downs", "step_down")
    add_list("hard_times", "hard_time")
    add_keyed("measurements", "measurement", MEASURES, "measure")
    settings = dict(data.get("settings") or {})
    for key in set(settings) - set(_SETTINGS):
        raise LexiconError(f"{where}: unknown setting {key!r}")
    exempt = set(_strings(data.get("question_exempt_situations"), f"{where}: question_exempt_situations"))
    if exempt - set(SITUATIONS):
        raise LexiconError(f"{where}: unknown situation in question_exempt_situations")
    variants: list[tuple[str, str]] = []
    for pair in data.get("spelling_variants") or []:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise LexiconError(f"{where}: spelling_variants: expected pairs like [ue, ü]")
        variants.append((fold(pair[0]), fold(pair[1])))
    return Lexicon(
        lang=lang,
        detect_patterns=patterns,
        elisions={fold(e) for e in _strings(data.get("elisions"), f"{where}: elisions")},
        clitic_prefixes=[fold(p) for p in _strings(data.get("clitic_prefixes"), f"{where}: clitic_prefixes")],
        not_foreign={fold(w) for w in _strings(data.get("not_foreign"), f"{where}: not_foreign")},
        not_typos={fold(w) for w in _strings(data.get("not_typos"), f"{where}: not_typos")},
        entries=entries,
        settings=settings,
        question_exempt=exempt,
        spelling_variants=variants,
        glued_elisions=[fold(g) for g in _strings(data.get("glued_elisions"), f"{where}: glued_elisions")],
        clitic_suffixes={fold(c) for c in _strings(data.get("clitic_suffixes"), f"{where}: clitic_suffixes")},
        not_products={fold(w) for w in _strings(data.get("not_products"), f"{where}: not_products")},
        arabic_script=data.get("script") == "arabic",
        stemmer=_stemmer(data.get("stemmer"), where),
        ranges=_ranges(data.get("measurement_ranges"), where),
        not_stemmed={fold(w) for w in _strings(data.get("not_stemmed"), f"{where}: not_stemmed")},
    )


def _ranges(value: Any, where: str) -> dict[str, dict[str, tuple[float | None, float | None]]]:
    """`measurement_ranges`: measure -> unit -> [low, high] (a value below low or above high is out of range;
    null = no bound on that side)."""
    if value is None:
        return {}
    out: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: measurement_ranges: expected a mapping")
    for measure, units in value.items():
        if measure not in MEASURES or not isinstance(units, dict):
            raise LexiconError(f"{where}: measurement_ranges.{measure}: unknown measure or not a mapping")
        for unit, bounds in units.items():
            if not (
                isinstance(bounds, list)
                and len(bounds) == 2
                and all(b is None or isinstance(b, (int, float)) for b in bounds)
            ):
                raise LexiconError(f"{where}: measurement_ranges.{measure}.{unit}: expected [low, high]")
            low, high = bounds
            out.setdefault(measure, {})[str(unit)] = (
                None if low is None else float(low),
                None if high is None else float(high),
            )
    return out


def _stemmer(value: Any, where: str) -> str | None:
    if value is None:
        return None
    import snowballstemmer

    if not isinstance(value, str) or value not in snowballstemmer.algorithms():
        raise LexiconError(f"{where}: stemmer {value!r} is not a Snowball algorithm")
    return value
