"""Findings are rendered from codes in the reader's language: no code or key reaches the page."""

from __future__ import annotations

from django.utils import translation

from fazhi.reports import findings

FINDINGS = [
    {"code": "not_annual_report", "params": {"doctype": "work_report", "confidence": 0.8}},
    {"code": "part_missing", "params": {"part": "other"}},
    {"code": "no_causes", "params": {"line": 14}},
    {"code": "issuer_mismatch", "params": {"issuer": "保定市人民政府", "unit": "郑州市人民政府", "source": "signature"}},
    {"code": "rate_basis", "params": {"key": "mediation.success_rate", "numerator": "3478", "denominator": "3522",
                                      "computed": "98.75", "stated": "90"}},
]


def test_findings_in_chinese_and_english():
    with translation.override("zh-hans"):
        zh = [findings.render(f) for f in FINDINGS]
    with translation.override("en"):
        en = [findings.render(f) for f in FINDINGS]
    assert zh[0] == "这份文档看起来是政府工作报告，不是法治政府建设年度报告（可信度 80%）"
    assert en[0] == "This document looks like a government work report, not an annual report on building a law-based government (confidence 80%)"
    assert "Other matters to report" in en[1] and "其他需要报告的情况" in zh[1]
    assert "line 14" in en[2]
    assert "signature" in en[3] and "落款" in zh[3]
    assert "Mediation success rate" in en[4] and "调解成功率" in zh[4]
    for text in zh + en:
        assert "_" not in text and "mediation." not in text and "work_report" not in text


def test_every_catalogue_key_has_a_translated_label():
    from fazhi.core.text.figures import ALL_KEYS, KEY_NAMES
    from fazhi.reports.selectors import KEY_LABELS, key_label

    assert set(KEY_LABELS) == set(ALL_KEYS)
    for key in ALL_KEYS:
        with translation.override("zh-hans"):
            assert key_label(key) == KEY_NAMES[key]
        with translation.override("en"):
            english = key_label(key)
            assert english and english != KEY_NAMES[key] and "." not in english
