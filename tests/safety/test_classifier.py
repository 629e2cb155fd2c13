"""The statistical second opinion (bot/safety/classifier.py, issue #13): packaged model, speed, sklearn
parity."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from bot.safety.classifier import (
    DEFAULT_MODEL,
    REVIEW_THRESHOLD,
    Classifier,
    char_wb_ngrams,
    load_classifier,
    normalise,
)
from tests.safety.pv_data import LANGUAGES, load_set

MODEL_PATH = Path(str(resources.files("bot.safety").joinpath("model", DEFAULT_MODEL)))

AE_SENTENCES = [
    ("I've had a terrible headache and nausea since I started the new pills", "en"),
    ("tengo náuseas y mareos desde que empecé el tratamiento", "es"),
    ("j'ai des vertiges et mal à la tête depuis la piqûre", "fr"),
]
BENIGN = [("thanks, see you tomorrow", "en"), ("ok done ✅", None)]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return load_classifier()


def test_model_file_is_small_and_matches_the_exported_threshold() -> None:
    assert MODEL_PATH.stat().st_size < 20 * 1024 * 1024
    data = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    assert data["threshold"] == REVIEW_THRESHOLD
    assert 0.0 < REVIEW_THRESHOLD < 1.0


def test_model_loads_in_under_a_second() -> None:
    start = time.perf_counter()
    model = load_classifier()
    assert time.perf_counter() - start < 1.0
    assert model.threshold == REVIEW_THRESHOLD
    assert len(model.features) > 1000


def test_load_from_an_explicit_path_and_refuse_other_files(tmp_path: Path) -> None:
    assert load_classifier(MODEL_PATH).features == load_classifier().features
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a"):
        load_classifier(bad)


@pytest.mark.parametrize(("text", "lang"), AE_SENTENCES)
def test_clear_adverse_event_scores_above_threshold(clf: Classifier, text: str, lang: str) -> None:
    assert clf.score(text, lang) >= REVIEW_THRESHOLD
    assert clf.flags(text, lang)


@pytest.mark.parametrize(("text", "lang"), BENIGN)
def test_logistics_scores_below_threshold(clf: Classifier, text: str, lang: str | None) -> None:
    assert clf.score(text, lang) < REVIEW_THRESHOLD
    assert not clf.flags(text, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scores_are_probabilities_on_every_language(clf: Classifier, lang: str) -> None:
    for row in load_set(lang):
        for given in (lang, None, "xx"):
            score = clf.score(row["text"], given)
            assert 0.0 <= score <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "?", "🤢", "a", "x" * 5000, "ـــ", "٣٤٥"])
def test_degenerate_inputs(clf: Classifier, text: str) -> None:
    assert 0.0 <= clf.score(text) <= 1.0


def test_normalise_folds_case_accents_arabic_and_punctuation() -> None:
    assert normalise("NÁUSEAS, Mareo!") == "nauseas  mareo "
    assert normalise("can't") == "cant"
    assert normalise("Übel?") == "ubel ? "
    assert normalise("أنا تعبانة؟") == "انا تعبانه ? "
    assert normalise("الصُّداع ٣") == "الصداع 3"


def test_char_wb_ngrams_pad_words_and_count_short_words_once() -> None:
    assert char_wb_ngrams("ab", 2, 5) == [" a", "ab", "b ", " ab", "ab ", " ab "]
    assert char_wb_ngrams("a  b", 2, 3) == [" a", "a ", " a ", " b", "b ", " b "]


def test_runtime_needs_no_numeric_libraries() -> None:
    code = (
        "import sys; from bot.safety.classifier import load_classifier; load_classifier().score('hi');"
        "print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_scores_many_short_messages_per_second(clf: Classifier) -> None:
    msgs = [
        "feel so nauseous after my morning pill",
        "thanks, see you tomorrow",
        "tengo dolor de cabeza",
    ] * 700
    start = time.perf_counter()
    for text in msgs:
        clf.score(text)
    rate = len(msgs) / (time.perf_counter() - start)
    assert rate > 3000  # ~30,000/s on the dev machine; a loose floor for shared CI runners


def test_pure_python_score_equals_scikit_learn_probability(clf: Classifier) -> None:
    pytest.importorskip("sklearn")
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    data = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    assert not data["lang_bias"], "the parity check below covers the language-agnostic model"
    vec = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=tuple(data["ngram_range"]),
        preprocessor=normalise,
        sublinear_tf=True,
        vocabulary=data["vocabulary"],
        dtype=np.float64,
    )
    vec.idf_ = np.array(data["idf"])
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    model.coef_ = np.array([data["coef"]])
    model.intercept_ = np.array([data["intercept"]])

    texts = [row["text"] for lang in LANGUAGES for row in load_set(lang)[::3]]
    texts += [t for t, _ in AE_SENTENCES + BENIGN] + ["", "nausea nausea nausea nausea", "🤢🤢 why?? ¿qué?"]
    analyzer = vec.build_analyzer()
    for text in texts:
        assert analyzer(text) == char_wb_ngrams(normalise(text), *data["ngram_range"])
    expected = model.predict_proba(vec.transform(texts))[:, 1]
    got = np.array([clf.score(t) for t in texts])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
