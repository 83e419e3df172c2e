"""Hand labels of the evaluation documents (written by us for this set; no text copied from the web).

Per document: ``doctype``; ``issuer`` and ``year`` as the document states them; ``submitted_as`` — the unit
and year it is submitted under in the evaluation (a copied report is submitted by another city); ``parts``:
for each of the five parts ``{"heading": "…"}`` (found at that heading), ``{"content": "…"}`` (no heading;
the text that does the part's job contains this) or ``None`` (absent); ``causes`` of the shortcomings part;
``figures``: every statistic as ``(value, unit, [acceptable label words], catalogue key or None)``;
``outline_top``: the number of top-level items once appended lists are their own list.
"""

AR = "annual_report"
H = lambda s: {"heading": s}  # noqa: E731
C = lambda s: {"content": s}  # noqa: E731
RC, RA, RX = "reconsideration.received", "reconsideration.accepted", "reconsideration.closed"

LABELS = {
    "d01_zj_county_2022": {
        "doctype": AR, "issuer": "安吉县人民政府", "year": 2022, "submitted_as": ("安吉县人民政府", 2022),
        "parts": {"leadership": H("一、党政主要负责人"), "measures": H("二、推进法治政府建设的主要举措"),
                  "shortcomings": H("三、存在的不足和原因"), "next_year": H("四、下一年度"), "other": H("五、其他需要报告")},
        "causes": True, "outline_top": 5,
        "figures": [
            ("4", "次", ["常务会议", "研究法治政府建设"], None), ("1", "次", ["旁听庭审"], None),
            ("98.6", "%", ["网上可办率"], None), ("23", "项", ["集成服务"], None),
            ("6", "件", ["重大行政决策"], None), ("215", "份", ["合同"], None),
            ("320", "卷", ["案卷"], "case_review.files"), ("47", "个", ["问题"], None),
            ("186", "件", ["行政复议申请"], RC), ("172", "件", ["受理"], RA), ("165", "件", ["审结"], RX),
            ("12.7", "%", ["纠错率"], "reconsideration.correction_rate"),
            ("68", "件", ["出庭应诉"], "litigation.head_appearances"),
            ("100", "%", ["出庭应诉率"], "litigation.head_appearance_rate"),
            ("19", "件", ["规范性文件"], "normative_docs.issued"), ("41", "件", ["规范性文件"], "normative_docs.reviewed"),
            ("132", "件", ["规范性文件"], "normative_docs.cleaned"),
        ],
    },
    "d02_sc_city_2023": {
        "doctype": AR, "issuer": "绵阳市人民政府", "year": 2023, "submitted_as": ("绵阳市人民政府", 2023),
        "parts": {"leadership": C("第一责任人"), "measures": H("一、工作回顾"), "shortcomings": H("二、问题与不足"),
                  "next_year": H("三、2024年工作安排"), "other": None},
        "causes": True, "outline_top": 3,
        "figures": [
            ("5", "次", ["学法", "常务会议"], None), ("17", "项", ["行政许可"], None),
            ("12000", "件", ["企业开办"], None), ("1", "个工作日", ["用时"], None),
            ("3800", "次", ["执法检查"], None), ("1265", "件", ["违法案件"], None), ("23400000", "元", ["罚没款"], None),
            ("21567", "件", ["矛盾纠纷"], "mediation.disputes"), ("21102", "件", ["调解成功"], "mediation.success"),
            ("97.8", "%", ["调解成功率"], "mediation.success_rate"),
            ("752", "件", ["行政复议案件"], RC), ("718", "件", ["办结"], RX),
            ("156", "件", ["调解", "和解"], "reconsideration.mediated"),
            ("213", "件", ["行政诉讼案件"], "litigation.cases"), ("6.1", "%", ["败诉率"], "litigation.loss_rate"),
        ],
    },
    "d03_gd_district_2021": {
        "doctype": AR, "issuer": "佛山市南海区人民政府", "year": 2021, "submitted_as": ("佛山市南海区人民政府", 2021),
        "parts": {"leadership": C("第一责任人"), "measures": H("主要举措和成效"), "shortcomings": H("存在问题"),
                  "next_year": H("今后三年工作安排"), "other": None},
        "causes": False, "outline_top": 0,
        "figures": [
            ("58", "期", ["培训班"], None), ("4600", "人次", ["干部"], None),
            ("28", "件", ["规范性文件"], "normative_docs.reviewed"), ("100", "%", ["报备率"], None),
            ("312", "件", ["行政复议案件"], RA), ("298", "件", ["审结"], RX), ("41", "件", ["纠错"], None),
            ("15", "次", ["出庭应诉"], "litigation.head_appearances"),
        ],
    },
    "d04_hn_dept_2020": {
        "doctype": AR, "issuer": "湖南省市场监督管理局", "year": 2020, "submitted_as": ("湖南省市场监督管理局", 2020),
        "parts": {"leadership": C("第一责任人"), "measures": H("一、主要工作及成效"), "shortcomings": H("二、存在的困难和问题"),
                  "next_year": H("三、2021年工作打算"), "other": None},
        "causes": True, "outline_top": 3,
        "figures": [
            ("6", "次", ["党组会议", "研究法治工作"], None), ("1327", "批次", ["抽查任务"], None),
            ("46000", "户", ["市场主体"], None),
            ("9", "件", ["规范性文件"], "normative_docs.issued"), ("56", "件", ["规范性文件"], "normative_docs.cleaned"),
            ("43", "件", ["行政复议申请"], RC), ("39", "件", ["受理"], RA), ("37", "件", ["审结"], RX),
            ("28", "件", ["行政诉讼案件"], "litigation.cases"),
            ("11", "件次", ["出庭应诉"], "litigation.head_appearances"),
        ],
    },
    "d05_gov_work_report": {
        "doctype": "work_report", "issuer": None, "year": 2024, "submitted_as": ("宜昌市人民政府", 2023),
        "parts": None, "causes": None, "outline_top": 3,
        "figures": [
            ("6.1", "%", ["地区生产总值"], None), ("21500000000", "元", ["一般公共预算收入"], None),
            ("52000", "人", ["城镇就业"], None), ("310", "件", ["人大代表建议"], None),
            ("6", "%", ["地区生产总值"], None), ("50000", "人", ["城镇新增就业"], None),
        ],
    },
    "d06_copied_report": {
        "doctype": AR, "issuer": "嘉兴市人民政府", "year": 2023, "submitted_as": ("湖州市人民政府", 2023),
        "parts": {"leadership": H("一、党政主要负责人"), "measures": H("二、推进法治政府建设的主要举措"),
                  "shortcomings": H("三、存在的不足和原因"), "next_year": H("四、2024年推进"), "other": H("五、其他需要报告")},
        "causes": True, "outline_top": 5,
        "figures": [
            ("3", "次", ["专题会议"], None),
            ("1468", "件", ["行政复议申请"], RC), ("1320", "件", ["受理"], RA), ("1256", "件", ["审结"], RX),
            ("15.3", "%", ["纠错率"], "reconsideration.correction_rate"),
            ("567", "件", ["出庭应诉"], "litigation.head_appearances"),
            ("100", "%", ["出庭应诉率"], "litigation.head_appearance_rate"),
            ("87", "件", ["规范性文件"], "normative_docs.reviewed"), ("126", "件", ["规范性文件"], "normative_docs.filed"),
            ("3", "件", ["违法文件"], "normative_docs.corrected"),
        ],
    },
    "d07_sd_city_2019": {
        "doctype": AR, "issuer": "淄博市人民政府", "year": 2019, "submitted_as": ("淄博市人民政府", 2019),
        "parts": {"leadership": None, "measures": H("一、主要工作"), "shortcomings": H("二、存在问题"),
                  "next_year": H("三、下步打算"), "other": None},
        "causes": False, "outline_top": 3,
        "figures": [
            ("3", "件", ["地方性法规"], None), ("2", "件", ["政府规章"], None), ("182", "件", ["重大事项"], None),
            ("95", "份", ["法律意见书"], None), ("5", "个", ["领域"], None), ("620", "名", ["执法人员"], None),
            ("586", "件", ["建议", "提案"], None), ("100", "%", ["办结率"], None),
            ("927", "件", ["复议申请"], RC), ("889", "件", ["办结"], RX),
        ],
    },
    "d08_township_2022": {
        "doctype": AR, "issuer": "桐庐县分水镇人民政府", "year": 2022, "submitted_as": ("桐庐县分水镇人民政府", 2022),
        "parts": {"leadership": C("第一责任人"), "measures": H("一、工作开展情况"), "shortcomings": H("二、存在的问题"),
                  "next_year": H("三、下一步工作打算"), "other": None},
        "causes": False, "outline_top": 3,
        "figures": [
            ("4", "次", ["专题会议"], None), ("640", "次", ["巡查"], None), ("12", "起", ["违法建设"], None),
            ("3600", "平方米", ["违建面积", "拆除"], None),
            ("318", "起", ["矛盾纠纷"], "mediation.disputes"), ("309", "起", ["调解"], "mediation.success"),
            ("97.2", "%", ["调解成功率"], "mediation.success_rate"), ("25", "场次", ["活动"], None),
            ("5000", "人次", ["群众"], None),
        ],
    },
    "d09_plan_points_2023": {
        "doctype": "work_plan", "issuer": None, "year": 2023, "submitted_as": None,
        "parts": None, "causes": None, "outline_top": 3,
        "figures": [("2", "部", ["地方性法规"], None), ("100", "%", ["审核率"], None), ("30", "卷", ["案卷"], None)],
    },
    "d10_impl_plan": {
        "doctype": "implementation_plan", "issuer": None, "year": 2021, "submitted_as": None,
        "parts": None, "causes": None, "outline_top": 5,
        "figures": [("2", "部", ["政府规章"], None)],
    },
    "d11_ah_county_2024": {
        "doctype": AR, "issuer": "宿松县人民政府", "year": 2024, "submitted_as": ("宿松县人民政府", 2024),
        "parts": {"leadership": H("一、党政主要负责人"), "measures": H("二、推进法治政府建设的主要举措"),
                  "shortcomings": H("三、存在的不足和原因"), "next_year": H("四、2025年"), "other": H("五、其他需要报告")},
        "causes": True, "outline_top": 5,
        "figures": [
            ("3", "次", ["学法", "常务会议"], None), ("2", "次", ["旁听庭审"], None),
            ("10", "个工作日", ["市场主体", "办结"], None), ("100", "%", ["办结率"], None),
            ("2136", "户", ["企业"], None), ("8.2", "%", ["企业"], None), ("23000", "户", ["企业", "市场主体"], None),
            ("2", "轮", ["评查"], None), ("126", "卷", ["案卷"], None), ("98", "卷", ["案卷"], None),
            ("3", "名次", ["考评"], None),
            ("203", "件", ["行政复议案件"], RA), ("5", "%", ["行政复议案件"], None), ("196", "件", ["审结"], RX),
            ("27", "件", ["行政诉讼案件"], "litigation.cases"),
            ("27", "件", ["出庭应诉"], "litigation.head_appearances"),
            ("100", "%", ["出庭应诉率"], "litigation.head_appearance_rate"),
            ("32", "件", ["规范性文件"], "normative_docs.reviewed"), ("15", "件", ["清理"], "normative_docs.cleaned"),
            ("3", "项", ["废止"], None), ("1800", "名", ["法律明白人"], None), ("10", "个", ["法治文化阵地"], None),
        ],
    },
    "d12_fj_city_2024": {
        "doctype": AR, "issuer": "泉州市人民政府", "year": 2024, "submitted_as": ("泉州市人民政府", 2024),
        "parts": {"leadership": C("第一责任人"), "measures": H("一、主要举措和成效"), "shortcomings": H("二、存在问题与不足"),
                  "next_year": H("三、今后两年工作安排"), "other": None},
        "causes": True, "outline_top": 3,
        "figures": [
            ("2210", "件", ["收到"], RC), ("2058", "件", ["受理"], RA), ("1987", "件", ["审结"], RX),
            ("412", "件", ["调解", "和解"], "reconsideration.mediated"),
            ("98.6", "%", ["成功率"], "mediation.success_rate"), ("34000", "件", ["矛盾纠纷"], "mediation.disputes"),
            ("33000", "件", ["调解成功"], "mediation.success"),
            ("115", "件", ["规范性文件", "合法性审查"], "normative_docs.reviewed"),
            ("89", "件", ["规范性文件"], "normative_docs.filed"), ("2", "件", ["违法文件"], "normative_docs.corrected"),
            ("1023", "件次", ["出庭应诉"], "litigation.head_appearances"),
            ("100", "%", ["出庭应诉率"], "litigation.head_appearance_rate"),
            ("12000", "人次", ["执法人员"], None),
        ],
    },
    "d13_js_province_2024": {
        "doctype": AR, "issuer": "江苏省人民政府", "year": 2024, "submitted_as": ("江苏省人民政府", 2024),
        "parts": {"leadership": H("一、党政主要负责人"), "measures": H("二、推进法治政府建设的主要举措"),
                  "shortcomings": H("三、存在的不足和原因"), "next_year": H("四、2025年推进"), "other": H("五、其他需要报告")},
        "causes": True, "outline_top": 5,
        "figures": [
            ("6", "次", ["学法", "常务会议"], None), ("14", "项", ["重大行政决策"], None), ("42", "项", ["行政许可"], None),
            ("91.3", "%", ["网办率"], None), ("14000000", "户", ["经营主体"], None), ("6.4", "%", ["经营主体"], None),
            ("1860000", "户", ["经营主体"], None), ("527000", "户", ["企业"], None), ("11", "件", ["地方性法规"], None),
            ("5", "件", ["制定"], None), ("8", "件", ["修改"], None), ("3", "件", ["废止"], None),
            ("1846", "件", ["规范性文件"], "normative_docs.filed"), ("27", "件", ["违法文件"], "normative_docs.corrected"),
            ("3", "轮", ["评查"], None), ("24000", "卷", ["案卷"], "case_review.files"), ("38", "%", ["优秀率"], None),
            ("2", "名次", ["满意度"], None),
            ("56000", "件", ["行政复议申请"], RC), ("21", "%", ["行政复议申请"], None), ("51000", "件", ["受理"], RA),
            ("49000", "件", ["审结"], RX), ("13000", "件", ["调解", "和解"], "reconsideration.mediated"),
            ("26.5", "%", ["化解率"], "reconsideration.resolution_rate"),
            ("19000", "件", ["行政诉讼案件"], "litigation.cases"),
            ("18000", "件", ["出庭应诉"], "litigation.head_appearances"),
            ("94.7", "%", ["出庭应诉率"], "litigation.head_appearance_rate"), ("5.2", "%", ["败诉率"], "litigation.loss_rate"),
            ("623000", "件", ["矛盾纠纷"], "mediation.disputes"), ("618000", "件", ["调解成功"], "mediation.success"),
        ],
    },
    "d14_notice_other": {
        "doctype": "other", "issuer": "省法治政府建设领导小组办公室", "year": 2024, "submitted_as": None,
        "parts": None, "causes": None, "outline_top": 3,
        "figures": [("13", "个", ["设区市"], None)],
    },
    # --- held out: not looked at while tuning -------------------------------------------------------------
    "h01_jx_county_2021": {
        "doctype": AR, "issuer": "于都县人民政府", "year": 2021, "submitted_as": ("于都县人民政府", 2021),
        "parts": {"leadership": H("第一部分"), "measures": H("第二部分"), "shortcomings": H("第三部分"),
                  "next_year": H("第四部分"), "other": H("第五部分")},
        "causes": True, "outline_top": 5,
        "figures": [
            ("3", "次", ["工作汇报", "听取"], None),
            ("11", "件", ["规范性文件"], "normative_docs.issued"), ("74", "件", ["规范性文件"], "normative_docs.cleaned"),
            ("280", "批次", ["抽查"], None),
            ("96", "件", ["行政复议申请"], RC), ("88", "件", ["受理"], RA), ("85", "件", ["审结"], RX),
            ("19", "件", ["调解", "和解"], "reconsideration.mediated"),
            ("42", "件", ["出庭应诉"], "litigation.head_appearances"),
            ("95.5", "%", ["出庭应诉率"], "litigation.head_appearance_rate"),
        ],
    },
    "h02_gz_dept_2023": {
        "doctype": AR, "issuer": "贵州省司法厅", "year": 2023, "submitted_as": ("贵州省司法厅", 2023),
        "parts": {"leadership": C("第一责任人"), "measures": H("主要举措和成效"), "shortcomings": H("存在问题"),
                  "next_year": H("下一步工作打算"), "other": None},
        "causes": False, "outline_top": 0,
        "figures": [
            ("8", "次", ["党组会议", "研究法治工作"], None),
            ("34", "件", ["规范性文件"], "normative_docs.reviewed"), ("215", "件", ["规范性文件"], "normative_docs.filed"),
            ("6", "件", ["违法文件"], "normative_docs.corrected"), ("11000", "卷", ["案卷"], "case_review.files"),
            ("186000", "件", ["矛盾纠纷"], "mediation.disputes"), ("98.1", "%", ["调解成功率"], "mediation.success_rate"),
        ],
    },
    "h03_yn_city_2020": {
        "doctype": AR, "issuer": "曲靖市人民政府", "year": 2020, "submitted_as": ("曲靖市人民政府", 2020),
        "parts": {"leadership": C("第一责任人"), "measures": C("成效"), "shortcomings": C("存在一些问题"),
                  "next_year": C("我们将"), "other": None},
        "causes": True, "outline_top": 0,
        "figures": [
            ("5", "次", ["会议", "研究法治政府建设"], None), ("312", "项", ["行政许可"], None),
            ("92", "%", ["最多跑一次", "比例"], None),
            ("418", "件", ["复议申请"], RC), ("401", "件", ["办结"], RX),
            ("11.2", "%", ["纠错率"], "reconsideration.correction_rate"),
            ("9326", "件", ["纠纷"], "mediation.disputes"), ("9017", "件", ["调解成功"], "mediation.success"),
        ],
    },
    "h04_hb_city_2022": {
        "doctype": AR, "issuer": "襄阳市人民政府办公室", "year": 2022, "submitted_as": ("襄阳市人民政府", 2022),
        "parts": {"leadership": H("一、党政主要负责人"), "measures": H("二、主要举措和成效"), "shortcomings": H("三、存在问题和原因"),
                  "next_year": H("四、下一步工作打算"), "other": None},
        "causes": True, "outline_top": 4,
        "figures": [
            ("4", "次", ["工作汇报"], None), ("12", "件", ["法治工作事项"], None),
            ("634", "件", ["复议申请"], RC), ("590", "件", ["审结"], RX),
            ("62", "件", ["规范性文件"], "normative_docs.reviewed"), ("203", "件", ["规范性文件"], "normative_docs.cleaned"),
        ],
    },
    "h05_sx_county_2023": {
        "doctype": AR, "issuer": "富平县人民政府", "year": 2023, "submitted_as": ("富平县人民政府", 2023),
        "parts": {"leadership": H("一、主要负责人履行第一责任人"), "measures": H("二、主要举措和成效"),
                  "shortcomings": H("三、存在的问题"), "next_year": H("四、2024年工作计划"), "other": None},
        "causes": False, "outline_top": 4,
        "figures": [
            ("4", "次", ["学法"], None), ("5", "项", ["重大行政决策"], None), ("97", "%", ["网办率"], None),
            ("18000", "件", ["审批事项"], None), ("2300", "件", ["审批事项"], None),
            ("158", "件", ["行政复议申请"], RC), ("141", "件", ["受理"], RA), ("6", "%", ["受理", "行政复议"], None),
            ("136", "件", ["审结"], RX), ("19", "件", ["行政诉讼案件"], "litigation.cases"),
            ("19", "件", ["出庭应诉"], "litigation.head_appearances"),
            ("7", "件", ["规范性文件"], "normative_docs.issued"), ("43", "件", ["规范性文件"], "normative_docs.cleaned"),
            ("2680", "件", ["矛盾纠纷"], "mediation.disputes"), ("2641", "件", ["调解成功"], "mediation.success"),
            ("98.5", "%", ["调解成功率"], "mediation.success_rate"), ("2", "名次", ["考核"], None),
        ],
    },
    "h06_ln_city_2022": {
        "doctype": AR, "issuer": "大连市人民政府", "year": 2022, "submitted_as": ("大连市人民政府", 2022),
        "parts": {"leadership": H("一、党政主要负责人"), "measures": H("二、推进法治政府建设的主要举措"),
                  "shortcomings": H("三、存在的不足和原因"), "next_year": H("四、2023年推进"), "other": H("五、其他需要报告")},
        "causes": True, "outline_top": 5,
        "figures": [
            ("5", "次", ["党组会议", "研究法治工作"], None), ("2", "次", ["汇报"], None), ("36", "项", ["行政权力事项"], None),
            ("88.5", "%", ["网办率"], None), ("4200000000", "元", ["减税降费"], None),
            ("23", "件", ["制定"], "normative_docs.issued"), ("67", "件", ["审查"], "normative_docs.reviewed"),
            ("154", "件", ["清理"], "normative_docs.cleaned"),
            ("1893", "件", ["行政复议案件"], RC), ("4", "%", ["行政复议案件"], None), ("1810", "件", ["审结"], RX),
            ("9.6", "%", ["纠错率"], "reconsideration.correction_rate"),
            ("416", "件", ["行政诉讼案件"], "litigation.cases"), ("392", "件", ["出庭应诉"], "litigation.head_appearances"),
            ("94.2", "%", ["出庭应诉率"], "litigation.head_appearance_rate"),
            ("2", "轮", ["评查"], None), ("1760", "卷", ["案卷"], "case_review.files"), ("1", "名次", ["考评"], None),
            ("31000", "件", ["矛盾纠纷"], "mediation.disputes"), ("97.9", "%", ["调解成功率"], "mediation.success_rate"),
        ],
    },
}

#: The five seeds (real documents, in the repository): type, provenance and parts only — their figures are
#: checked by the unit tests. 001 names its issuers only in a sentence of the web page (中共河南省委、河南省人民政府
#: 印发了…), which the toolkit does not read: counted as a miss.
SEED_LABELS = {
    "000": {"doctype": AR, "issuer": "河南省人民政府", "year": 2024, "causes": False,
            "parts": {"leadership": C("第一责任人"), "measures": C(""), "shortcomings": C("问题和短板"),
                      "next_year": C("我们将"), "other": None}},
    "001": {"doctype": "implementation_plan", "issuer": "中共河南省委、河南省人民政府", "year": 2021, "causes": None,
            "parts": None},
    "002": {"doctype": AR, "issuer": "中共潢川县委潢川县人民政府", "year": 2023, "causes": False,
            "parts": {"leadership": H("一、2023年度党政主要负责人"), "measures": H("二、2023年度推进法治政府建设的主要举措"),
                      "shortcomings": H("三、2023年度法治政府建设存在的主要不足"), "next_year": H("四、2024年度"),
                      "other": H("五、其他需要报告")}},
    "003": {"doctype": "work_plan", "issuer": "河南省法治政府建设领导小组", "year": 2020, "causes": None, "parts": None},
    "004": {"doctype": AR, "issuer": "保定市人民政府", "year": 2024, "causes": False,
            "parts": {"leadership": C("第一责任人"), "measures": C(""), "shortcomings": C("薄弱环节"),
                      "next_year": C("我们将"), "other": None}},
}
