"""The probe sentences of the rule and family tests (tests/safety/test_*.py), read from their source.

A clearing lever of the model file (a very low score clearing a lexicon case) must never clear a sentence the
project's tests assert as a case: ``scripts/train_classifier.py`` bounds it by the score of every such probe
the lever could act on, and ``test_pv_round10_model.py`` checks the packaged file against them. The probes are
read statically (no test module is imported): every tuple of string literals that holds a language code and a
sentence, and every call with a literal sentence and language (``lexicon("...", "en")``).
"""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("en", "es", "fr", "de", "pt", "ar")
# Modules whose tables are the lever's own probes (sentences it is meant to clear) or no sentences at all.
SKIPPED = frozenset({"test_pv_round9_model.py", "test_pv_round10_model.py"})
# A tuple that names another verdict than a case is not a case probe.
OTHER_TIERS = frozenset({"clear", "review"})


def _strings(node: ast.AST) -> list[str] | None:
    """The string literals of a tuple or call arguments, or None when another kind of value is among them."""
    items = node.elts if isinstance(node, ast.Tuple) else node.args if isinstance(node, ast.Call) else []
    values = []
    for item in items:
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            return None
        values.append(item.value)
    return values


def table_probes(folder: Path = HERE) -> list[tuple[str, str]]:
    """(sentence, language) for every literal probe of the test modules: the pairs a test screens in a
    language. Tuples that name a clear or review verdict are left out; whether the rest is a case is for the
    caller to ask the lexicon (a lexicon case in a passing rule test is asserted as one)."""
    found: dict[tuple[str, str], None] = {}
    for path in sorted(folder.glob("test_*.py")):
        if path.name in SKIPPED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values = _strings(node)
            if not values or len(values) < 2 or OTHER_TIERS & set(values):
                continue
            langs = [v for v in values if v in LANGS]
            texts = [v for v in values if v not in LANGS and len(v.split()) >= 2]
            if len(langs) == 1 and len(texts) == 1:
                found[(texts[0], langs[0])] = None
    return list(found)
