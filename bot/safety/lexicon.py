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
        parts.append((COMPOUND if lead else "") + folded + ("*" if star else ""))
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
    add(_strings(data.get("serious"), f"{where}: serious"), "serious")
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
    add(_strings(data.get("benign"), f"{where}: benign"), "benign")
    add(_strings(data.get("general_questions"), f"{where}: general_questions"), "question")
    add(_strings(data.get("revealing_questions"), f"{where}: revealing_questions"), "revealing")
    add(_strings(data.get("treatment_links"), f"{where}: treatment_links"), "revealing")
    add(_strings(data.get("feelings"), f"{where}: feelings"), "revealing")
    add(_strings(data.get("possessives"), f"{where}: possessives"), "possessive")
    add(_strings(data.get("own_body_parts"), f"{where}: own_body_parts"), "own_body")
    add(_strings(data.get("reassurance"), f"{where}: reassurance"), "reassurance")
    add(_strings(data.get("experience_markers"), f"{where}: experience_markers"), "experience")
    add(_strings(data.get("link_words"), f"{where}: link_words"), "link")
    add(_strings(data.get("treatment_words"), f"{where}: treatment_words"), "treatment")
    add(_strings(data.get("link_fillers"), f"{where}: link_fillers"), "filler")
    # Round 10: a giving phrase that names someone else ("gave him", "le di"): with the patient's own medicine
    # in its clause, misuse.
    add(_strings(data.get("gift_words"), f"{where}: gift_words"), "gift")
    add(_strings(data.get("owner_marks"), f"{where}: owner_marks"), "owner_mark")
    # Round 10: "gone" is also "became" ("gone yellow"): not an improvement when its complement follows.
    add(_strings(data.get("becoming"), f"{where}: becoming"), "becoming")
    # Round 10: the words after which an unknown capitalised word is a product name ("on Xyz", "the Xyz").
    add(_strings(data.get("product_cues"), f"{where}: product_cues"), "product_cue")
    add(_strings(data.get("other_subjects"), f"{where}: other_subjects"), "other")
    add(_strings(data.get("other_people"), f"{where}: other_people"), "other_person")
    add(_strings(data.get("outsiders"), f"{where}: outsiders"), "outsider")
    add(_strings(data.get("rescue_calls"), f"{where}: rescue_calls"), "rescue")
    add(_strings(data.get("not_started"), f"{where}: not_started"), "not_started")
    add(_strings(data.get("improvement"), f"{where}: improvement"), "improvement")
    add(_strings(data.get("stopped_treatment"), f"{where}: stopped_treatment"), "stopped")
    add(_strings(data.get("reporting_words"), f"{where}: reporting_words"), "reporting")
    add(_strings(data.get("all_clear"), f"{where}: all_clear"), "all_clear")
    add(_strings(data.get("first_person"), f"{where}: first_person"), "first_person")
    add(_strings(data.get("efficacy_praise"), f"{where}: efficacy_praise"), "praise")
    add(_strings(data.get("exposure_subjects"), f"{where}: exposure_subjects"), "exposure_subject")
    add(_strings(data.get("exposure_verbs"), f"{where}: exposure_verbs"), "exposure_verb")
    add(_strings(data.get("comparisons"), f"{where}: comparisons"), "comparison")
    add(_strings(data.get("figure_causes"), f"{where}: figure_causes"), "figure_cause")
    add(_strings(data.get("intent_words"), f"{where}: intent_words"), "intent")
    add(_strings(data.get("few_counts"), f"{where}: few_counts"), "few")
    # Round 7: the usual state of the illness, counts that fell ("from 12 to 3 a month"), a dose count
    # taken instead of another ("4 puffs instead of 2").
    add(_strings(data.get("baseline"), f"{where}: baseline"), "baseline")
    add(_strings(data.get("count_from"), f"{where}: count_from"), "count_from")
    add(_strings(data.get("count_to"), f"{where}: count_to"), "count_to")
    add(_strings(data.get("count_periods"), f"{where}: count_periods"), "period")
    add(_strings(data.get("instead_of"), f"{where}: instead_of"), "instead")
    add(_strings(data.get("dose_units"), f"{where}: dose_units"), "dose_unit")
    add(_strings(data.get("future_plans"), f"{where}: future_plans"), "future")
    add(_strings(data.get("exceptions"), f"{where}: exceptions"), "exception")
    # Round 8: practical questions about using the treatment ("can I", "puedo", "kann ich"), and a negative
    # test result (a pregnancy test of a prevention programme).
    add(_strings(data.get("use_questions"), f"{where}: use_questions"), "use_question")
    add(_strings(data.get("negative_results"), f"{where}: negative_results"), "negative_result")
    add(_strings(data.get("expected_effects"), f"{where}: expected_effects"), "expected_effect")
    add(_strings(data.get("additive_words"), f"{where}: additive_words"), "additive")
    # Round 8: a relative plainly not the patient (not on the treatment, or the writer's own delay because
    # of them): their seriousness and care are set aside like their everyday illness.
    add(_strings(data.get("not_the_patient"), f"{where}: not_the_patient"), "not_patient")
    # Round 8: a past long ago ("ten years ago", "hace años"): a stay or an operation then is history.
    add(_strings(data.get("long_ago"), f"{where}: long_ago"), "long_ago")
    # Round 9 (specificity): a stated non-medical cause ("after football", "hangover"), an event already
    # reported (resolved since), the contrast words that end such a sentence's reach, conditionals ("if I'm on
    # it") and hearsay ("I read that").
    add(_strings(data.get("other_causes"), f"{where}: other_causes"), "other_cause")
    add(_strings(data.get("already_reported"), f"{where}: already_reported"), "reported_before")
    add(_strings(data.get("contrast_words"), f"{where}: contrast_words"), "contrast")
    add(_strings(data.get("conditionals"), f"{where}: conditionals"), "conditional")
    add(_strings(data.get("hearsay"), f"{where}: hearsay"), "hearsay")
    # Round 9: the time a treatment needs to work ("it takes 12 weeks") and the illness still there ("still").
    add(_strings(data.get("onset_wait"), f"{where}: onset_wait"), "onset_wait")
    add(_strings(data.get("persistence"), f"{where}: persistence"), "persistence")
    # Round 10: the illness said to be as it was before the treatment ("no better no worse", "same as at
    # diagnosis", "ni mieux ni pire", "gleich geblieben"): no new finding in its sentence.
    add(_strings(data.get("unchanged"), f"{where}: unchanged"), "unchanged")
    # Round 10: a count smaller than before ("down from 14", "au lieu de 12", "statt 12"): efficacy.
    add(_strings(data.get("fewer_than"), f"{where}: fewer_than"), "fewer_than")
    # Round 10 (spec-what2): a causative opening a clause ("makes me", "dá-me", "me donne"): its subject is
    # the clause before, so a figure there ("the prices are a robbery, MAKES ME want to throw up") goes on.
    add(_strings(data.get("figure_verbs"), f"{where}: figure_verbs"), "figure_verb")
    # Round 10 (spec-what2): a day, a time or a routine word that puts a test or visit in the diary.
    add(_strings(data.get("scheduled"), f"{where}: scheduled"), "scheduled")
    # Round 10 (spec-what2): a symptom said to have decreased ("the pain has halved", "weniger geworden").
    add(_strings(data.get("decrease"), f"{where}: decrease"), "decrease")
    # Round 10 (spec-what2): paperwork that runs out or expires (a prescription, a co-pay card).
    add(_strings(data.get("documents"), f"{where}: documents"), "document")
    # Round 9: the patient already taking what a use question asks about ("I've been taking both for a week").
    add(_strings(data.get("current_use"), f"{where}: current_use"), "current_use")
    # Round 9: an interval contrary to the label told over two clauses ("the pharmacist said once a month.
    # I've been taking one every day"): how often (a period), the label's or the prescriber's word, the
    # patient's own use.
    add_keyed("frequencies", "frequency", FREQUENCIES, "frequency")
    add(_strings(data.get("label_words"), f"{where}: label_words"), "label_word")
    add(_strings(data.get("own_use"), f"{where}: own_use"), "own_use")
    # Round 10: taking or using a medicine, said of anyone ("takes", "usa", "nimmt"): with another person as
    # the medicine's owner, a use by someone it was not prescribed for.
    add(_strings(data.get("use_verbs"), f"{where}: use_verbs"), "use_verb")
    # Round 9: a carer's suspicion that points at a treatment without naming it ("the only new thing is ...").
    add(_strings(data.get("suspicions"), f"{where}: suspicions"), "suspicion")
    # Round 10: a relative's good-news life event ("my sister gave birth", "mi hermano se casó"): family news,
    # not a report of the patient's.
    add(_strings(data.get("family_news"), f"{where}: family_news"), "family_news")
    # Round 10: the patient set apart from another person's illness ("not me", "yo estoy bien", "sauf moi").
    add(_strings(data.get("self_contrasts"), f"{where}: self_contrasts"), "self_contrast")
    # Round 10: an event said to be over ("it's healed", "ya se me quitó", "ist abgeheilt"): read only where
    # an earlier report is named (never as efficacy: "hasn't gone down since the shot" must stay a finding).
    add(_strings(data.get("resolutions"), f"{where}: resolutions"), "resolved")
    # Round 10: what did not happen ("hasn't happened", "de momento nada") and worry ("afraid of", "peur de").
    add(_strings(data.get("not_happened"), f"{where}: not_happened"), "not_happened")
    add(_strings(data.get("worries"), f"{where}: worries"), "worry")
    # Round 10: a finding from before the treatment ("for years", "antes de empezar") said to be no worse or
    # long over ("no worse", "ni mejor ni peor", "ça s'est arrangé").
    add(_strings(data.get("pre_existing"), f"{where}: pre_existing"), "pre_existing")
    add(_strings(data.get("no_worse"), f"{where}: no_worse"), "no_worse")
    # Round 10: food named beside a spoilage, expiry or eating word ("marisco estragado", "expired milk"):
    # the defect is the food's, not the product's.
    add(_strings(data.get("foods"), f"{where}: foods"), "food")
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
