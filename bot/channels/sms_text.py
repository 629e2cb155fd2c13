"""Segment-aware SMS text: which encoding a message needs, what it costs, and how to split it.

The program pays per SMS segment, and one character outside the GSM 03.38 alphabet turns a whole message into
UCS-2 (70 characters a segment instead of 160). This module counts segments the way carriers bill them and
splits long text into messages that each stay within a segment budget, without ever cutting a character, a GSM
escape sequence, an emoji or a word that would fit whole. Pure functions, no I/O, no provider SDK.
"""

from __future__ import annotations

import heapq
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

GSM7: Encoding = "GSM-7"
UCS2: Encoding = "UCS-2"

#: GSM 03.38 basic character set (the 127 printable positions; 0x1B is the escape to the extension table).
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: GSM 03.38 extension table: each costs two septets (escape + character).
GSM7_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160  # septets in a message that is one segment
GSM7_PER_SEGMENT = 153  # septets per segment once a user data header is needed
UCS2_SINGLE = 70  # UTF-16 code units in a one-segment message
UCS2_PER_SEGMENT = 67
MAX_MESSAGE_CHARS = 1600  # Twilio's maximum body length; we count UTF-16 code units (the stricter reading)


@dataclass(frozen=True, slots=True)
class SegmentCount:
    """What one message costs: its encoding, its length in that encoding's units, and the billed segments.

    ``units`` are septets for GSM-7 (extension characters count two) and UTF-16 code units for UCS-2
    (an emoji outside the BMP counts two). An empty text is zero segments.
    """

    encoding: Encoding
    units: int
    segments: int


def encoding_for(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM 03.38 basic or extension table, else UCS-2."""
    for ch in text:
        if ch not in GSM7_BASIC and ch not in GSM7_EXTENSION:
            return UCS2
    return GSM7


def non_gsm_characters(text: str) -> list[str]:
    """The distinct characters that force UCS-2, in order of first appearance (for content warnings)."""
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in GSM7_BASIC and ch not in GSM7_EXTENSION:
            seen.setdefault(ch, None)
    return list(seen)


def _septets(ch: str) -> int:
    return 2 if ch in GSM7_EXTENSION else 1


def _utf16_units(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def count_segments(text: str) -> SegmentCount:
    """Count the segments a carrier bills for ``text`` sent as one message.

    A split message loses room to the concatenation header (153 septets / 67 units per segment), and a segment
    never ends between an escape and its character or between the halves of a surrogate pair: such a
    character moves to the next segment whole. Texts over ``MAX_MESSAGE_CHARS`` are counted all the same;
    :func:`fit_to_budget` is what keeps messages under that limit.
    """
    encoding = encoding_for(text)
    if encoding == GSM7:
        widths = [_septets(ch) for ch in text]
        single, per_segment = GSM7_SINGLE, GSM7_PER_SEGMENT
    else:
        widths = [_utf16_units(ch) for ch in text]
        single, per_segment = UCS2_SINGLE, UCS2_PER_SEGMENT
    units = sum(widths)
    if units == 0:
        return SegmentCount(encoding, 0, 0)
    if units <= single:
        return SegmentCount(encoding, units, 1)
    segments, fill = 1, 0
    for width in widths:
        if fill + width > per_segment:
            segments += 1
            fill = 0
        fill += width
    return SegmentCount(encoding, units, segments)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of ``MAX_MESSAGE_CHARS`` here."""
    return sum(_utf16_units(ch) for ch in text)


def fits(text: str, max_segments: int) -> bool:
    """True when ``text`` sent as one message costs at most ``max_segments`` and is within Twilio's limit."""
    return count_segments(text).segments <= max_segments and utf16_length(text) <= MAX_MESSAGE_CHARS


# --- grapheme clusters (a simplified UAX #29: enough not to break what a reader sees as one character) ------

_ZWJ = "\u200d"
_MAX_CLUSTER = 32  # code points; caps pathological "zalgo" stacks so any cluster fits one segment


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _extends(ch: str) -> bool:
    """Characters that attach to the one before them (combining marks, joiners, selectors, modifiers,
    tags)."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or cp in (0x200C, 0x200D)  # ZWNJ, ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
    )


def graphemes(text: str) -> list[str]:
    """Split text into user-perceived characters, simply: never before a combining mark, ZWJ, variation
    selector, skin-tone modifier or tag; never after a ZWJ; regional indicators in pairs; CR LF together."""
    clusters: list[str] = []
    current = ""
    for ch in text:
        if current and len(current) < _MAX_CLUSTER:
            last = current[-1]
            joined = (
                _extends(ch)
                or last == _ZWJ
                or (last == "\r" and ch == "\n")
                or (
                    _is_regional_indicator(ch)
                    and _is_regional_indicator(last)
                    and sum(1 for c in current if _is_regional_indicator(c)) % 2 == 1
                )
            )
            if joined:
                current += ch
                continue
        if current:
            clusters.append(current)
        current = ch
    if current:
        clusters.append(current)
    return clusters


# --- splitting ----------------------------------------------------------------------------------------------

# Spaces that must not become a break: NBSP, figure space, narrow NBSP (French "Bonjour\u202f!").
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")
_SENTENCE_END = frozenset(".!?…؟۔。！？")
_CLOSERS = frozenset(")]}\"'’”»›")

# Boundary kinds. A plan's cost counts its breaks of each kind except paragraphs (the natural place to split).
_PARAGRAPH, _LINE, _SENTENCE, _WORD, _HARD = 0, 1, 2, 3, 4


def _is_space(cluster: str) -> bool:
    return cluster[0].isspace() and cluster[0] not in _NO_BREAK_SPACES


@dataclass(frozen=True, slots=True)
class _Break:
    end: int  # grapheme index where the part before the break ends
    start: int  # grapheme index where the next part starts (after the dropped whitespace)
    kind: int


def _packed_segments(prefix: list[int], a: int, b: int, single: int, per_segment: int) -> int:
    """Segments for the code points a..b given prefix sums of their widths: next-fit packing, an item
    whole."""
    total = prefix[b] - prefix[a]
    if total == 0:
        return 0
    if total <= single:
        return 1
    segments = 0
    while a < b:
        a = bisect_right(prefix, prefix[a] + per_segment, a, b + 1) - 1
        segments += 1
    return segments


class _Splitter:
    """Plans the parts of one trimmed text as a shortest path over its allowed breaks.

    A plan is scored, in order: fewest messages; then fewest hard splits, word splits, sentence splits and
    line splits; then the most even part lengths (no lonely last word). Prefix sums make "does clusters[s:e]
    fit" cost a few bisections.
    """

    def __init__(self, clusters: list[str], max_segments: int) -> None:
        self.g = clusters
        self.n = len(clusters)
        self.max_segments = max_segments
        # Per cluster: code point offset and count of non-GSM clusters; per code point: septets and
        # UTF-16 units.
        self.offset, self.non_gsm = [0], [0]
        self.septets, self.units16 = [0], [0]
        for cluster in clusters:
            self.offset.append(self.offset[-1] + len(cluster))
            gsm = True
            for ch in cluster:
                if ch in GSM7_BASIC:
                    self.septets.append(self.septets[-1] + 1)
                elif ch in GSM7_EXTENSION:
                    self.septets.append(self.septets[-1] + 2)
                else:
                    self.septets.append(self.septets[-1] + 1)  # unused: such a part is UCS-2
                    gsm = False
                self.units16.append(self.units16[-1] + _utf16_units(ch))
            self.non_gsm.append(self.non_gsm[-1] + (not gsm))
        self.breaks = self._find_breaks()
        self.break_ends = [b.end for b in self.breaks]
        self.overlong = self._overlong_words()
        self._needed: dict[int, int] = {}

    def units(self, s: int, e: int) -> int:
        return self.units16[self.offset[e]] - self.units16[self.offset[s]]

    def fits(self, s: int, e: int) -> bool:
        """Would clusters[s:e], sent as one message, stay within the budget?"""
        a, b = self.offset[s], self.offset[e]
        if self.units16[b] - self.units16[a] > MAX_MESSAGE_CHARS:
            return False
        if self.non_gsm[e] == self.non_gsm[s]:
            segments = _packed_segments(self.septets, a, b, GSM7_SINGLE, GSM7_PER_SEGMENT)
        else:
            segments = _packed_segments(self.units16, a, b, UCS2_SINGLE, UCS2_PER_SEGMENT)
        return segments <= self.max_segments

    def reach(self, s: int) -> int:
        """The furthest e such that clusters[s:e] fits (at least s + 1: any one cluster fits a segment)."""
        lo, hi = s + 1, self.n
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.fits(s, mid):
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _find_breaks(self) -> list[_Break]:
        g, i = self.g, 0
        breaks: list[_Break] = []
        while i < self.n:
            if not _is_space(g[i]):
                i += 1
                continue
            j = i
            while j < self.n and _is_space(g[j]):
                j += 1
            newlines = sum(1 for c in g[i:j] if "\n" in c or "\r" in c)
            if newlines >= 2:
                kind = _PARAGRAPH
            elif newlines == 1:
                kind = _LINE
            else:
                k = i - 1
                while k > 0 and g[k] in _CLOSERS:
                    k -= 1
                kind = _SENTENCE if g[k][0] in _SENTENCE_END else _WORD
            breaks.append(_Break(i, j, kind))
            i = j
        return breaks

    def _overlong_words(self) -> list[tuple[int, int]]:
        """Words that cannot fit one message on their own: the only places a hard split is allowed."""
        words: list[tuple[int, int]] = []
        start = 0
        for b in self.breaks:
            words.append((start, b.end))
            start = b.start
        words.append((start, self.n))
        return [(s, e) for s, e in words if not self.fits(s, e)]

    def _ends(self, s: int) -> Iterator[_Break]:
        """Every allowed end for a message starting at clusters[s], latest first."""
        r = self.reach(s)
        if r >= self.n:
            yield _Break(self.n, self.n, _PARAGRAPH)
            return
        for ws, we in self.overlong:
            if ws < r < we:
                yield _Break(r, r, _HARD)
        idx = bisect_right(self.break_ends, r) - 1
        while idx >= 0 and self.breaks[idx].end > s:
            yield self.breaks[idx]
            idx -= 1

    def parts_needed(self, pos: int) -> int:
        """Fewest messages for clusters[pos:]: greedy, taking the latest allowed end each time, is optimal."""
        chain: list[int] = []
        while pos not in self._needed:
            if pos >= self.n:
                self._needed[pos] = 0
                break
            chain.append(pos)
            pos = next(self._ends(pos)).start
        count = self._needed[pos]
        for p in reversed(chain):
            count += 1
            self._needed[p] = count
        return count

    def split(self) -> list[str]:
        """Shortest path in position order over the plans that keep the fewest messages."""
        total = self.parts_needed(0)
        best: dict[int, tuple[int, ...]] = {0: (0, 0, 0, 0, 0, 0)}
        back: dict[int, tuple[int, int]] = {}
        queue: list[int] = [0]
        done: set[int] = set()
        while queue:
            s = heapq.heappop(queue)
            if s in done or s == self.n:
                continue
            done.add(s)
            parts, hard, word, sentence, line, spread = best[s]
            for b in self._ends(s):
                if parts + 1 + self.parts_needed(b.start) > total:
                    break  # ends only get earlier from here, and need at least as many messages after
                length = self.units(s, b.end)
                kind = b.kind if b.end < self.n else _PARAGRAPH
                cost = (
                    parts + 1,
                    hard + (kind == _HARD),
                    word + (kind == _WORD),
                    sentence + (kind == _SENTENCE),
                    line + (kind == _LINE),
                    spread + length * length,
                )
                if b.start not in best or cost < best[b.start]:
                    best[b.start] = cost
                    back[b.start] = (s, b.end)
                    heapq.heappush(queue, b.start)
        pieces: list[str] = []
        pos = self.n
        while pos:
            s, end = back[pos]
            pieces.append("".join(self.g[s:end]))
            pos = s
        return pieces[::-1]


def fit_to_budget(text: str, max_segments: int) -> list[str]:
    """Split ``text`` into as few messages as possible, each costing at most ``max_segments`` segments.

    A text that fits is returned unchanged as one message; an empty text gives no message. Otherwise the parts
    break at whitespace (dropped at the break), preferring, among the splits that keep the fewest messages, a
    paragraph, then a line, then a sentence, then a word boundary. A word is cut only when it cannot fit one
    message on its own, and then only between grapheme clusters: never inside a character, a GSM escape, an
    emoji sequence, a flag or a letter with its diacritics. Each part is encoded on its own, so a GSM-only
    part of an otherwise UCS-2 text is billed at the cheaper rate.
    """
    if max_segments < 1:
        raise ValueError(f"max_segments must be at least 1, got {max_segments}")
    if not text:
        return []
    if fits(text, max_segments):
        return [text]
    clusters = graphemes(text)
    first = 0
    while first < len(clusters) and _is_space(clusters[first]):
        first += 1
    last = len(clusters)
    while last > first and _is_space(clusters[last - 1]):
        last -= 1
    return _Splitter(clusters[first:last], max_segments).split()
