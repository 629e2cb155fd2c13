"""Patient text in the console: right-to-left text shown right, invisible characters shown, long text folded.

A patient's words are evidence (a PV case quotes them), so staff must see exactly what arrived: characters
that reorder or hide text (right-to-left overrides, zero-width spaces) are shown as visible markers and never
applied. Each message is its own bidi-isolated block with `dir="auto"`, so Arabic reads right to left with its
punctuation where Arabic puts it, and cannot reorder the page around it. A very long message is folded
behind "show all".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from markupsafe import Markup, escape

# Characters that change the order or visibility of text without being seen themselves, with short labels.
HIDDEN: dict[str, str] = {
    "\u061c": "ALM",
    "\u200b": "ZWSP",
    "\u200c": "ZWNJ",
    "\u200d": "ZWJ",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2060": "WJ",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
    "\ufeff": "BOM",
}
_HIDDEN = re.compile("[" + "".join(HIDDEN) + "]")
FOLD_AFTER = 600  # characters shown before "show all": a few lines on a laptop screen


def _marker(char: str) -> Markup:
    name = unicodedata.name(char, "").title()
    return Markup('<span class="ctl" title="U+{:04X} {}">[{}]</span>').format(ord(char), name, HIDDEN[char])


def _visible(text: str) -> Markup:
    """HTML-escaped text with every hidden character replaced by its visible marker."""
    parts: list[Markup] = []
    last = 0
    for found in _HIDDEN.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(_marker(found.group(0)))
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def marked(text: str, evidence: Iterable[str] = ()) -> Markup:
    """The text made visible, with each evidence word or phrase in <mark> (case-insensitive)."""
    words = sorted({w for w in evidence if w and w.strip()}, key=len, reverse=True)
    if not words:
        return _visible(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts: list[Markup] = []
    last = 0
    for found in pattern.finditer(text):
        parts.append(_visible(text[last : found.start()]))
        parts.append(Markup("<mark>%s</mark>") % _visible(found.group(0)))
        last = found.end()
    parts.append(_visible(text[last:]))
    return Markup("").join(parts)


def patient_text(text: str | None, evidence: Iterable[str] = (), fold_after: int = FOLD_AFTER) -> Markup:
    """One message as an isolated `dir="auto"` block; when long, a preview and "show all"."""
    if text is None:
        return Markup("")
    words = list(evidence)
    body = Markup('<div class="patient-text" dir="auto">%s</div>') % marked(text, words)
    if len(text) <= fold_after:
        return body
    preview = marked(text[:fold_after], words)
    return Markup(
        '<details class="folded"><summary><span class="patient-text preview" dir="auto">{}…</span>'
        '<span class="show-all">show all ({:,} characters)</span></summary>{}</details>'
    ).format(preview, len(text), body)
