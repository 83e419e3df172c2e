"""Reproducible sampling from a published seed (随机抽取, 考核方案 §五(三)(五)): case files for 集中评查, departments
and lower governments for 实地考核.

The algorithm, which anyone can redo by hand or in any language:

1. The population is a list of distinct item ids (text), optionally grouped into strata (a unit, a case type).
2. Each item gets the key ``SHA-256(seed ‖ 0x00 ‖ item id)`` (both UTF-8), written as 64 lowercase hex digits.
3. Within each stratum the items are sorted by key (ties, which SHA-256 makes practically impossible, by id);
   the first ``k`` are drawn (all of them when the stratum has ``k`` or fewer).

Nothing depends on Python's ``random``, hash randomisation, dict order or the platform, so the same seed and
population give the same draw on any machine and any Python version. The population is fingerprinted
(``population_digest``: SHA-256 of the sorted ``stratum<TAB>id`` lines) so a published draw names exactly the
list it was drawn from. The population file format (``fazhi sample draw|verify``) is one item a line, either
``id`` or ``stratum<TAB>id``; blank lines and lines starting with ``#`` are ignored. The sample sizes are
published with the draw as ``k`` text: one number for every stratum (``3``) or one per stratum
(``department=2,government=1``), the same text ``fazhi sample draw -k`` takes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ALGORITHM = "sha256-rank-v1"


class SamplingError(ValueError):
    """The population or the parameters are not usable (message says what and where)."""


@dataclass(frozen=True)
class Item:
    stratum: str
    id: str


def new_seed() -> str:
    """A fresh seed: 32 hex digits from the operating system's random source (recorded before the draw)."""
    return secrets.token_hex(16)


def rank_key(seed: str, item_id: str) -> str:
    """The item's key: SHA-256 of seed, a zero byte and the id, as hex."""
    return hashlib.sha256(seed.encode("utf-8") + b"\x00" + item_id.encode("utf-8")).hexdigest()


def _check(seed: str, items: list[Item]) -> None:
    if not seed or not seed.strip():
        raise SamplingError("随机种子为空 / the seed is empty")
    seen: set[str] = set()
    for item in items:
        if not item.id or "\t" in item.id or "\n" in item.id:
            raise SamplingError(f"样本编号无效 / invalid item id: {item.id!r}")
        if item.id in seen:
            raise SamplingError(f"样本编号重复 / duplicate item id: {item.id}")
        seen.add(item.id)


def population_digest(items: Iterable[Item]) -> str:
    """SHA-256 of the population, independent of its order: sorted ``stratum<TAB>id`` lines joined by LF."""
    lines = sorted(f"{item.stratum}\t{item.id}" for item in items)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def draw(seed: str, items: Iterable[Item], k: int | Mapping[str, int]) -> list[Item]:
    """Draw ``k`` items of each stratum (``k`` may be a mapping stratum → count). Returned in stratum order, then
    rank order — the order in which they were drawn."""
    items = list(items)
    _check(seed, items)
    strata: dict[str, list[Item]] = {}
    for item in items:
        strata.setdefault(item.stratum, []).append(item)
    drawn: list[Item] = []
    for stratum in sorted(strata):
        count = k.get(stratum, 0) if isinstance(k, Mapping) else k
        if count < 0:
            raise SamplingError(f"抽取数量不能为负 / negative sample size for {stratum!r}")
        ranked = sorted(strata[stratum], key=lambda item: (rank_key(seed, item.id), item.id))
        drawn.extend(ranked[:count])
    return drawn


def draw_ids(seed: str, ids: Iterable[str], k: int) -> list[str]:
    """One stratum: the ``k`` ids drawn from ``ids``."""
    return [item.id for item in draw(seed, [Item("", i) for i in ids], k)]


def format_sizes(k: int | Mapping[str, int]) -> str:
    """The published ``k``: ``3``, or ``a=2,b=1`` with the strata in sorted order."""
    if isinstance(k, Mapping):
        return ",".join(f"{stratum}={k[stratum]}" for stratum in sorted(k))
    return str(k)


def parse_sizes(text: str) -> int | dict[str, int]:
    """Read a published ``k`` (see ``format_sizes``); raises ``SamplingError`` saying what is wrong."""
    text = (text or "").strip()
    if "=" not in text:
        try:
            value = int(text)
        except ValueError:
            raise SamplingError(f"抽取数量应为整数或“分组=数量,…” / k must be a number or stratum=n,…: {text!r}") from None
        if value < 0:
            raise SamplingError(f"抽取数量不能为负 / negative sample size: {value}")
        return value
    sizes: dict[str, int] = {}
    for part in text.split(","):
        stratum, _sep, number = part.partition("=")
        stratum = stratum.strip()
        try:
            value = int(number)
        except ValueError:
            raise SamplingError(f"抽取数量应为整数 / not a number for {stratum!r}: {number!r}") from None
        if not stratum or stratum in sizes or value < 0:
            raise SamplingError(f"抽取数量无效 / invalid sample size: {part!r}")
        sizes[stratum] = value
    return sizes


def shortfalls(items: Iterable[Item], k: int | Mapping[str, int]) -> list[tuple[str, int, int]]:
    """The strata that cannot give what is asked: (stratum, asked, available), for a warning before the draw. A
    stratum named in ``k`` with no item at all is listed with 0 available."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.stratum] = counts.get(item.stratum, 0) + 1
    asked = dict(k) if isinstance(k, Mapping) else dict.fromkeys(counts, k)
    return [(stratum, n, counts.get(stratum, 0)) for stratum, n in sorted(asked.items()) if counts.get(stratum, 0) < n]


def parse_population(text: str) -> list[Item]:
    """Read the population file format; raises ``SamplingError`` naming the line."""
    items: list[Item] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) == 1:
            items.append(Item("", parts[0].strip()))
        elif len(parts) == 2:
            items.append(Item(parts[0].strip(), parts[1].strip()))
        else:
            raise SamplingError(f"第{number}行：应为“编号”或“分组<TAB>编号” / line {number}: expected id or stratum<TAB>id")
        if not items[-1].id:
            raise SamplingError(f"第{number}行：编号为空 / line {number}: empty id")
    return items


def format_population(items: Iterable[Item]) -> str:
    """The population file for ``items`` (what a platform publishes beside the seed)."""
    return "".join(f"{item.stratum}\t{item.id}\n" if item.stratum else f"{item.id}\n" for item in items)
