"""Hypothesis fuzzing of every parser: never crash, offsets in range, values sane."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.text.cleaning import clean
from fazhi.core.text.deadlines import find_deadlines
from fazhi.core.text.errors import DocumentError
from fazhi.core.text.figures import catalogue, extract_figures
from fazhi.core.text.mojibake import repair_text
from fazhi.core.text.numbers import parse_cn_int, parse_number
from fazhi.core.text.outline import group_by_document, iter_nodes, parse_outline, split_documents
from fazhi.core.text.reading import read_document
from fazhi.core.text.report_check import check_report

# Text built from the pieces the parsers look for, so fuzzing reaches the interesting branches.
PIECES = st.sampled_from(
    [
        "一、", "（一）", "(二)", "1.", "（1）", "①", "一是", "二是", "。", "，", "；", "\n", "\n\n", " ", "?",
        "行政复议", "办结", "收到", "申请", "件", "名", "%", "万", "亿", "率", "化解率为", "出庭应诉率", "调解成功",
        "34777", "1.06", "27", "0", "100", "2022年", "年底前", "7月底前", "每季度", "5个工作日内", "第", "号",
        "設(shè)", "\ue7a9", "ㄒ", "�", "（", "）", "(", ")", "第一责任人", "存在", "不足", "我们将", "设为首页",
        "Original", "Summary", "(1)  ", "十个", "三项", "两次", "分别为", "、", "位居全市第三", "卷", "批次", "的",
        "以县政府为被告的行政诉讼案件", "同比增长", "总量达到", "审结", "受理", "出庭应诉",
    ]
)
DOCS = st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=60).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(DOCS)
def test_clean_never_crashes(text):
    r = clean(text)
    assert isinstance(r.text, str)
    for a, b in r.repaired_spans:
        assert 0 <= a <= b <= len(r.text)
    for u in r.unrepaired:
        assert 0 <= u["offset"] < len(r.text)


@FAST
@given(st.text(max_size=200))
def test_repair_total(text):
    repaired, _report = repair_text(text)
    assert repaired.count("\n") == text.count("\n")


@FAST
@given(DOCS)
def test_outline_offsets(text):
    for node in iter_nodes(parse_outline(text)):
        assert 0 <= node.offset <= node.end <= len(text)
        assert text.startswith(node.label, node.offset)
        assert node.ordinal >= 1 or node.ordinal == 0
        node.to_dict()


@FAST
@given(DOCS)
def test_split_documents_covers_text(text):
    docs = split_documents(text)
    assert docs and docs[0].offset == 0 and docs[-1].end == len(text)
    assert "".join(d.text for d in docs) == text
    for prev, nxt in itertools.pairwise(docs):
        assert prev.end == nxt.offset and prev.offset < nxt.offset
        assert text.startswith(nxt.title, nxt.offset) and nxt.title  # later documents start at their title
    roots = parse_outline(text)
    groups = group_by_document(roots, docs)
    assert [r for g in groups for r in g] == roots
    for doc, group in zip(docs, groups, strict=True):
        assert all(doc.offset <= r.offset < doc.end for r in group)


HAN_WORDS = st.sampled_from(["法治", "政府", "建设", "考核", "实施", "方案", "办法", "工作", "要点", "河南省", "规划"])
# a document title names its kind (方案, 办法…): a signature line before a restart is no title (issue 16)
TITLES = st.tuples(st.lists(HAN_WORDS, min_size=3, max_size=6).map("".join),
                   st.sampled_from(["实施方案", "考核办法", "工作要点", "评分细则", "工作安排"])).map("".join)
ITEM_BODY = st.lists(HAN_WORDS, min_size=1, max_size=4).map(lambda ws: "".join(ws) + "。")
CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


@st.composite
def multi_documents(draw):
    """Several documents one after another: title, optional preamble, 一、二、… each."""
    parts, titles = [], []
    for _ in range(draw(st.integers(1, 4))):
        title = draw(TITLES)
        titles.append(title)
        lines = [title]
        if draw(st.booleans()):
            lines.append(f"《{title}》全文如下。")
        for k in range(draw(st.integers(2, 6))):
            lines.append(f"{CN[k]}、{draw(ITEM_BODY)}")
            if draw(st.booleans()):
                lines.append(f"（一）{draw(ITEM_BODY)}")
        parts.append("\n".join(lines))
    return "\n".join(parts), titles


@FAST
@given(multi_documents())
def test_split_documents_finds_every_document(case):
    text, titles = case
    docs = split_documents(text)
    assert [d.title for d in docs] == titles
    assert "".join(d.text for d in docs) == text
    assert all(d.text.startswith(d.title) for d in docs)


@FAST
@given(DOCS)
def test_figures_offsets_and_catalogue(text):
    figures = extract_figures(text)
    for f in figures:
        assert text[f.offset : f.offset + len(f.raw)] == f.raw
        assert isinstance(f.value, Decimal) and f.value >= 0
    for entry in catalogue(figures).values():
        assert isinstance(entry["value"], Decimal)


@FAST
@given(DOCS, st.one_of(st.none(), st.integers(1900, 2100)))
def test_deadlines(text, year):
    for d in find_deadlines(text, year):
        assert text[d.offset : d.offset + len(d.phrase)] == d.phrase
        d.to_dict()


@FAST
@given(DOCS)
def test_report_check(text):
    rc = check_report(text)
    assert len(rc.parts) == 5
    rc.to_dict()


@FAST
@given(st.text(max_size=20))
def test_numbers(text):
    parse_cn_int(text)
    value = parse_number(text)
    assert value is None or isinstance(value, Decimal)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.html", "a.docx", "a.pdf", None]))
def test_read_document_only_document_errors(data, filename):
    try:
        doc = read_document(data, filename=filename)
    except DocumentError:
        return
    assert isinstance(doc.text, str) and doc.text.strip()


@FAST
@given(st.integers(2, 6), st.integers(2, 10), ITEM_BODY)
def test_appended_list_never_top_level(n_main, n_list, body):
    main = "".join(f"{CN[k]}、{body}\n" for k in range(n_main))
    appended = "".join(f"{CN[k]}、{body}\n" for k in range(n_list))
    roots = parse_outline(main + "某县人民政府\n" + appended)
    assert len(roots) == n_main + 1 and roots[-1].style == "list" and len(roots[-1].children) == n_list


HEADED = st.lists(st.tuples(st.sampled_from(["一、", "（一）", "1.", "【", "第一部分", ""]),
                            st.sampled_from(["工作回顾", "存在问题", "问题与不足", "下一步工作打算", "其他情况",
                                             "主要举措和成效", "第一责任人", "2025年工作任务", "今后五年主要安排"]),
                            ITEM_BODY), max_size=8)


@FAST
@given(HEADED)
def test_find_parts_on_headed_text(items):
    text = "".join(f"{lab}{title}{'】' if lab == '【' else ''}\n{body}\n" for lab, title, body in items)
    for part in check_report(text).parts:
        if part["present"]:
            where = part["where"]
            assert 0 <= where["offset"] <= where["section"]["end"] <= len(text)
            assert where["line"] == text.count("\n", 0, where["offset"]) + 1


@FAST
@given(DOCS)
def test_classify_total(text):
    from fazhi.core.text.doctype import DOCTYPES, classify

    kind = classify(text)
    assert kind.doctype in DOCTYPES and 0 <= kind.confidence <= 1
    assert kind.year is None or 1900 <= kind.year <= 2101
