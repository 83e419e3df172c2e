"""Demo units and people: Henan province, its 17 省辖市 and 济源示范区, provincial units of every category.

Everything created here carries ``is_demo=True`` and the layout shows a banner while demo data exists.
Codes of governments are the official administrative division codes (行政区划代码).
"""

from __future__ import annotations

from .models import Level, Role, Unit, UnitKind, User

DEMO_PASSWORD = "Fazhi@2026"  # noqa: S105 - printed for the demo, never used outside it

CITIES = [
    ("410100", "郑州市"), ("410200", "开封市"), ("410300", "洛阳市"), ("410400", "平顶山市"),
    ("410500", "安阳市"), ("410600", "鹤壁市"), ("410700", "新乡市"), ("410800", "焦作市"),
    ("410900", "濮阳市"), ("411000", "许昌市"), ("411100", "漯河市"), ("411200", "三门峡市"),
    ("411300", "南阳市"), ("411400", "商丘市"), ("411500", "信阳市"), ("411600", "周口市"),
    ("411700", "驻马店市"), ("419001", "济源示范区"),
]
# (category, kind, names)
PROVINCIAL = [
    (2, UnitKind.PARTY_ORGAN, ["省纪委监委机关", "省委办公厅", "省委组织部", "省委宣传部", "省委统战部", "省委政法委",
                               "省委网信办", "省委编办"]),
    (3, UnitKind.LEGISLATURE, ["省人大常委会办公厅", "省政协办公厅"]),
    (4, UnitKind.DEPARTMENT, ["省政府办公厅", "省发展改革委", "省教育厅", "省科技厅", "省工业和信息化厅", "省民族宗教委",
                              "省公安厅", "省民政厅", "省司法厅", "省财政厅", "省人力资源社会保障厅", "省自然资源厅",
                              "省生态环境厅", "省住房城乡建设厅", "省交通运输厅", "省水利厅", "省农业农村厅", "省商务厅",
                              "省文化和旅游厅", "省卫生健康委", "省退役军人事务厅", "省应急管理厅", "省审计厅",
                              "省政府国资委", "省市场监管局", "省广电局", "省体育局", "省统计局", "省医保局",
                              "省林业局", "省信访局", "省大数据局"]),
    (5, UnitKind.JUDICIAL, ["省法院", "省检察院"]),
    (6, UnitKind.MASS_ORGANIZATION, ["省总工会", "团省委", "省妇联", "省科协", "省残联"]),
    (7, UnitKind.CENTRAL, ["国家税务总局河南省税务局", "郑州海关", "国家金融监督管理总局河南监管局", "河南省通信管理局",
                           "国家统计局河南调查总队", "中国人民银行河南省分行"]),
]
ZHENGZHOU_DEPARTMENTS = ["郑州市司法局", "郑州市公安局", "郑州市市场监管局", "郑州市生态环境局", "郑州市城市管理局"]
XINYANG_COUNTIES = [("411526", "潢川县"), ("411502", "浉河区"), ("411503", "平桥区"), ("411521", "罗山县")]


def _unit(code, name, level, kind, parent=None, category=None, region="", order=0) -> Unit:
    unit, _created = Unit.objects.update_or_create(
        code=code,
        defaults={"name": name, "level": level, "kind": kind, "parent": parent, "category": category,
                  "region": region, "sort_order": order, "is_demo": True},
    )
    return unit


def load_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    province = units["410000"] = _unit("410000", "河南省人民政府", Level.PROVINCE, UnitKind.GOVERNMENT, region="河南省")
    units["HA-OFFICE"] = _unit("HA-OFFICE", "河南省依法治省办", Level.PROVINCE, UnitKind.OFFICE, province)
    for order, (code, name) in enumerate(CITIES):
        units[code] = _unit(code, f"{name}人民政府" if name != "济源示范区" else "济源示范区管委会", Level.CITY,
                            UnitKind.GOVERNMENT, province, category=1, region=name if name != "济源示范区" else "济源市",
                            order=order)
    counter = 0
    for category, kind, names in PROVINCIAL:
        for name in names:
            counter += 1
            units[f"HA-P{counter:03d}"] = _unit(f"HA-P{counter:03d}", name, Level.PROVINCE, kind, province,
                                                category=category, order=counter)
    units["HA-EXPERTS"] = _unit("HA-EXPERTS", "省法治政府建设评查专家库", Level.PROVINCE, UnitKind.OTHER, province)
    units["HA-FIELD"] = _unit("HA-FIELD", "省实地考核第一组", Level.PROVINCE, UnitKind.OTHER, province)
    units["HA-SURVEY"] = _unit("HA-SURVEY", "河南省社会调查评估中心（演示）", Level.PROVINCE, UnitKind.THIRD_PARTY, province)
    # 分级考核: Zhengzhou and Xinyang run their own assessment of their departments and counties.
    zhengzhou, xinyang = units["410100"], units["411500"]
    units["410100-OFFICE"] = _unit("410100-OFFICE", "郑州市依法治市办", Level.CITY, UnitKind.OFFICE, zhengzhou)
    for order, name in enumerate(ZHENGZHOU_DEPARTMENTS, start=1):
        units[f"410100-D{order:02d}"] = _unit(f"410100-D{order:02d}", name, Level.CITY, UnitKind.DEPARTMENT,
                                              zhengzhou, category=4, order=order)
    units["411500-OFFICE"] = _unit("411500-OFFICE", "信阳市依法治市办", Level.CITY, UnitKind.OFFICE, xinyang)
    for order, (code, name) in enumerate(XINYANG_COUNTIES, start=1):
        units[code] = _unit(code, f"{name}人民政府", Level.COUNTY, UnitKind.GOVERNMENT, xinyang, category=1,
                            region=name, order=order)
    return units


# username -> (display name, unit code, role, superuser)
DEMO_PEOPLE = {
    "admin": ("平台管理员", "HA-OFFICE", Role.OFFICE, True),
    "office": ("省依法治省办 王处长", "HA-OFFICE", Role.OFFICE, False),
    "office_zz": ("郑州市依法治市办 李科长", "410100-OFFICE", Role.OFFICE, False),
    "office_xy": ("信阳市依法治市办 周科长", "411500-OFFICE", Role.OFFICE, False),
    "assessing": ("省司法厅 赵主任（考核主体）", "HA-P019", Role.ASSESSING, False),
    "assessing_zz": ("郑州市司法局 孙科员（考核主体）", "410100-D01", Role.ASSESSING, False),
    "assessed": ("郑州市人民政府 陈联络员", "410100", Role.ASSESSED, False),
    "assessed_dept": ("省公安厅 刘联络员", "HA-P017", Role.ASSESSED, False),
    "assessed_zz": ("郑州市公安局 马联络员", "410100-D02", Role.ASSESSED, False),
    "expert": ("评查专家 孙教授", "HA-EXPERTS", Role.EXPERT, False),
    "field": ("实地考核组 吴组长", "HA-FIELD", Role.FIELD_TEAM, False),
    "survey": ("第三方调查 郑研究员", "HA-SURVEY", Role.SURVEY, False),
    "public": ("公众 张先生", None, Role.PUBLIC, False),
    # 审定人: the leadership of each level's 法治建设 committee (its office unit serves it); never prepares results
    "approver": ("省委全面依法治省委员会 审定人 刘副主任", "HA-OFFICE", Role.APPROVER, False),
    "approver_zz": ("市委全面依法治市委员会 审定人 马副主任", "410100-OFFICE", Role.APPROVER, False),
}


def load_people(units: dict[str, Unit]) -> dict[str, User]:
    people: dict[str, User] = {}
    for username, (display, unit_code, role, superuser) in DEMO_PEOPLE.items():
        unit = units[unit_code] if unit_code else None
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={"display_name": display, "unit": unit, "role": role, "is_superuser": superuser,
                      "is_staff": superuser},
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        people[username] = user
    return people
