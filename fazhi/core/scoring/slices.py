"""Per-unit result slices committed to one Merkle root (公布结果的承诺): verifiable without disclosing other units.

At publication the platform builds one *leaf* per assessed unit — the campaign's settings and indicator table, that
unit's engine input (its category, 增减, scores, adjustments, previous result) and its engine result — and a Merkle
tree over the leaves in the manner of RFC 6962 (``fazhi.core.merkle``). The root is printed on the public page and
on each result notice. Each unit downloads its *slice*: its leaf plus the inclusion proof. ``verify_slice``
recomputes the unit's totals and grade from the slice with the engine and checks that the slice is leaf ``index``
of the tree whose root was published — so a unit can check its own result without seeing anyone else's.

Slice format (JSON, UTF-8)::

    {"format": "fazhi-result-slice/1",
     "leaf": {"campaign": {"id", "name", "year", "owner"}, "settings": {...}, "indicators": [...],
              "unit": {"code", "category", "add", "remove"}, "scores": [...], "adjustments": [...],
              "previous": [...], "expected": [...], "result": {... the unit's row of the engine output ...}},
     "index": 3, "tree_size": 132, "proof": ["hex", ...], "root": "hex"}

The leaf's bytes are its canonical JSON (``canonical``: keys sorted, no spaces, UTF-8). What the slice cannot
recompute alone is what depends on the other units — the rank, and a 优秀 lowered to 良好 by the share cap; those
are covered by the proof (committed, unchanged) but not recomputed; the report says so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import merkle
from .errors import ScoringError
from .io import compute_dict

__all__ = ["FORMAT", "SliceReport", "build_leaves", "build_slices", "canonical", "verify_slice"]

FORMAT = "fazhi-result-slice/1"
#: result fields recomputed from the slice alone and compared
RECOMPUTED = ("applicable_points", "earned", "base", "bonus", "deduction", "total")


def canonical(value: Any) -> bytes:
    """The bytes a leaf is hashed over: JSON with sorted keys, no whitespace, UTF-8 (Chinese kept as is)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def _plain(value: Any) -> Any:
    """JSON types only (Decimals become strings), so the hashed leaf is exactly what a unit downloads."""
    return json.loads(json.dumps(value, default=str))


def build_leaves(campaign: dict, engine_input: dict, engine_output: dict) -> list[dict]:
    """One leaf per unit, in unit-code order. ``campaign``: {"id", "name", "year", "owner"}."""
    by_unit: dict[str, dict[str, list]] = {}
    for key in ("scores", "adjustments", "previous", "expected"):
        for row in engine_input.get(key) or []:
            by_unit.setdefault(row["unit"], {}).setdefault(key, []).append(row)
    results = {row["unit"]: row for row in engine_output["units"]}
    leaves = []
    for unit in sorted(engine_input["units"], key=lambda u: u["code"]):
        own = by_unit.get(unit["code"], {})
        leaves.append(_plain({
            "campaign": campaign, "settings": engine_input.get("settings") or {},
            "indicators": engine_input["indicators"], "unit": unit,
            "scores": own.get("scores", []), "adjustments": own.get("adjustments", []),
            "previous": own.get("previous", []), "expected": own.get("expected", []),
            "result": results[unit["code"]],
        }))
    return leaves


def build_slices(leaves: Sequence[dict]) -> tuple[str, list[dict]]:
    """The root and every unit's slice (leaf + inclusion proof)."""
    data = [canonical(leaf) for leaf in leaves]
    root = merkle.root(data)
    return root, [{"format": FORMAT, "leaf": leaf, "index": i, "tree_size": len(leaves),
                   "proof": merkle.inclusion_proof(data, i), "root": root} for i, leaf in enumerate(leaves)]


@dataclass
class SliceReport:
    """What ``verify_slice`` found: ``ok`` only when the recomputation matches and the proof holds."""

    ok: bool = False
    unit: str = ""
    campaign: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _dec(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except Exception:
        return None


def verify_slice(slice_: Any, root: str) -> SliceReport:
    """Recompute the slice's unit from its own data and check its inclusion under ``root`` (hex)."""
    report = SliceReport()
    if not isinstance(slice_, dict) or slice_.get("format") != FORMAT:
        report.errors.append(f"不是考核结果数据片（format 应为 {FORMAT}） / not a result slice")
        return report
    leaf = slice_.get("leaf")
    if not isinstance(leaf, dict) or not all(k in leaf for k in ("unit", "result", "indicators", "settings")):
        report.errors.append("数据片缺少 leaf.unit / leaf.result / leaf.indicators / leaf.settings")
        return report
    unit = leaf["unit"] if isinstance(leaf["unit"], dict) else {}
    report.unit = str(unit.get("code", ""))
    campaign = leaf.get("campaign") or {}
    report.campaign = f"{campaign.get('name', '')}（{campaign.get('id', '')}）" if isinstance(campaign, dict) else ""
    root = (root or "").strip().lower()
    if str(slice_.get("root", "")).lower() != root:
        report.errors.append(f"数据片所附根哈希 {slice_.get('root')} 与公布的根哈希 {root} 不同 "
                             "/ the slice names another root (another campaign or another publication)")
    # 1. recompute this unit alone with the engine
    data = {"settings": leaf["settings"], "indicators": leaf["indicators"], "units": [unit],
            "scores": leaf.get("scores") or [], "adjustments": leaf.get("adjustments") or [],
            "previous": leaf.get("previous") or [], "expected": leaf.get("expected") or []}
    published = leaf["result"] if isinstance(leaf["result"], dict) else {}
    try:
        mine = compute_dict(data)["units"][0]
    except ScoringError as exc:
        report.errors.append(f"无法用数据片重新计算：{exc.message_zh} / cannot recompute: {exc.message_en}")
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        report.errors.append(f"数据片格式错误 / malformed slice: {exc}")
    else:
        for key in RECOMPUTED:
            if _dec(mine.get(key)) != _dec(published.get(key)):
                report.errors.append(f"{key}：重新计算得 {mine.get(key)}，数据片记载 {published.get(key)} "
                                     f"/ recomputed {mine.get(key)}, slice says {published.get(key)}")
        if mine.get("grade") != published.get("grade"):
            capped = (mine.get("grade") == "优秀" and published.get("grade") == "良好"
                      and (leaf["settings"] or {}).get("excellent_quota") not in (None, ""))
            if capped:
                report.notes.append("等次：按分数为优秀，因优秀比例上限评为良好（取决于同类单位，不能单独重算，已由证明覆盖）")
            else:
                report.errors.append(f"等次：重新计算得 {mine.get('grade')}，数据片记载 {published.get('grade')}")
        report.notes.append("排名取决于同类其他单位，不能单独重算；其数值由包含证明覆盖 / the rank depends on other units: "
                            "covered by the proof, not recomputed")
    # 2. the slice is leaf ``index`` of the published tree
    try:
        index, size = int(slice_.get("index")), int(slice_.get("tree_size"))
        proof = [str(p) for p in slice_.get("proof") or []]
    except (TypeError, ValueError):
        report.errors.append("数据片的 index / tree_size / proof 格式错误")
    else:
        if not merkle.verify_inclusion(canonical(leaf), index, size, proof, root):
            report.errors.append("包含证明不成立：数据片被改动过，或证明不属于该根哈希（另一次公布或另一考核的数据） "
                                 "/ inclusion proof fails: the slice was changed or belongs to another root")
    report.ok = not report.errors
    return report
