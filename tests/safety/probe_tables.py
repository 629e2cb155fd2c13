"""The probe sentences of the rule and family tests (tests/safety/test_*.py), read from their source,
each with the verdict its tests assert.

A clearing lever of the model file (a very low score clearing a lexicon review or case) must never clear a
sentence the project's tests assert as flagged: ``scripts/train_classifier.py`` bounds each lever by the
score of every such probe the lever could act on, and ``test_pv_round10_model.py`` and
``test_pv_round11_model.py`` check the packaged file against them. Everything is read statically: no test
module is imported.

**Probes** (``table_probes``): every literal sentence of two words or more outside a docstring, with the
language code of its tuple when it has one.

**Verdicts** (``probe_verdicts``, round 11): what the tests assert about a probe's tier, read from the test
functions it feeds.

1. The rows of a test: its ``pytest.mark.parametrize`` values (a table name, ``A + B``, ``[*A, *B]``, a
   literal list, a list comprehension over tables, ``pytest.param``) bound to the argument names; or a
   literal sentence in the test's own call (``screen("...", "fr")``).
2. What the test asserts about the row's sentence, on the lexicon alone or the packaged screen:
   ``.tier == "case"`` or ``.escalate`` → *case*; ``.tier == "review"`` → *review*; ``.tier != "clear"``,
   ``.tier in ("case", "review")``, ``.kind == "adverse_event"`` → *flagged*; ``.tier == "clear"``,
   ``.kind == "none"`` → *clear*; ``.tier != "case"``, ``not .escalate`` → *not a case* (clear or review).
   A verdict given by the row (``.tier == tier``, ``.escalate is escalate``, ``(... != "clear") is
   escalate``) is read from the row; an ``if``/``elif`` on a row value keeps the branch the row takes, and
   an assert under a condition that cannot be read statically says nothing. An assert on a screener whose
   score the test fixes (``Screener(scorer=...)``, or a helper that builds one, such as ``always_scored``)
   says what a score does, not what the sentence is: it is not read.
3. A row whose tests assert no tier (only seriousness or a situation, say) but that carries a tier word
   itself (``("en", "...", "case")``; also ``"review"``, ``"clear"``, ``"flag"``, ``"serious"``) gets that
   word as its verdict: the tuple's tier value.

A probe is **asserted flagged** when one of its verdicts is case, review or flagged: a test would fail if the
screen cleared it. A sentence asserted only clear or not a case, or of which no tier is asserted, is not.
The levers' bounds count only the asserted-flagged probes (``flagged_probes``). Round 10's bound read every
sentence, negatives included: an English history sentence whose test asserts only that it is not serious
("an operation on my knee ten years ago") set the English review bound to 0.02.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("en", "es", "fr", "de", "pt", "ar")
# Modules whose tables are the levers' own probes (sentences they are meant to clear) or no sentences at all.
SKIPPED = frozenset({"test_pv_round9_model.py", "test_pv_round10_model.py", "test_pv_round11_model.py"})
# The verdicts a probe can be given, and those that assert it flagged (case, or case-or-review).
CASE, REVIEW, FLAGGED, CLEAR, NOT_CASE = "case", "review", "flagged", "clear", "not_case"
FLAGGED_VERDICTS = frozenset({CASE, REVIEW, FLAGGED})
# A tier word a row carries (rule 3): what it says.
TIER_WORDS = {"case": CASE, "serious": CASE, "review": REVIEW, "flag": FLAGGED, "clear": CLEAR}
# What a kind says of the tier: an adverse event or a special situation is flagged, "none" is clear.
KIND_WORDS = {"adverse_event": FLAGGED, "special_situation": FLAGGED, "none": CLEAR}
# Two verdicts the other way round, for ``(... != "clear") is escalate`` with escalate False.
_COMPLEMENT = {CASE: NOT_CASE, NOT_CASE: CASE, FLAGGED: CLEAR, CLEAR: FLAGGED}
_UNKNOWN = object()  # a condition or value that cannot be read statically
_FIXED = ast.Constant(value=None)  # marks a helper that builds a screener with a fixed score


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


def _is_sentence(value: object) -> bool:
    return isinstance(value, str) and value not in LANGS and len(value.split()) >= 2


def _modules(folder: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(folder.glob("test_*.py")):
        if path.name not in SKIPPED:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def table_probes(folder: Path = HERE) -> list[tuple[str, str | None]]:
    """(sentence, language) for every literal probe of the test modules. A sentence in a tuple with one
    language code gets that language; any other literal sentence (``("mir geht es nicht gut", True)``, a
    parametrized list of strings) gets None: the caller lets the screen detect it, as the test does.
    Docstrings are left out. Which of them the tests assert flagged: ``probe_verdicts``."""
    found: dict[tuple[str, str | None], None] = {}
    for _path, tree in _modules(folder):
        docs = _docstrings(tree)
        placed: set[int] = set()
        for node in ast.walk(tree):
            values = _constants(node)
            if values is None:
                continue
            strings = [v for v in values if isinstance(v, str)]
            langs = [v for v in strings if v in LANGS]
            texts = [v for v in strings if _is_sentence(v)]
            if len(texts) == 1 and len(langs) <= 1:
                found[(texts[0], langs[0] if langs else None)] = None
                placed.update(id(item) for item in node.elts)  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and _is_sentence(node.value)
                and id(node) not in placed
                and id(node) not in docs
            ):
                found.setdefault((str(node.value), None), None)
    return list(found)


# ------------------------------------------------------------------------------------------------ verdicts


@dataclass
class _Claim:
    """One thing an assert says: about ``subject`` (a Name bound by the row, or a literal sentence), the
    ``verdict`` (a verdict, or a rule to read it from the row), under ``conditions`` (test, truth)."""

    subject: ast.AST
    verdict: tuple[str, ...]
    conditions: list[tuple[ast.AST, bool]] = field(default_factory=list)


class _Module:
    def __init__(self, tree: ast.Module) -> None:
        self.tables: dict[str, ast.AST] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    self.tables[target.id] = node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                self.tables[node.target.id] = node.value
        self.fixed = _fixed_score_helpers(tree)
        self.tests = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
        ]

    # -- the rows of a test ------------------------------------------------------------------------------

    def items(self, node: ast.AST, env: dict[str, ast.AST], depth: int = 0) -> list[ast.AST]:
        """The items of an iterable written as a literal, a table name, a sum, ``.items()`` of a dict or a
        list comprehension; [] when it cannot be read."""
        if depth > 20:
            return []
        if isinstance(node, ast.Name):
            if node.id in env:
                return self.items(env[node.id], env, depth + 1)
            if node.id in self.tables:
                return self.items(self.tables[node.id], {}, depth + 1)
            return []
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            found: list[ast.AST] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    found += self.items(elt.value, env, depth + 1)
                else:
                    found.append(elt)
            return found
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.items(node.left, env, depth + 1) + self.items(node.right, env, depth + 1)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "items"
            and not node.args
        ):
            mapping = self.resolve(node.func.value, env)
            if isinstance(mapping, ast.Dict):
                return [
                    ast.Tuple(elts=[key, value], ctx=ast.Load())
                    for key, value in zip(mapping.keys, mapping.values, strict=True)
                    if key is not None
                ]
            return []
        if isinstance(node, ast.ListComp):
            return [self.substitute(node.elt, bound) for bound in self.bindings(node.generators, env, depth)]
        return []

    def resolve(self, node: ast.AST, env: dict[str, ast.AST]) -> ast.AST:
        for _ in range(20):
            if isinstance(node, ast.Name) and node.id in env:
                node = env[node.id]
            elif isinstance(node, ast.Name) and node.id in self.tables:
                node = self.tables[node.id]
            else:
                break
        return node

    def bindings(
        self, generators: list[ast.comprehension], env: dict[str, ast.AST], depth: int
    ) -> list[dict[str, ast.AST]]:
        if not generators:
            return [env]
        first, rest = generators[0], generators[1:]
        found: list[dict[str, ast.AST]] = []
        for item in self.items(first.iter, env, depth + 1):
            bound = _bind(first.target, item)
            if bound is not None:
                found += self.bindings(rest, {**env, **bound}, depth)
        return found

    def substitute(self, node: ast.AST, env: dict[str, ast.AST]) -> ast.AST:
        if isinstance(node, ast.Name) and node.id in env:
            return env[node.id]
        if isinstance(node, ast.Tuple):
            elts = [self.substitute(e, env) for e in node.elts]
            return ast.Tuple(elts=[e for e in elts if isinstance(e, ast.expr)], ctx=ast.Load())
        return node

    def rows(self, test: ast.FunctionDef | ast.AsyncFunctionDef) -> list[dict[str, ast.AST]]:
        """The bindings of a test's arguments, one per parametrized row (the product of its decorators)."""
        tables: list[list[dict[str, ast.AST]]] = []
        for deco in test.decorator_list:
            if not (isinstance(deco, ast.Call) and _dotted(deco.func).endswith("parametrize")):
                continue
            if len(deco.args) < 2:
                continue
            names = _argnames(deco.args[0])
            if not names:
                continue
            table: list[dict[str, ast.AST]] = []
            for item in self.items(deco.args[1], {}):
                values = _row_values(item, len(names))
                if values is not None:
                    table.append(dict(zip(names, values, strict=True)))
            tables.append(table)
        if not tables:
            return [{}]
        return [
            dict(itertools.chain.from_iterable(b.items() for b in combo))
            for combo in itertools.product(*tables)
        ]

    # -- what a test asserts ------------------------------------------------------------------------------

    def claims(self, body: list[ast.stmt]) -> list[_Claim]:
        found: list[_Claim] = []
        self._walk(body, {name: (_FIXED, False) for name in self.fixed}, [], found)
        return found

    def _walk(
        self,
        body: list[ast.stmt],
        names: dict[str, tuple[ast.AST, bool]],
        conditions: list[tuple[ast.AST, bool]],
        found: list[_Claim],
    ) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                subject = _subject(stmt.value, names)
                if subject is not None:  # result = screen(text); code, [result] = run(text)
                    is_tier = _field(stmt.value)[0] == "tier" or isinstance(stmt.value, ast.Call)
                    for target in ast.walk(stmt.targets[0]):
                        if isinstance(target, ast.Name):
                            names[target.id] = (subject, is_tier)
            elif isinstance(stmt, ast.If):
                self._walk(stmt.body, dict(names), [*conditions, (stmt.test, True)], found)
                self._walk(stmt.orelse, dict(names), [*conditions, (stmt.test, False)], found)
            elif isinstance(stmt, ast.Assert):
                for subject, verdict in _assertions(stmt.test, names):
                    found.append(_Claim(subject, verdict, list(conditions)))
            elif isinstance(stmt, ast.With | ast.For | ast.While | ast.Try):
                # a loop or a context: what it asserts depends on more than the row
                continue


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _argnames(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [n.strip() for n in node.value.split(",") if n.strip()]
    if isinstance(node, ast.Tuple | ast.List):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _row_values(item: ast.AST, width: int) -> list[ast.AST] | None:
    values: list[ast.AST]
    if isinstance(item, ast.Call) and _dotted(item.func).endswith("param"):
        values = list(item.args)
    elif width == 1:
        return [item]
    elif isinstance(item, ast.Tuple | ast.List):
        values = list(item.elts)
    else:
        return None
    return values if len(values) == width else None


def _bind(target: ast.AST, item: ast.AST) -> dict[str, ast.AST] | None:
    if isinstance(target, ast.Name):
        return {target.id: item}
    if isinstance(target, ast.Tuple) and isinstance(item, ast.Tuple) and len(target.elts) == len(item.elts):
        found: dict[str, ast.AST] = {}
        for sub, value in zip(target.elts, item.elts, strict=True):
            bound = _bind(sub, value)
            if bound is None:
                return None
            found.update(bound)
        return found
    return None


def _fixed_score_helpers(tree: ast.Module) -> set[str]:
    """The names in a module that build a screener whose score the test fixes: its functions that call
    ``Screener(scorer=...)`` or another such name, and the helpers of tests/safety/probes.py that do."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "tests.safety.probes":
            helpers = _fixed_score_helpers(ast.parse((HERE / "probes.py").read_text(encoding="utf-8")))
            found.update(a.asname or a.name for a in node.names if a.name in helpers)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("test")]
    for _ in range(3):
        for fn in functions:
            for call in ast.walk(fn):
                if isinstance(call, ast.Call) and (
                    any(k.arg == "scorer" for k in call.keywords)
                    or (isinstance(call.func, ast.Name) and call.func.id in found)
                ):
                    found.add(fn.name)
    return found


def _fixed_chain(node: ast.AST, names: dict[str, tuple[ast.AST, bool]]) -> bool:
    """Whether a screened value comes from a screener with a fixed score (``_always_scored().screen(...)``,
    ``Screener(scorer=...).screen(...)``): what it asserts is what a score does, not what the sentence is."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        if isinstance(node, ast.Call):
            if any(k.arg == "scorer" for k in node.keywords):
                return True
            if isinstance(node.func, ast.Name) and names.get(node.func.id, (None,))[0] is _FIXED:
                return True
            node = node.func
        else:
            node = node.value
    return False


def _subject(node: ast.AST, names: dict[str, tuple[ast.AST, bool]]) -> ast.AST | None:
    """The sentence a screened value is about: the first literal sentence or name among the call's arguments
    (``_lexicon(text, lang)``, ``screen("...")``), through attributes and earlier assignments; None for a
    screener whose score the test fixes."""
    if _fixed_chain(node, names):
        return None
    if isinstance(node, ast.Attribute | ast.Subscript):
        return _subject(node.value, names)
    if isinstance(node, ast.Name):
        found = names[node.id][0] if node.id in names else None
        return None if found is _FIXED else found
    if isinstance(node, ast.Call):
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return arg if _is_sentence(arg.value.strip()) else None
            if isinstance(arg, ast.Name):
                return arg
        return _subject(node.func, names) if isinstance(node.func, ast.Attribute) else None
    return None


def _field(node: ast.AST) -> tuple[str, ast.AST | None]:
    """("tier", X) for ``X.tier`` or ``X["tier"]`` (likewise escalate, kind); ("", None) otherwise."""
    if isinstance(node, ast.Attribute):
        return node.attr, node.value
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value), node.value
    return "", None


def _tier_of(node: ast.AST, names: dict[str, tuple[ast.AST, bool]]) -> ast.AST | None:
    """The subject when ``node`` is a tier: ``<screened>.tier``, or a name assigned one (``got = ...``)."""
    name, value = _field(node)
    if name == "tier" and value is not None:
        return _subject(value, names)
    if isinstance(node, ast.Name) and node.id in names and names[node.id][1]:
        return names[node.id][0]
    return None


def _tier_verdict(op: ast.cmpop, words: set[str]) -> str | None:
    known = {TIER_WORDS.get(w, "") for w in words}
    if "" in known or not known:
        return None
    positive = isinstance(op, ast.Eq | ast.Is | ast.In)
    if not positive and not isinstance(op, ast.NotEq | ast.IsNot | ast.NotIn):
        return None
    if not positive:  # != w / not in (...): the other tiers
        if known == {CLEAR}:
            return FLAGGED
        if known <= {CASE}:
            return NOT_CASE
        if known == {CASE, REVIEW} or known == {FLAGGED}:
            return CLEAR
        return None
    if len(known) == 1:
        return known.pop()
    if known <= FLAGGED_VERDICTS:
        return CASE if known == {CASE} else FLAGGED
    if known == {CLEAR, REVIEW}:
        return NOT_CASE
    return None


def _literal_words(node: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        return words if len(words) == len(node.elts) else None
    return None


def _assertions(
    test: ast.AST, names: dict[str, tuple[ast.AST, bool]]
) -> list[tuple[ast.AST, tuple[str, ...]]]:
    """(subject, verdict) for each statement about a tier in an assert's test. A verdict is ``(v,)``, or
    ``("tier_of", name, op)`` / ``("case_if", name)`` / ``("if", verdict, name)`` to be read from the row."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [claim for value in test.values for claim in _assertions(value, names)]
    name, value = _field(test)
    if name == "escalate" and value is not None:
        subject = _subject(value, names)
        return [(subject, (CASE,))] if subject is not None else []
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        name, value = _field(test.operand)
        subject = _subject(value, names) if name == "escalate" and value is not None else None
        return [(subject, (NOT_CASE,))] if subject is not None else []
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return []
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if isinstance(right, ast.Dict) and isinstance(op, ast.Eq):  # result.to_dict() == {"tier": "case", ...}
        subject = _subject(left, names)
        found: list[tuple[ast.AST, tuple[str, ...]]] = []
        for key, item in zip(right.keys, right.values, strict=True):
            if subject is None or not isinstance(key, ast.Constant):
                continue
            if key.value == "tier" and isinstance(item, ast.Constant) and item.value in TIER_WORDS:
                found.append((subject, (TIER_WORDS[str(item.value)],)))
            if key.value == "escalate" and isinstance(item, ast.Constant) and isinstance(item.value, bool):
                found.append((subject, (CASE if item.value else NOT_CASE,)))
        return found
    if isinstance(left, ast.Tuple) and isinstance(right, ast.Tuple) and len(left.elts) == len(right.elts):
        pairs = [ast.Compare(left=a, ops=[ast.Eq()], comparators=[b]) for a, b in zip(left.elts, right.elts)]
        return (
            [claim for pair in pairs for claim in _assertions(pair, names)] if isinstance(op, ast.Eq) else []
        )
    subject = _tier_of(left, names)
    if subject is not None:
        words = _literal_words(right)
        if words is not None:
            verdict = _tier_verdict(op, words)
            return [(subject, (verdict,))] if verdict else []
        if isinstance(right, ast.Name) and isinstance(op, ast.Eq | ast.Is):
            return [(subject, ("tier_of", right.id))]
        if isinstance(right, ast.Tuple) and isinstance(op, ast.In):  # in (tier, "case"): at least the row's
            extra = [e for e in right.elts if isinstance(e, ast.Name)]
            rest = _literal_words(ast.Tuple(elts=[e for e in right.elts if not isinstance(e, ast.Name)]))
            if len(extra) == 1 and rest is not None and {TIER_WORDS.get(w) for w in rest} <= FLAGGED_VERDICTS:
                return [(subject, ("flagged_or", extra[0].id))]
        return []
    name, value = _field(left)
    if name == "escalate" and value is not None and isinstance(op, ast.Is | ast.Eq):
        subject = _subject(value, names)
        if subject is None:
            return []
        if isinstance(right, ast.Constant) and isinstance(right.value, bool):
            return [(subject, (CASE if right.value else NOT_CASE,))]
        if isinstance(right, ast.Name):
            return [(subject, ("case_if", right.id))]
        return []
    if name == "kind" and value is not None and isinstance(op, ast.Eq):
        subject = _subject(value, names)
        if subject is not None and isinstance(right, ast.Constant):
            verdict = KIND_WORDS.get(str(right.value))
            return [(subject, (verdict,))] if verdict else []
        if subject is not None and isinstance(right, ast.Name):
            return [(subject, ("kind_of", right.id))]
        return []
    if isinstance(left, ast.Compare) and isinstance(op, ast.Is | ast.Eq) and isinstance(right, ast.Name):
        inner = _assertions(left, names)  # (... != "clear") is escalate
        return [(subject, ("if", verdict[0], right.id)) for subject, verdict in inner if len(verdict) == 1]
    return []


def _value(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else _UNKNOWN


def _holds(test: ast.AST, row: dict[str, ast.AST]) -> object:
    """Whether a condition holds for a row: True, False or _UNKNOWN."""
    if isinstance(test, ast.Name):
        value = _value(row.get(test.id))
        return _UNKNOWN if value is _UNKNOWN else bool(value)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _holds(test.operand, row)
        return _UNKNOWN if inner is _UNKNOWN else not inner
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq | ast.NotEq):
        left = _value(row.get(test.left.id)) if isinstance(test.left, ast.Name) else _value(test.left)
        right = test.comparators[0]
        other = _value(row.get(right.id)) if isinstance(right, ast.Name) else _value(right)
        if left is _UNKNOWN or other is _UNKNOWN:
            return _UNKNOWN
        return (left == other) is isinstance(test.ops[0], ast.Eq)
    return _UNKNOWN


def _read(verdict: tuple[str, ...], row: dict[str, ast.AST]) -> str | None:
    if len(verdict) == 1:
        return verdict[0]
    kind = verdict[0]
    if kind == "tier_of":
        return TIER_WORDS.get(str(_value(row.get(verdict[1]))))
    if kind == "kind_of":
        return KIND_WORDS.get(str(_value(row.get(verdict[1]))))
    if kind == "flagged_or":
        word = TIER_WORDS.get(str(_value(row.get(verdict[1]))))
        return FLAGGED if word in FLAGGED_VERDICTS else None
    if kind == "case_if":
        value = _value(row.get(verdict[1]))
        return None if not isinstance(value, bool) else (CASE if value else NOT_CASE)
    if kind == "if":
        value = _value(row.get(verdict[2]))
        if not isinstance(value, bool):
            return None
        return verdict[1] if value else _COMPLEMENT.get(verdict[1])
    return None


def probe_verdicts(folder: Path = HERE) -> dict[str, frozenset[str]]:
    """Per probe sentence, the verdicts the tests assert about it (rules in the module docstring); a sentence
    no test asserts a tier of is absent or has an empty set."""
    found: dict[str, set[str]] = {}
    for _path, tree in _modules(folder):
        module = _Module(tree)
        for test in module.tests:
            claims = module.claims(test.body)
            for row in module.rows(test):
                for claim in claims:
                    if any(_holds(cond, row) is not want for cond, want in claim.conditions):
                        continue  # another branch, or a condition not read statically
                    subject = claim.subject
                    if isinstance(subject, ast.Name):
                        subject = row.get(subject.id, subject)
                    text = _value(subject)
                    verdict = _read(claim.verdict, row)
                    if _is_sentence(text) and verdict:
                        found.setdefault(str(text), set()).add(verdict)
        # rule 3: a row that carries its own tier word, when no test asserted a tier of its sentence
        for node in ast.walk(tree):
            values = _constants(node)
            if values is None:
                continue
            texts = [v for v in values if _is_sentence(v)]
            words = [TIER_WORDS[v] for v in values if isinstance(v, str) and v in TIER_WORDS]
            if len(texts) == 1 and len(words) == 1 and not found.get(str(texts[0])):
                found.setdefault(str(texts[0]), set()).add(words[0])
    return {text: frozenset(verdicts) for text, verdicts in found.items()}


def flagged_probes(folder: Path = HERE) -> list[tuple[str, str | None]]:
    """The probes a test asserts as flagged (case, review, or case-or-review), as ``table_probes`` gives them:
    the only ones a clearing lever's bound counts (round 11)."""
    verdicts = probe_verdicts(folder)
    return [
        (text, lang)
        for text, lang in table_probes(folder)
        if verdicts.get(text, frozenset()) & FLAGGED_VERDICTS
    ]
