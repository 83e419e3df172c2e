"""Figures and catalogue: exact values read from the seeds."""

from __future__ import annotations

from decimal import Decimal

from fazhi.core.text.figures import catalogue, extract_figures
from fazhi.core.text.numbers import parse_cn_int, parse_number

from .conftest import cleaned


def _cat(seed):
    r = cleaned(seed)
    return catalogue(extract_figures(r.text, r.repaired_spans))


def _fig(seed, raw):
    return next(f for f in extract_figures(cleaned(seed).text) if f.raw == raw)


def test_numbers():
    assert parse_number("1.06万") == Decimal(10600)
    assert parse_number("2.07亿") == Decimal(207000000)
    assert parse_number("四十四") == 44
    assert parse_number("17.86") == Decimal("17.86")
    assert parse_number("1,234") == 1234
    assert parse_cn_int("三十八") == 38 and parse_cn_int("一百零五") == 105 and parse_cn_int("十") == 10
    assert parse_cn_int("二〇二〇") == 2020 and parse_cn_int("abc") is None


def test_seed000_units_and_multipliers():
    f = _fig("000", "1.06万名")
    assert (f.value, f.unit) == (Decimal(10600), "名")
    assert "领导干部同步参训" in f.sentence
    f = _fig("000", "2.07亿件（次）")
    assert (f.value, f.unit, f.label) == (Decimal(207000000), "件（次）", "惠及企业群众办事")
    assert _fig("000", "1800亿条").value == Decimal(180000000000)
    text = cleaned("000").text
    assert text[f.offset : f.offset + len(f.raw)] == f.raw
    # 第230号 (a decree number) and years are not statistics
    raws = {x.raw for x in extract_figures(text)}
    assert "230号" not in raws and not any(r.startswith("2024") for r in raws)


def test_seed000_catalogue():
    cat = _cat("000")
    assert cat["reconsideration.received"]["value"] == 34777
    assert cat["reconsideration.closed"]["value"] == 30460
    assert cat["reconsideration.correction_rate"]["value"] == Decimal("17.86")
    assert cat["reconsideration.correction_rate"]["numerator"] is None  # basis not stated
    assert cat["reconsideration.mediated"]["value"] == 8223
    rr = cat["reconsideration.resolution_rate"]
    assert (rr["value"], rr["unit"], rr["numerator"], rr["denominator"]) == (27, "%", 8223, 30460)
    assert cat["litigation.head_appearance_rate"]["value"] == Decimal("92.36")
    assert cat["normative_docs.filed"]["value"] == 2881
    assert cat["normative_docs.corrected"]["value"] == 44
    assert "mediation.disputes" not in cat  # 调处纠纷5433起 are IP disputes, not people's mediation
    assert not any(v["low_confidence"] for v in cat.values())


def test_seed002_catalogue():
    cat = _cat("002")
    assert cat["reconsideration.received"]["value"] == 87
    assert cat["reconsideration.closed"]["value"] == 87
    assert cat["litigation.cases"]["value"] == 103
    assert cat["litigation.head_appearance_rate"]["value"] == 100
    assert cat["litigation.head_appearance_rate"]["numerator"] is None  # 87/87 is reconsideration
    assert cat["litigation.loss_rate"]["value"] == Decimal("11.65")
    assert cat["mediation.disputes"]["value"] == 3522
    assert cat["mediation.success"]["value"] == 3478
    sr = cat["mediation.success_rate"]
    assert (sr["value"], sr["numerator"], sr["denominator"]) == (Decimal("98.7"), 3478, 3522)


def test_seed004_catalogue():
    cat = _cat("004")
    assert cat["mediation.disputes"]["value"] == 52161
    assert cat["mediation.success"]["value"] == 51793
    sr = cat["mediation.success_rate"]
    assert (sr["value"], sr["numerator"], sr["denominator"]) == (Decimal("99.29"), 51793, 52161)
    assert cat["reconsideration.received"]["value"] == 3691
    assert _fig("004", "777.51亿元").value == Decimal(77751000000)


def test_seed001_low_confidence_in_repaired_spans():
    r = cleaned("001")
    start = r.text.index("（一）指导思想")
    assert any(a <= start + 1 < b for a, b in r.repaired_spans)
    figs = extract_figures("在repaired段中受理34777件，其后办结30件", [(0, 16)])
    assert [f.low_confidence for f in figs] == [True, False]
    assert all(not f.low_confidence for f in extract_figures(cleaned("003").text))


def test_figures_offsets_in_range(seed_id):
    text = cleaned(seed_id).text
    for f in extract_figures(text):
        assert text[f.offset : f.offset + len(f.raw)] == f.raw
        assert f.sentence and f.raw in f.sentence
        assert f.to_dict()["value"] == str(f.value)
