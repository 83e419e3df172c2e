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
    # 受理复议案件87件: accepted (受理), which is not received (收到) — three counts since issue 16
    assert "reconsideration.received" not in cat and cat["reconsideration.accepted"]["value"] == 87
    assert cat["reconsideration.closed"]["value"] == 87
    assert cat["litigation.cases"]["value"] == 103
    assert cat["litigation.head_appearance_rate"]["value"] == 100
    assert cat["litigation.head_appearance_rate"]["numerator"] is None  # 87/87 is reconsideration
    assert cat["litigation.loss_rate"]["value"] == Decimal("11.65")
    assert cat["mediation.disputes"]["value"] == 3522
    assert cat["mediation.success"]["value"] == 3478
    sr = cat["mediation.success_rate"]
    assert (sr["value"], sr["numerator"], sr["denominator"]) == (Decimal("98.7"), 3478, 3522)
    assert sr["basis"]["numerator_label"] == "调成矛盾纠纷" and sr["basis"]["denominator_label"] == "调解矛盾纠纷"


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


def _labels(seed):
    """raw → label of the first figure written that way."""
    out = {}
    for f in extract_figures(cleaned(seed).text):
        out.setdefault(f.raw, f.label)
    return out


def _label_in(seed, context, raw):
    """Label of the figure ``raw`` written inside ``context`` (a raw can occur more than once)."""
    text = cleaned(seed).text
    start = text.index(context)
    return next(f.label for f in extract_figures(text) if f.raw == raw and start <= f.offset < start + len(context))


def test_seed000_labels():
    figs = extract_figures(cleaned("000").text)
    by_raw = {}
    for f in figs:
        by_raw.setdefault(f.raw, f)
    # the noun phrase after the measure word describes the figure best
    assert by_raw["1.06万名"].label == "领导干部"  # 省、市、县、乡四级1.06万名领导干部同步参训
    assert by_raw["1.06万名"].subject == "省、市、县、乡四级"
    assert by_raw["19.7万名"].label == "执法人员"  # 完成全省19.7万名执法人员全员轮训
    assert by_raw["8部"].label == "地方性法规"  # 《…条例》等8部地方性法规
    assert _label_in("000", "上线运行17项国家部署", "17项") == "国家部署的“一件事”事项"
    assert _label_in("000", "获取6个国家部委17项数据", "17项") == "数据"
    assert by_raw["644个"].label == "信息系统数据源"
    # otherwise the subject, trimmed at stop words (共, 由…增至, 通过…平台)
    assert by_raw["2881件"].label == "受理报备文件"  # 省、市、县三级政府共受理报备文件2881件
    assert by_raw["72名"].label == by_raw["87名"].label == "街道平均编制"  # 由72名增至87名
    assert by_raw["404份"].label == "发布省政府及办公厅文件"
    assert by_raw["2471篇"].label == "发布解读文稿"
    assert by_raw["14.1万人次"].label == "接待群众"  # 接待群众6.4万批、14.1万人次
    assert by_raw["5件"].label == "政协提案"
    assert by_raw["34777件"].label == "收到行政复议申请"
    assert by_raw["27%"].label == "化解率"
    assert by_raw["92.36%"].label == "行政机关负责人出庭应诉率"
    assert by_raw["2.07亿件（次）"].to_dict()["subject"] == "惠及企业群众办事"


def test_seed002_labels():
    labels = _labels("002")
    assert labels["1044件"] == "受理指派各类法律援助案"  # 全年共受理指派各类法律援助案合计1044件
    assert labels["1542件"] == "受理投诉举报"  # 全年共计受理投诉举报
    assert labels["30件"] == "办理减免收费公证"  # …未成年人共办理减免收费公证30件
    assert labels["15人"] == "兼职应急救援队伍"  # 不少于15人的兼职应急救援队伍
    assert labels["12个"] == "业务专区"  # 划分为6个综合服务区和12个业务专区
    assert _label_in("002", "等7个议事协调机构办公室日常运作", "7个") == "议事协调机构办公室"
    assert _label_in("002", "7个公共卫生事件类", "7个") == "公共卫生事件类"
    assert labels["103项"] == "集成服务"
    assert labels["1500册"] == "《潢川县乡镇（街道）综合行政执法法律法规应知应会知识手册》"
    assert labels["146万元"] == "总价值"  # 总价值达146万元
    figs = [f for f in extract_figures(cleaned("002").text) if f.raw == "3次"]
    assert [f.label for f in figs] == ["专题学习研讨活动", "听取研究法治建设工作汇报"]


def test_seed004_labels():
    labels = _labels("004")
    assert labels["17部"] == "地方性法规"  # 对17部地方性法规进行清理修订
    assert labels["107件"] == "行政规范性文件"  # 对市本级107件行政规范性文件进行清理
    assert labels["24小时"] == "人工服务"  # 为企业提供7×24小时人工服务
    assert labels["253项"] == "重点任务"
    assert labels["4个"] == "专项行动"
    assert labels["31个"] == "专项应急预案" and labels["38个"] == "部门应急预案"
    assert labels["923件"] == "人大代表建议、政协提案"  # …923件全部办结: no noun after
    assert labels["1100余条"] == "发布政务要闻、通知公告等各类信息"
    assert labels["106.3万户"] == "新登记经营主体总量"  # …总量达到106.3万户: a bare 总量 takes the noun before it
    assert labels["52161件"] == "调处民间矛盾纠纷"  # 全市共调处民间矛盾纠纷
    assert labels["2件"] == "决定予以废止" and labels["7件"] == "宣布失效"


def test_label_rules_on_short_texts():
    def label(text):
        return extract_figures(text)[0].label

    assert label("全年共计受理投诉举报1542件。") == "受理投诉举报"
    assert label("累计归集政务数据1800亿条。") == "归集政务数据"
    assert label("行政复议申请合计100件。") == "行政复议申请"
    assert label("办理12件行政复议案件。") == "行政复议案件"
    assert label("培训30万人次参加。") == "培训"  # 参加 is a verb, not a noun phrase
    assert label("罚款300万元罚没物资。") == "罚款"  # money is no measure word of a noun


# --- a grammar of Chinese quantities (issue 16) ------------------------------------------------------------

def _figs(text):
    return [(f.raw, f.value, f.unit, f.label) for f in extract_figures(text)]


def test_chinese_numerals_of_any_length_before_measure_words():
    figs = _figs("建成法治文化阵地十个，废止三项，旁听庭审两次，审查规范性文件三十二件。")
    assert [(v, u) for _r, v, u, _l in figs] == [(10, "个"), (3, "项"), (2, "次"), (32, "件")]
    assert figs[0][3] == "法治文化阵地" or "法治文化阵地" in figs[0][3]
    # numerals inside words and slogans are no counts
    assert _figs("落实行政执法“三项制度”，推行“一件事一次办”，统一规范执法，进一步提升。") == []


def test_more_measure_words():
    figs = _figs("开展抽查任务1327批次，评查案卷两轮共320卷，拆除违建面积3600平方米，平均用时压缩至1个工作日。")
    assert [(v, u) for _r, v, u, _l in figs] == [(1327, "批次"), (2, "轮"), (320, "卷"), (3600, "平方米"), (1, "个工作日")]
    assert figs[-1][3] == "平均用时"  # 压缩至 is no part of the label


def test_ranks_are_figures():
    (fig,) = extract_figures("全县法治政府建设考评位居全市第三。")
    assert (fig.value, fig.unit, fig.label) == (3, "名次", "法治政府建设考评")
    assert fig.raw == "第三"


def test_number_before_its_noun():
    figs = extract_figures("法院审结27件以县政府为被告的行政诉讼案件，县政府负责人出庭应诉27件。")
    assert [f.label for f in figs] == ["行政诉讼案件", "县政府负责人出庭应诉"]
    cat = catalogue(figs)
    assert cat["litigation.cases"]["offset"] == figs[0].offset
    assert cat["litigation.head_appearances"]["offset"] == figs[1].offset


def test_respectively_lists_pair_by_position():
    figs = extract_figures("全市收到、受理、审结行政复议案件分别为2210件、2058件、1987件。")
    assert [f.label for f in figs] == ["收到行政复议案件", "受理行政复议案件", "审结行政复议案件"]
    cat = catalogue(figs)
    assert [cat[k]["value"] for k in ("reconsideration.received", "reconsideration.accepted", "reconsideration.closed")] == [
        2210, 2058, 1987]


def test_subject_carried_over_from_the_previous_clause():
    figs = extract_figures("县政府受理行政复议案件203件，同比下降5%，审结196件。新设立企业2136户，总量达到2.3万户。")
    labels = [f.label for f in figs]
    assert labels[1] == "行政复议案件同比下降" and labels[2] == "审结行政复议案件"
    assert labels[4] == "新设立企业总量"
    cat = catalogue(figs)
    assert cat["reconsideration.accepted"]["value"] == 203 and cat["reconsideration.closed"]["value"] == 196


def test_new_catalogue_keys():
    text = ("全年制发行政规范性文件19件，审查规范性文件41件，清理规范性文件132件，备案审查规范性文件126件。"
            "开展行政执法案卷评查，共评查案卷320卷。行政机关负责人出庭应诉68件，出庭应诉率100%。")
    cat = catalogue(extract_figures(text))
    assert {k: cat[k]["value"] for k in ("normative_docs.issued", "normative_docs.reviewed", "normative_docs.cleaned",
                                         "normative_docs.filed", "case_review.files", "litigation.head_appearances")} == {
        "normative_docs.issued": 19, "normative_docs.reviewed": 41, "normative_docs.cleaned": 132,
        "normative_docs.filed": 126, "case_review.files": 320, "litigation.head_appearances": 68}


def test_every_key_has_a_chinese_name():
    from fazhi.core.text.figures import ALL_KEYS, KEY_NAMES

    assert set(KEY_NAMES) == set(ALL_KEYS)
    assert all(any("\u4e00" <= c <= "\u9fff" for c in name) for name in KEY_NAMES.values())


def test_labels_on_the_seeds_are_never_a_bare_verb_or_filler(seed_id):
    from fazhi.core.text.figures import BARE, BARE_VERB

    for f in extract_figures(cleaned(seed_id).text):
        assert f.label and not BARE.match(f.label) and not BARE_VERB.match(f.label), (f.raw, f.label)
