"""The probe sentences of the rule and family tests (tests/safety/test_*.py), read from their source.

A clearing lever of the model file (a very low score clearing a lexicon case) must never clear a sentence the
project's tests assert as a case: ``scripts/train_classifier.py`` bounds it by the score of every such probe
the lever could act on, and ``test_pv_round10_model.py`` checks the packaged file against them. The probes are
read statically (no test module is imported): every literal sentence of two words or more outside a docstring,
with the language code of its tuple when it has one.
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


def _constants(node: ast.AST) -> list[object] | None:
    """The literal values of a tuple, or None when another kind of value is among them."""
    if not isinstance(node, ast.Tuple):
        return None
    values: list[object] = []
    for item in node.elts:
        if not isinstance(item, ast.Constant):
            return None
        values.append(item.value)
    return values


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions (not probes)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def table_probes(folder: Path = HERE) -> list[tuple[str, str | None]]:
    """(sentence, language) for every literal probe of the test modules. A sentence in a tuple with one
    language code gets that language; any other literal sentence (``("mir geht es nicht gut", True)``, a
    parametrized list of strings) gets None: the caller lets the screen detect it, as the test does. Tuples
    that name a clear or review verdict are left out, and so are docstrings; whether the rest is a case is for
    the caller to ask the lexicon (a lexicon case in a passing rule test is asserted as one, or is at worst a
    sentence a lever should leave alone)."""
    found: dict[tuple[str, str | None], None] = {}
    for path in sorted(folder.glob("test_*.py")):
        if path.name in SKIPPED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        placed: set[int] = set()
        for node in ast.walk(tree):
            values = _constants(node)
            if values is None:
                continue
            strings = [v for v in values if isinstance(v, str)]
            if OTHER_TIERS & set(strings):
                placed.update(id(item) for item in node.elts)  # type: ignore[attr-defined]
                continue
            langs = [v for v in strings if v in LANGS]
            texts = [v for v in strings if v not in LANGS and len(v.split()) >= 2]
            if len(texts) == 1 and len(langs) <= 1:
                found[(texts[0], langs[0] if langs else None)] = None
                placed.update(id(item) for item in node.elts)  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in placed
                and id(node) not in docs
                and len(node.value.split()) >= 2
            ):
                found.setdefault((node.value, None), None)
    return list(found)
