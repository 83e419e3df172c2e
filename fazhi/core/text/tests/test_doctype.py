"""Document type, issuer and year (issue 16)."""

from __future__ import annotations

from fazhi.core.text.doctype import classify, same_issuer

from .conftest import cleaned


def test_seeds_types_issuers_years():
    got = {s: classify(cleaned(s).text, cleaned(s).metadata.get("title")) for s in ("000", "001", "002", "003", "004")}
    assert [(k.doctype, k.issuer, k.year) for k in (got["000"], got["002"], got["004"])] == [
        ("annual_report", "河南省人民政府", 2024), ("annual_report", "中共潢川县委潢川县人民政府", 2023),
        ("annual_report", "保定市人民政府", 2024)]
    assert got["004"].issuer_source == "signature"  # the title is only a document number
    assert got["001"].doctype == "implementation_plan"
    # the web page announces it ("中共河南省委、河南省人民政府印发了《…》"); the period is on the subtitle line
    assert (got["001"].issuer, got["001"].issuer_source, got["001"].year) == ("中共河南省委、河南省人民政府", "body", 2021)
    assert (got["003"].doctype, got["003"].year) == ("work_plan", 2020)
    assert all(0 < k.confidence <= 1 for k in got.values())


def test_government_work_report_is_not_an_annual_report():
    text = ("2024年某市人民政府工作报告\n各位代表：\n现在，我代表市人民政府，向大会报告政府工作，请予审议。\n"
            "过去一年，地区生产总值增长6%。主要负责人切实履行法治建设第一责任人职责。\n存在的问题和不足主要是…\n")
    kind = classify(text)
    assert kind.doctype == "work_report" and kind.scores["annual_report"] > 0


def test_signature_and_copied_report():
    text = ("关于2023年度法治政府建设情况的报告\n现将有关情况报告如下。\n一、主要举措和成效\n正文。\n"
            "湖州市人民政府\n2024年1月30日\n")
    kind = classify(text)
    assert (kind.doctype, kind.issuer, kind.issuer_source, kind.year) == ("annual_report", "湖州市人民政府", "signature", 2023)
    assert not same_issuer(kind.issuer, "嘉兴市人民政府")
    assert same_issuer("郑州市人民政府办公室", "郑州市人民政府")
    assert same_issuer("中共潢川县委潢川县人民政府", "潢川县人民政府")


def test_other_text_is_other():
    assert classify("今天天气很好。").doctype == "other"
    assert classify("").doctype == "other"
