"""Repair of GBK one-byte-offset mojibake (GBK错位乱码修复).

The damage (TEXT-NOTES.md, seed 001): the page was GBK; a decoder lost one byte and read on one
byte out of step — every pair it decoded straddles two real characters — until a stray ASCII
byte put it back in step. Lost bytes became ``?``. Example: ``?。ㄒ唬┲笇?枷?`` for ``（一）指導思想``.

Repair: turn every character of a damaged line back into its GB18030 bytes (``?`` becomes an
unknown byte), then re-decode that byte stream choosing, by dynamic programming, the alignment
whose characters are most plausible — plausibility being each character's frequency in the
undamaged lines of the same document. An in-step stretch re-decodes to itself; a shifted stretch
re-decodes to the original. A character one of whose bytes is unknown is guessed from the
document's own bigrams when the guess is well supported (from its lead byte when the trail byte was
lost, from its trail byte when the lead byte was lost: ``確?`` + A3 → ``確保``), else reported as
unrepaired (``\ufffd``).

Full-width punctuation was folded to ASCII after the damage (TEXT-NOTES.md), including full-width
characters that the misaligned decoder itself produced: ``日常評價`` read one byte off gave ``Ｔ``
(A3D4), folded to ``T``, so a plain repair yields ``日砊u價``. :func:`refold_line` retries each ASCII
character near a suspect (lost, uncommon or private-use character, stray ASCII between Chinese
characters) as its full-width form and keeps the change only when it leaves fewer suspects and
everything it changed is common Chinese or punctuation. On seed 001 this and the trail-byte guesses
take the unrepaired characters from 59 to 43 (23 of them the digits of ``（1）``-style items).
"""

from __future__ import annotations

import difflib
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
#: marks a lost character whose trail byte is known (``_TRAIL + trail``), as opposed to a lead byte
_TRAIL = 0x100


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
    #: ASCII characters of damaged lines read back as the full-width ones they were folded from
    refolded: list[dict] = field(default_factory=list)


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
                relax(i + 2, LOST, _LOST_COST, _TRAIL + stream[i + 1])  # unknown lead byte + known trail byte
            elif b == _UNKNOWN and i + 2 < n and stream[i + 1] == _OPTIONAL and stream[i + 2] >= 0x40:
                relax(i + 3, LOST, _LOST_COST, _TRAIL + stream[i + 2])  # same, the ``?`` standing for one byte
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


#: punctuation a lost character may be guessed as (dashes and brackets are too ambiguous)
_GUESSABLE_PUNCT = frozenset("。，、；：“”")


def _guess(lead: int | None, prev: str, nxt: str, model: _Model) -> str | None:
    """Guess a character with one lost byte from the document's bigrams.

    ``lead`` is the known lead byte (trail lost), or ``_TRAIL + trail`` when the lead byte was lost
    and the trail byte is known (``確?！毒V要`` → ``確保《綱要``: 保 is B1A3, its B1 lost).
    """
    if lead is None:
        return None
    if lead >= _TRAIL:
        pairs = [(b, lead - _TRAIL) for b in range(0x81, 0xFF)]
    else:
        pairs = [(lead, b) for b in range(0x40, 0xFF)]
    best, best_score = None, 0
    for b1, b2 in pairs:
        ch = _decode2(b1, b2)
        if ch is None or not ("\u4e00" <= ch <= "\u9fff" or ch in _GUESSABLE_PUNCT):
            continue
        score = model.bigrams.get(prev + ch, 0) + model.bigrams.get(ch + nxt, 0)
        if nxt.isascii() and nxt.isalpha():
            # the lost trail byte swallowed the "(" of a pinyin annotation: 規(guī) → 規guī)
            score += model.bigrams.get(ch + "(", 0)
        if score > best_score:
            best, best_score = ch, score
    return best if best_score >= 3 else None


def _is_cjk_punct(ch: str) -> bool:
    """CJK or full-width punctuation (。，、；：？！（）《》“”…), not letters or digits."""
    o = ord(ch)
    return (0x3001 <= o <= 0x303F or 0x2014 <= o <= 0x2026 or 0xFF01 <= o <= 0xFF0F or 0xFF1A <= o <= 0xFF20
            or 0xFF3B <= o <= 0xFF40 or 0xFF5B <= o <= 0xFF65)


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


def _is_common(ch: str, model: _Model) -> bool:
    """A character a repaired stretch may contain: common Han, or CJK/full-width punctuation.

    Common Han: GB2312 level 1 (the 3,755 most used simplified characters), Big5 常用字 (the 5,401
    most used traditional ones), or seen at least twice in the document's undamaged lines.
    """
    if _is_cjk_punct(ch) or ch in "“”‘’":
        return True
    if not ("\u4e00" <= ch <= "\u9fff"):
        return False
    if model.counts.get(ch, 0) >= 2:
        return True
    for codec, lo, hi in (("gb2312", 0xB0A1, 0xD7FE), ("big5", 0xA440, 0xC67E)):
        try:
            b = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and lo <= (b[0] << 8 | b[1]) <= hi:
            return True
    return False


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or _is_cjk_punct(ch) or ch in "“”"


#: a pinyin annotation in a damaged line (``(shè)``, ``guī)``): real ASCII, never folded punctuation
_PINYIN_RUN = re.compile(r"\(?[a-zü\u00e0-\u01dc]{1,7}\)")
#: how far (in characters) from a suspect a folded character may sit
_REFOLD_WINDOW = 8


def _suspects(text: str, model: _Model) -> tuple[list[int], list[int]]:
    """(lost columns, other suspect columns) of a repaired line.

    Other suspects: private-use characters, uncommon Han (``砊``) and stray ASCII letters or
    symbols between two Chinese characters (``毒V要``) — what a misaligned decode leaves. Digits
    and ``,;:()`` are not suspects: in-step full-width punctuation was folded to them everywhere.
    """
    lost: list[int] = []
    other: list[int] = []
    for k, ch in enumerate(text):
        if ch == LOST:
            lost.append(k)
            continue
        private = "\ue000" <= ch <= "\uf8ff"
        rare = "\u4e00" <= ch <= "\u9fff" and not _is_common(ch, model)
        stray = ("!" <= ch <= "~" and not ch.isdigit() and ch not in ",;:()" and 0 < k < len(text) - 1
                 and _is_cjk(text[k - 1]) and _is_cjk(text[k + 1]))
        if private or rare or stray:
            other.append(k)
    return lost, other


def refold_line(
    line: str, model: _Model, repaired: tuple[str, list[int], list[int]] | None = None
) -> tuple[tuple[str, list[int], list[int]], list[int]]:
    """Retry a repaired line assuming full-width characters were folded to ASCII before the damage.

    TEXT-NOTES.md: full-width punctuation was later folded to ASCII. A full-width character that the
    misaligned decoder produced (``常評`` B3A3 D475 read as A3D4 = ``Ｔ``) became one ASCII byte, so
    re-encoding gives the wrong bytes and the repair goes astray: ``日砊u價`` for ``日常評價``. For each
    ASCII character near a suspect (see :func:`_suspects`) the line is re-decoded with the character
    turned back into its full-width form; the change is kept only when it leaves fewer suspects and
    everything it changed is common Chinese or punctuation. Returns the (possibly) better
    ``repair_line`` result and the columns of ``line`` that were unfolded.
    """
    best = repaired or repair_line(line, model)
    lost, other = _suspects(best[0], model)
    if not lost and not other:
        return best, []
    protected = {k for m in _PINYIN_RUN.finditer(line) if re.search(r"[\u00e0-\u01dc]", m.group(0))
                 for k in range(m.start(), m.end())}
    ratio = len(line) / max(1, len(best[0]))
    near = [round(c * ratio) for c in lost + other]
    unfolded: list[int] = []
    for k, ch in enumerate(line):
        if not ("!" <= ch <= "~") or k in protected or not any(abs(k - c) <= _REFOLD_WINDOW for c in near):
            continue
        wide = chr(ord(ch) + 0xFEE0)
        variant = line[:k] + wide + line[k + 1 :]
        candidate = repair_line(variant, model)
        c_lost, c_other = _suspects(candidate[0], model)
        if not (len(c_lost) <= len(lost) and len(c_other) <= len(other) and len(c_lost) + len(c_other) < len(lost) + len(other)):
            continue
        matcher = difflib.SequenceMatcher(None, best[0], candidate[0], autojunk=False)
        changed = "".join(candidate[0][j1:j2] for tag, _a, _b, j1, j2 in matcher.get_opcodes() if tag != "equal")
        # the full-width character itself in the result is no repair: an in-step "，" folded to ","
        # is put back by punctuation normalisation anyway, and a "?" read as "？" is a lost byte
        if not changed or wide in changed or not all(_is_common(c, model) for c in changed):
            continue
        line, best, lost, other = variant, candidate, c_lost, c_other
        unfolded.append(k)
        if not lost and not other:
            break
    return best, unfolded


#: a run of this many common characters in step ends a damaged window (a shifted stretch of GBK read one byte
#: off gives rare characters: such a run does not occur inside one)
_CLEAN_RUN = 6
#: common characters kept before the first sign of damage, so the re-decoding starts in step
_LEAD_RUN = 3


def _safe(ch: str, model: _Model) -> bool:
    return not ch.isascii() and ch != LOST and not _PUA.match(ch) and model.counts.get(ch, 0) >= 2


def damaged_windows(line: str, model: _Model) -> list[tuple[int, int]]:
    """The stretches of a damaged line that need re-decoding (issue 16: repair only where the damage is).

    A window starts a few common characters before a sign of damage (a ``?`` inside Chinese, a private-use
    character) and ends where a run of :data:`_CLEAN_RUN` common non-ASCII characters shows the text is in
    step again; windows that touch are merged. The rest of the line is in step and decodes to itself, so
    repairing each window alone gives the same text as repairing the whole line, for a fraction of the work.
    """
    seeds = sorted({m.start() for m in DAMAGE.finditer(line)} | {m.start() for m in _PUA.finditer(line)})
    windows: list[tuple[int, int]] = []
    for seed in seeds:
        if windows and seed < windows[-1][1]:
            continue
        start, run = seed, 0
        while start > 0 and run < _LEAD_RUN:
            start -= 1
            ch = line[start]
            run = run + 1 if _safe(ch, model) else (run if ch.isascii() and ch != "?" else 0)
        end, run = seed + 1, 0
        while end < len(line) and run < _CLEAN_RUN:
            ch = line[end]
            run = run + 1 if _safe(ch, model) else (run if ch.isascii() and ch != "?" else 0)
            end += 1
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def repair_text(text: str) -> tuple[str, RepairReport]:
    """Repair every damaged line of ``text`` (lines are judged one by one, the model is per document).

    Cheap detection first (:func:`is_damaged`, one regex per line): a clean line is never touched; in a
    damaged line only its :func:`damaged_windows` are re-decoded."""
    report = RepairReport()
    lines = text.split("\n")
    damaged = [i for i, line in enumerate(lines) if is_damaged(line)]
    if not damaged:
        return text, report
    damaged_set = set(damaged)
    model = _Model([line for i, line in enumerate(lines) if i not in damaged_set])
    for i in damaged:
        old = lines[i]
        pieces: list[str] = []
        lost_cols: list[int] = []
        guessed_cols: list[int] = []
        segments: list[str] = []
        pos = 0
        for a, b in damaged_windows(old, model):
            pieces.append(old[pos:a])
            base = sum(len(x) for x in pieces)
            window = old[a:b]
            (new_w, w_lost, w_guessed), unfolded = refold_line(window, model)
            report.refolded.extend({"line": i + 1, "column": a + k, "char": old[a + k]} for k in unfolded)
            pieces.append(new_w)
            lost_cols.extend(base + c for c in w_lost)
            guessed_cols.extend(base + c for c in w_guessed)
            if new_w != window:
                segments.extend(_changed_segments(window, new_w))
            pos = b
        pieces.append(old[pos:])
        new = "".join(pieces)
        if new == old:
            continue
        lines[i] = new
        report.repaired_lines.append(i)
        report.segments.extend((i, seg) for seg in segments)
        for col in lost_cols:
            report.unrepaired.append({"line": i + 1, "column": col, "snippet": new[max(0, col - 8) : col + 8]})
        for col in guessed_cols:
            report.guessed.append({"line": i + 1, "column": col, "char": new[col], "snippet": new[max(0, col - 8) : col + 8]})
    return "\n".join(lines), report


def _changed_segments(old: str, new: str) -> list[str]:
    """The stretches of ``new`` that differ from ``old`` (used to flag low-confidence figures)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [new[j1:j2] for tag, _i1, _i2, j1, j2 in matcher.get_opcodes() if tag != "equal" and j2 > j1]
