"""Outline on the seeds: exact chapters and items read from the text."""

from __future__ import annotations

from fazhi.core.text.outline import group_by_document, iter_nodes, parse_outline, split_documents

from .conftest import cleaned


def test_seed003_ten_chapters_44_tasks():
    roots = parse_outline(cleaned("003").text)
    assert [n.label for n in roots] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"]
    assert [n.ordinal for n in roots] == list(range(1, 11))
    assert roots[0].title == "依法全面履行政府职能"
    assert roots[-1].title == "完善法治政府建设落实机制"
    tasks = [c for r in roots for c in r.children if c.style == "paren_cn"]
    assert [t.ordinal for t in tasks] == list(range(1, 45))
    assert tasks[0].title == "为推动经济高质量发展提供法治保障"
    assert tasks[-1].title == "加强法治政府建设保障机制"
    assert [len([c for c in r.children if c.style == "paren_cn"]) for r in roots] == [10, 4, 3, 3, 4, 3, 4, 5, 3, 5]
    assert all(t.level == 2 for t in tasks)
    assert tasks[41].title == "持续强化“1211”法治政府建设推进机制"
    assert "7月底前选择部分省辖市作为试点" in tasks[41].text


def test_seed001_plan_and_assessment_scheme():
    roots = parse_outline(cleaned("001").text)
    plan, scheme = roots[:10], roots[10:]
    assert [n.ordinal for n in plan] == list(range(1, 11))
    measures = [c for r in plan for c in r.children if c.style == "paren_cn"]
    assert [m.ordinal for m in measures] == list(range(1, 39))
    assert measures[0].title == "指导思想" and measures[-1].title == "加强队伍建设机制"
    assert [n.title for n in scheme] == [
        "指导思想", "考核对象", "考核组织", "考核内容", "考核方式", "考核结果认定和运用", "考核工作要求",
    ]
    content = scheme[3]
    assert [c.title for c in content.children] == ["加强党对法治河南（法治政府）建设的统一领导", "共同职责", "分类职责"]
    categorized = content.children[2].children
    assert [c.title for c in categorized] == ["推进依法执政", "推进科学立法", "推进法治政府建设", "推进公正司法", "推进法治社会建设"]
    # (1)-style items: digits mostly lost to mojibake, ordinals given by position (TEXT-NOTES)
    assert [len(c.children) for c in categorized] == [4, 5, 9, 6, 3]
    for c in categorized:
        assert [g.ordinal for g in c.children] == list(range(1, len(c.children) + 1))
    assert any(g.ordinal_inferred for c in categorized for g in c.children)
    assert len(scheme[1].children) == 7  # seven categories of assessed units


def test_seed002_inline_enumeration():
    roots = parse_outline(cleaned("002").text)
    assert len(roots) == 5
    first = roots[0].children[0]
    assert first.label == "（一）"
    inline = [c for c in first.children if c.style == "inline"]
    assert [c.label for c in inline][:3] == ["一是", "二是", "三是"]
    assert inline[0].title == "自觉强化党的领导"


def test_seed000_sections_from_one_paragraph():
    roots = parse_outline(cleaned("000").text)
    assert [n.ordinal for n in roots] == list(range(1, 10))
    assert roots[0].title == "加强组织领导，认真落实党中央、国务院决策部署"
    assert [c.label for c in roots[6].children] == ["一是", "二是", "三是"]


def test_offsets_point_at_labels(seed_id):
    text = cleaned(seed_id).text
    for node in iter_nodes(parse_outline(text)):
        assert text.startswith(node.label, node.offset)
        assert node.offset < node.end <= len(text)
        assert node.to_dict()["label"] == node.label


def test_mixed_styles_nest():
    text = "一、总则\n（一）目的。为了…\n1.第一点。内容\n（1）细节。内容\n①其一\n②其二\n2.第二点\n二、附则"
    roots = parse_outline(text)
    assert [r.title for r in roots] == ["总则", "附则"]
    sub = roots[0].children[0]
    assert sub.title == "目的" and [c.ordinal for c in sub.children] == [1, 2]
    assert sub.children[0].children[0].children[0].label == "①"
    assert sub.children[0].children[0].level == 4


def test_seed001_split_into_two_documents():
    text = cleaned("001").text
    docs = split_documents(text)
    assert [d.title for d in docs] == ["河南省法治政府建设实施方案", "法治河南（法治政府）建设考核方案"]
    assert docs[0].offset == 0 and docs[0].end == docs[1].offset and docs[1].end == len(text)
    assert "".join(d.text for d in docs) == text
    title, offset, body = docs[1]  # a plain (title, offset, text) tuple
    assert body.startswith("法治河南（法治政府）建设考核方案\n《法治河南（法治政府）建设考核方案》全文如下。")
    assert text[offset:].startswith(title)
    plan, scheme = group_by_document(parse_outline(text), docs)
    assert len(plan) == 10 and [n.ordinal for n in plan] == list(range(1, 11))
    measures = [c for r in plan for c in r.children if c.style == "paren_cn"]
    assert len(measures) == 38 and [m.ordinal for m in measures] == list(range(1, 39))
    assert [n.title for n in scheme] == [
        "指导思想", "考核对象", "考核组织", "考核内容", "考核方式", "考核结果认定和运用", "考核工作要求",
    ]
    # the scheme parsed on its own gives the same sections
    assert [n.title for n in parse_outline(docs[1].text)] == [n.title for n in scheme]


def test_single_documents_not_split(seed_id):
    text = cleaned(seed_id).text
    docs = split_documents(text)
    assert len(docs) == (2 if seed_id == "001" else 1)
    assert "".join(d.text for d in docs) == text


def test_split_documents_titles():
    assert [d.title for d in split_documents(cleaned("003").text)] == [
        "河南省法治政府建设领导小组关于印发河南省2020年度法治政府建设工作安排的通知"
    ]
    assert split_documents(cleaned("004").text)[0].title == ""  # letterhead number and addressee only
    assert split_documents("") == [("", 0, "")]


def test_split_documents_needs_title_and_restart():
    body = "一、总则\n内容。\n二、任务\n内容。\n"
    two = "某市法治政府建设实施方案\n" + body + "某市法治政府建设考核办法\n说明如下。\n" + body
    docs = split_documents(two)
    assert [(d.title, d.offset) for d in docs] == [
        ("某市法治政府建设实施方案", 0), ("某市法治政府建设考核办法", two.index("某市法治政府建设考核办法")),
    ]
    # a restart without a title line before it is not a new document (e.g. numbering errors)
    assert len(split_documents(body + body)) == 1
    # a title line not followed by a restart is not a new document either
    assert len(split_documents(body + "某市考核评分细则\n三、其他\n内容。")) == 1


def test_appended_list_becomes_its_own_list():
    main = "一、总体要求\n内容。\n二、主要任务\n内容。\n三、保障措施\n内容。\n某县人民政府\n2023年1月5日\n附件：重点任务清单\n"
    appended = "".join(f"{n}、任务{n}\n" for n in "一二三四五六七八九十")
    roots = parse_outline(main + appended)
    assert [r.title for r in roots[:3]] == ["总体要求", "主要任务", "保障措施"]
    assert len(roots) == 4 and roots[3].style == "list" and roots[3].title == "附件：重点任务清单"
    assert [c.ordinal for c in roots[3].children] == list(range(1, 11))
    assert all(c.level == 2 for c in roots[3].children)
    text = main + appended
    for node in iter_nodes(roots):
        if node.style != "list":
            assert text.startswith(node.label, node.offset)
