"""Repair of GBK one-byte-offset mojibake (GBK错位乱码修复).

The damage (TEXT-NOTES.md, seed 001): the page was GBK; a decoder lost one byte and read on one
byte out of step — every pair it decoded straddles two real characters — until a stray ASCII
byte put it back in step. Lost bytes became ``?``. Example: ``?。ㄒ唬┲笇?枷?`` for ``（一）指導思想``.

Repair: turn every character of a damaged line back into its GB18030 bytes (``?`` becomes an
unknown byte), then re-decode that byte stream choosing, by dynamic programming, the alignment
whose characters are most plausible — plausibility being each character's frequency in the
undamaged lines of the same document. An in-step stretch re-decodes to itself; a shifted stretch
re-decodes to the original. A character one of whose bytes is unknown is guessed from the
document's own bigrams when the guess is well supported, else reported as unrepaired (``\ufffd``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

#: Marks a character that could not be recovered (unrepaired).
LOST = "\ufffd"

_PUA = re.compile(r"[\ue000-\uf8ff]")
# A damaged line: private-use characters (user-defined GBK area read out of step), or a ``?``
# touching a Han character / full-width punctuation, which ordinary text never has.
DAMAGE = re.compile(r"[\ue000-\uf8ff]|\?(?=[\u3000-\u303f\u3100-\u9fff\uff00-\uffef])|(?<=[\u4e00-\u9fff])\?")

_LOST_COST = 16.0
_UNKNOWN = -1
#: the second byte a ``?`` may stand for: the damaged decoder sometimes swallowed two bytes
_OPTIONAL = -2


def _legacy_gbk_bytes(ch: str) -> bytes | None:
    """GBK bytes of a private-use character as the damaging decoder (GB18030-2000/CP936) mapped it.

    Python's ``gb18030`` follows the 2005 edition, where these codes became real characters, so
    it encodes the old private-use code points as 4 bytes. The damaged page used the old mapping:
    FE50–FEA0 → U+E815–U+E864 in order (0x7F skipped), A989–A995 → U+E7E7–U+E7F3,
    A6D9–A6DF, A6EC–A6ED, A6F3 → U+E78D–U+E796, A8BC → U+E7C7, A8BF → U+E7C8.
    """
    o = ord(ch)
    if 0xE815 <= o <= 0xE864:
        trail = 0x50 + (o - 0xE815)
        if trail >= 0x7F:
            trail += 1
        return bytes((0xFE, trail))
    if 0xE7E7 <= o <= 0xE7F3:
        return bytes((0xA9, 0x89 + o - 0xE7E7))
    if 0xE78D <= o <= 0xE796:
        trails = (0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xEC, 0xED, 0xF3)
        return bytes((0xA6, trails[o - 0xE78D]))
    if o == 0xE7C7:
        return b"\xa8\xbc"
    if o == 0xE7C8:
        return b"\xa8\xbf"
    return None


@dataclass
class RepairReport:
    """What :func:`repair_text` did: repaired lines and what stayed lost."""

    repaired_lines: list[int] = field(default_factory=list)
    # (line index, column in the repaired line, snippet around it)
    unrepaired: list[dict] = field(default_factory=list)
    guessed: list[dict] = field(default_factory=list)
    # repaired segments (line index, repaired text of the segment that changed)
    segments: list[tuple[int, str]] = field(default_factory=list)


def is_damaged(line: str) -> bool:
    """True when a line shows GBK-offset damage (private-use chars or ``?`` inside Chinese)."""
    return DAMAGE.search(line) is not None


def _char_penalty(ch: str) -> float:
    """Extra cost of characters a real document hardly ever contains."""
    o = ord(ch)
    if 0xE000 <= o <= 0xF8FF:
        return 25.0  # private use: only ever produced by the misalignment
    if 0x2500 <= o <= 0x257F or 0x3100 <= o <= 0x312F or 0x2460 <= o <= 0x24FF:
        return 6.0  # box drawing, bopomofo, circled numbers: GBK rows A8/A9 read out of step
    if 0x4E00 <= o <= 0x9FFF or o < 0x80 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
        return 0.0
    if 0x2010 <= o <= 0x201F:
        return 0.0
    return 4.0


class _Model:
    """Unigram costs and bigram counts of a document's undamaged lines."""

    def __init__(self, clean_lines: list[str]):
        self.counts: Counter[str] = Counter()
        self.bigrams: Counter[str] = Counter()
        for line in clean_lines:
            self.counts.update(line)
            self.bigrams.update(line[i : i + 2] for i in range(len(line) - 1))
        self.total = sum(self.counts.values()) + 1000
        self._cache: dict[str, float] = {}

    def cost(self, ch: str) -> float:
        c = self._cache.get(ch)
        if c is None:
            c = math.log(self.total / (self.counts.get(ch, 0) + 0.3)) + _char_penalty(ch)
            self._cache[ch] = c
        return c


def _to_bytes(line: str) -> list[int]:
    out: list[int] = []
    for ch in line:
        if ch == "?":
            out.extend((_UNKNOWN, _OPTIONAL))
        elif ch == LOST:
            out.append(_UNKNOWN)
        else:
            encoded = ch.encode("gb18030", errors="replace")
            if len(encoded) == 4 and "\ue000" <= ch <= "\uf8ff":
                encoded = _legacy_gbk_bytes(ch) or encoded
            out.extend(encoded)
    return out


def _decode2(b1: int, b2: int) -> str | None:
    if not (0x81 <= b1 <= 0xFE and 0x40 <= b2 <= 0xFE and b2 != 0x7F):
        return None
    try:
        ch = bytes((b1, b2)).decode("gb18030")
    except UnicodeDecodeError:
        return None
    return ch if len(ch) == 1 else None


def _redecode(stream: list[int], model: _Model) -> list[tuple[str, int | None]]:
    """Best decoding of a byte stream with unknown bytes. Returns (char, lead byte if lost) pairs."""
    n = len(stream)
    inf = float("inf")
    best = [inf] * (n + 1)
    back: list[tuple[int, str, int | None] | None] = [None] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        base = best[i]
        if base == inf:
            continue
        b = stream[i]

        def relax(j: int, ch: str, cost: float, lead: int | None = None, *, _i: int = i, _base: float = base):
            if j <= n and _base + cost < best[j]:
                best[j] = _base + cost
                back[j] = (_i, ch, lead)

        if b == _OPTIONAL:
            relax(i + 1, "", 0.0)  # the ``?`` stood for one byte only
        if b < 0:
            relax(i + 1, LOST, _LOST_COST)  # a whole lost character
            if i + 1 < n and stream[i + 1] >= 0x40:
                relax(i + 2, LOST, _LOST_COST)  # unknown lead byte + known trail byte
            elif b == _UNKNOWN and i + 2 < n and stream[i + 1] == _OPTIONAL and stream[i + 2] >= 0x40:
                relax(i + 3, LOST, _LOST_COST)  # same, the ``?`` standing for one byte
            continue
        if b < 0x80:
            relax(i + 1, chr(b), model.cost(chr(b)))
            continue
        if i + 1 < n:
            b2 = stream[i + 1]
            if b2 < 0:
                relax(i + 2, LOST, _LOST_COST, b)  # known lead byte, lost trail byte
            else:
                ch = _decode2(b, b2)
                if ch is not None:
                    relax(i + 2, ch, model.cost(ch))
                elif 0x30 <= b2 <= 0x39 and i + 3 < n and _UNKNOWN not in stream[i + 2 : i + 4]:
                    try:
                        ch4 = bytes(stream[i : i + 4]).decode("gb18030")
                        relax(i + 4, ch4, model.cost(ch4))
                    except UnicodeDecodeError:
                        pass
        relax(i + 1, LOST, _LOST_COST + 4)  # a lone byte whose partner was lost
    out: list[tuple[str, int | None]] = []
    j = n
    while j > 0:
        step = back[j]
        if step is None:  # unreachable in practice: every byte has a fallback transition
            return [(ch, None) for ch in bytes(b for b in stream if b >= 0).decode("gb18030", "replace")]
        i, ch, lead = step
        if ch:
            out.append((ch, lead))
        j = i
    out.reverse()
    return out


def _guess(lead: int | None, prev: str, nxt: str, model: _Model) -> str | None:
    """Guess a character with a known lead byte and a lost trail byte from the document's bigrams."""
    if lead is None:
        return None
    best, best_score = None, 0
    for trail in range(0x40, 0xFF):
        ch = _decode2(lead, trail)
        if ch is None or not ("\u4e00" <= ch <= "\u9fff"):
            continue
        score = model.bigrams.get(prev + ch, 0) + model.bigrams.get(ch + nxt, 0)
        if nxt.isascii() and nxt.isalpha():
            # the lost trail byte swallowed the "(" of a pinyin annotation: 規(guī) → 規guī)
            score += model.bigrams.get(ch + "(", 0)
        if score > best_score:
            best, best_score = ch, score
    return best if best_score >= 3 else None


def repair_line(line: str, model: _Model) -> tuple[str, list[int], list[int]]:
    """Repair one damaged line. Returns (text, columns still lost, columns guessed)."""
    decoded = _redecode(_to_bytes(line), model)
    chars = [ch for ch, _ in decoded]
    lost_cols: list[int] = []
    guessed_cols: list[int] = []
    for k, (ch, lead) in enumerate(decoded):
        if ch != LOST:
            continue
        if lead == 0xA3 and k + 1 < len(chars) and chars[k + 1] in ")）":
            # "（" whose trail byte and the item digit were lost: "（1）" → "（�）"
            chars[k] = "（" + LOST
            lost_cols.append(k)
            continue
        if not "".join(chars[:k]).strip():
            # a lost byte in the indent: the second half of a full-width space (全角空格)
            chars[k] = " "
            continue
        prev = chars[k - 1] if k else ""
        nxt = chars[k + 1] if k + 1 < len(chars) else ""
        guess = _guess(lead, prev, nxt, model)
        if guess:
            chars[k] = guess
            guessed_cols.append(k)
        else:
            lost_cols.append(k)
    return "".join(chars), lost_cols, guessed_cols


def repair_text(text: str) -> tuple[str, RepairReport]:
    """Repair every damaged line of ``text`` (lines are judged one by one, the model is per document)."""
    report = RepairReport()
    lines = text.split("\n")
    damaged = [i for i, line in enumerate(lines) if is_damaged(line)]
    if not damaged:
        return text, report
    damaged_set = set(damaged)
    model = _Model([line for i, line in enumerate(lines) if i not in damaged_set])
    for i in damaged:
        old = lines[i]
        new, lost_cols, guessed_cols = repair_line(old, model)
        if new == old:
            continue
        lines[i] = new
        report.repaired_lines.append(i)
        report.segments.extend((i, seg) for seg in _changed_segments(old, new))
        for col in lost_cols:
            report.unrepaired.append({"line": i + 1, "column": col, "snippet": new[max(0, col - 8) : col + 8]})
        for col in guessed_cols:
            report.guessed.append({"line": i + 1, "column": col, "char": new[col], "snippet": new[max(0, col - 8) : col + 8]})
    return "\n".join(lines), report


def _changed_segments(old: str, new: str) -> list[str]:
    """The stretches of ``new`` that differ from ``old`` (used to flag low-confidence figures)."""
    import difflib

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [new[j1:j2] for tag, _i1, _i2, j1, j2 in matcher.get_opcodes() if tag != "equal" and j2 > j1]
