"""Per-unit result slices under one Merkle root: a unit recomputes its own result and proves it belongs to the
published root; a slice changed by one cent, a proof for another root and a slice of another campaign are refused."""

from __future__ import annotations

import copy

import pytest

from fazhi.core.scoring import compute_dict
from fazhi.core.scoring.slices import build_leaves, build_slices, canonical, verify_slice

CAMPAIGN = {"id": 7, "name": "2025年度考核", "year": 2025, "owner": "410000"}


def _input(scores=(("C1", "92.5"), ("C2", "81"), ("C3", "60"), ("D1", "88")), quota=None):
    data = {
        "settings": {"grades": {"优秀": "90", "良好": "80", "合格": "60"}, "excellent_quota": quota},
        "indicators": [{"code": "A1", "points": "60", "categories": [1, 2]}, {"code": "A2", "points": "40",
                                                                          "categories": [1, 2]}],
        "units": [{"code": c, "category": 1 if c.startswith("C") else 2, "add": [], "remove": []}
                  for c, _ in scores],
        "scores": [row for code, value in scores for row in (
            {"unit": code, "indicator": "A1", "score": str(round(float(value) * 0.6, 2)), "subunit": None},
            {"unit": code, "indicator": "A2", "score": str(round(float(value) * 0.4, 2)), "subunit": None})],
        "adjustments": [{"unit": "C2", "kind": "deduction", "points": "1.5", "reason": "通报", "serious": False,
                         "exceed_cap": False, "source": "文件"}],
        "previous": [],
    }
    return data


@pytest.fixture
def published():
    data = _input()
    output = compute_dict(data)
    root, slices = build_slices(build_leaves(CAMPAIGN, data, output))
    return data, output, root, slices


def test_every_slice_recomputes_and_proves(published):
    _data, output, root, slices = published
    assert len(slices) == 4 and len({s["root"] for s in slices}) == 1
    totals = {row["unit"]: row["total"] for row in output["units"]}
    for s in slices:
        report = verify_slice(s, root)
        assert report.ok, report.errors
        assert s["leaf"]["result"]["total"] == totals[report.unit]
        # the slice holds its own unit only
        assert {r["unit"] for r in s["leaf"]["scores"]} == {report.unit}


def test_a_slice_changed_by_one_cent_is_refused(published):
    _data, _output, root, slices = published
    changed = copy.deepcopy(slices[0])
    changed["leaf"]["scores"][0]["score"] = str(float(changed["leaf"]["scores"][0]["score"]) - 0.01)
    report = verify_slice(changed, root)
    assert not report.ok
    assert any("total" in e for e in report.errors) and any("包含证明不成立" in e for e in report.errors)
    # changing the result too, so the recomputation agrees, still breaks the proof
    fixed = copy.deepcopy(changed)
    leaf = fixed["leaf"]
    alone = compute_dict({"settings": leaf["settings"], "indicators": leaf["indicators"], "units": [leaf["unit"]],
                          "scores": leaf["scores"], "adjustments": leaf["adjustments"], "previous": []})["units"][0]
    leaf["result"].update({k: alone[k] for k in ("earned", "base", "total")})
    redo = verify_slice(fixed, root)
    assert not any("total" in e for e in redo.errors)  # the numbers now agree …
    assert not redo.ok and any("包含证明不成立" in e for e in redo.errors)  # … but the leaf is not the published one
    cent = copy.deepcopy(slices[0])
    cent["leaf"]["result"]["total"] = f"{float(cent['leaf']['result']['total']) + 0.01:.2f}"
    report = verify_slice(cent, root)
    assert not report.ok and any("包含证明不成立" in e for e in report.errors)


def test_a_proof_for_another_root_is_refused(published):
    _data, output, _root, slices = published
    other_root, _ = build_slices(build_leaves(CAMPAIGN, _input(scores=(("C1", "70"), ("C2", "81"), ("C3", "60"),
                                                                          ("D1", "88"))), output))
    report = verify_slice(slices[1], other_root)
    assert not report.ok
    assert any("根哈希" in e for e in report.errors) and any("包含证明不成立" in e for e in report.errors)


def test_a_slice_of_another_campaign_is_refused(published):
    _data, _output, root, _slices = published
    other = {**CAMPAIGN, "id": 8, "name": "2024年度考核", "year": 2024}
    data = _input()
    _other_root, other_slices = build_slices(build_leaves(other, data, compute_dict(data)))
    report = verify_slice(other_slices[0], root)
    assert not report.ok and any("包含证明不成立" in e for e in report.errors)
    assert "2024年度考核" in report.campaign


def test_not_a_slice_is_refused_with_a_message():
    report = verify_slice({"input": {}}, "00")
    assert not report.ok and "不是考核结果数据片" in report.errors[0]
    report = verify_slice({"format": "fazhi-result-slice/1", "leaf": {"unit": {}}}, "00")
    assert not report.ok and "缺少" in report.errors[0]


def test_a_grade_lowered_by_the_share_cap_is_noted_not_refused():
    data = _input(scores=(("C1", "95"), ("C2", "96"), ("C3", "97"), ("D1", "88")), quota="0.34")
    output = compute_dict(data)
    grades = {row["unit"]: row["grade"] for row in output["units"]}
    assert sorted(grades[c] for c in ("C1", "C2", "C3")).count("良好") >= 1
    root, slices = build_slices(build_leaves(CAMPAIGN, data, output))
    for s in slices:
        report = verify_slice(s, root)
        assert report.ok, report.errors


def test_canonical_bytes_are_stable():
    assert canonical({"b": 1, "a": "郑州"}) == '{"a":"郑州","b":1}'.encode()


def test_cli_verify(tmp_path, capsys, published):
    import json

    from fazhi.cli import main

    _data, _output, root, slices = published
    good = tmp_path / "slice.json"
    good.write_text(json.dumps(slices[2], ensure_ascii=False), encoding="utf-8")
    assert main(["assess", "verify", str(good), "--root", root]) == 0
    assert "核验通过" in capsys.readouterr().out
    bad = copy.deepcopy(slices[2])
    bad["leaf"]["scores"][0]["score"] = "0"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert main(["assess", "verify", str(path), "--root", root]) == 3
    assert "核验未通过" in capsys.readouterr().err
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert main(["assess", "verify", str(tmp_path / "broken.json"), "--root", root]) == 2
