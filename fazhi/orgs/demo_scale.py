"""A province-sized unit tree on top of the demo (``fazhi demo_scale``): counties and departments under the 18
demo cities, departments under the counties, more provincial units — in about the proportions of Henan
(DOMAIN.md §11: 18 cities, ~160 counties, ~40 departments per city, ~60 provincial departments).

Every unit made here has a code starting with ``SCALE_PREFIX`` and ``is_demo=True``; their presence is how the
command knows the database already holds a scaled province.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .models import PATH_STEP, Level, Unit, UnitKind

SCALE_PREFIX = "SC-"

CITY_DEPARTMENTS = [
    "司法局", "公安局", "市场监管局", "生态环境局", "财政局", "教育局", "民政局", "人力资源社会保障局",
    "自然资源和规划局", "住房城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局",
    "卫生健康委", "应急管理局", "审计局", "统计局", "医疗保障局", "林业局", "信访局", "城市管理局", "发展改革委",
    "科技局", "工业和信息化局", "退役军人事务局", "国资委", "体育局", "政务服务和大数据管理局", "民族宗教局",
    "外事办", "机关事务管理局", "人防办", "粮食和物资储备局", "乡村振兴局", "行政审批服务局", "住房公积金管理中心",
    "地方金融监管局", "综合行政执法局",
]
COUNTY_STEMS = [
    "中牟", "巩义", "荥阳", "新密", "新郑", "登封", "杞县", "通许", "尉氏", "兰考", "孟津", "新安", "栾川", "嵩县",
    "汝阳", "宜阳", "洛宁", "伊川", "偃师", "宝丰", "叶县", "鲁山", "郏县", "舞钢", "汝州", "林州", "安阳", "汤阴",
    "滑县", "内黄", "浚县", "淇县", "新乡", "获嘉", "原阳", "延津", "封丘", "卫辉", "辉县", "长垣", "修武", "博爱",
    "武陟", "温县", "沁阳", "孟州", "清丰", "南乐", "范县", "台前", "濮阳", "鄢陵", "襄城", "禹州", "长葛", "舞阳",
    "临颍", "渑池", "卢氏", "义马", "灵宝", "南召", "方城", "西峡", "镇平", "内乡", "淅川", "社旗", "唐河", "新野",
    "桐柏", "邓州", "民权", "睢县", "宁陵", "柘城", "虞城", "夏邑", "永城", "罗山", "光山", "新县", "商城", "固始",
    "淮滨", "息县", "扶沟", "西华", "商水", "沈丘", "郸城", "太康", "鹿邑", "项城", "西平", "上蔡", "平舆", "正阳",
    "确山", "泌阳", "汝南", "遂平", "新蔡",
]
COUNTY_DEPARTMENTS = ["司法局", "公安局", "市场监管局", "生态环境分局", "财政局", "教育局", "民政局", "自然资源局",
                      "住房城乡建设局", "农业农村局", "卫生健康委", "应急管理局", "人力资源社会保障局", "交通运输局"]
# (category, kind, names): provincial units beyond the demo's, in the demo's categories
PROVINCIAL_EXTRA = [
    (4, UnitKind.DEPARTMENT, ["省外事办", "省机关事务管理局", "省粮食和物资储备局", "省监狱管理局", "省戒毒管理局",
                              "省地方金融管理局", "省人防办", "省乡村振兴局", "省药监局", "省知识产权局", "省文物局",
                              "省移民办", "省地质局", "省煤田地质局", "省供销社", "省政府研究室", "省政府参事室",
                              "省住房公积金管理中心", "省公共资源交易中心", "省政务服务中心"]),
    (2, UnitKind.PARTY_ORGAN, ["省委政研室", "省委外办", "省委老干部局", "省直机关工委", "省委党校", "省档案馆",
                               "省委机要局", "省委保密办"]),
    (6, UnitKind.MASS_ORGANIZATION, ["省文联", "省作协", "省侨联", "省社科联", "省贸促会", "省红十字会"]),
    (7, UnitKind.CENTRAL, ["河南出入境边防检查总站", "中国铁路郑州局集团", "国家能源局河南监管办公室",
                           "河南省气象局", "国家邮政局河南省邮政管理局", "中国民用航空河南安全监督管理局"]),
]


@dataclass
class ScaledUnits:
    """What ``build`` made, grouped the way the other apps need it."""

    provincial: list[Unit] = field(default_factory=list)
    counties: list[Unit] = field(default_factory=list)
    city_departments: list[Unit] = field(default_factory=list)
    county_departments: list[Unit] = field(default_factory=list)

    @property
    def all(self) -> list[Unit]:
        return [*self.provincial, *self.counties, *self.city_departments, *self.county_departments]


def already_scaled() -> bool:
    return Unit.objects.filter(code__startswith=SCALE_PREFIX).exists()


def plan_sizes(n: int, cities: int) -> tuple[int, int, int, int]:
    """(provincial, counties, city departments, county departments) for ``n`` new units."""
    provincial = min(sum(len(names) for _c, _k, names in PROVINCIAL_EXTRA), round(n * 0.02))
    counties = min(len(COUNTY_STEMS), round(n * 0.08))
    city_departments = min(cities * len(CITY_DEPARTMENTS), round(n * 0.36))
    county_departments = max(0, n - provincial - counties - city_departments)
    if counties == 0:
        city_departments += county_departments
        county_departments = 0
    return provincial, counties, min(city_departments, cities * len(CITY_DEPARTMENTS)), county_departments


def build(*, n: int, province: Unit, cities: list[Unit], rng: random.Random) -> ScaledUnits:
    """Create ``n`` assessed units (bulk) with their tree paths; return them grouped."""
    n_prov, n_counties, n_city_depts, n_county_depts = plan_sizes(n, len(cities))
    made = ScaledUnits()
    rows: list[tuple[str, Unit, Unit]] = []  # (group, unit, parent)

    def new(group: str, code: str, name: str, level: str, kind: str, parent: Unit, category: int, order: int,
            region: str = "") -> None:
        rows.append((group, Unit(code=f"{SCALE_PREFIX}{code}", name=name, level=level, kind=kind,
                                 category=category, parent=parent, region=region, sort_order=order,
                                 is_demo=True), parent))

    flat = [(cat, kind, name) for cat, kind, names in PROVINCIAL_EXTRA for name in names]
    for i, (category, kind, name) in enumerate(flat[:n_prov], start=1):
        new("provincial", f"P{i:04d}", name, Level.PROVINCE, kind, province, category, 200 + i)
    stems = list(COUNTY_STEMS)
    rng.shuffle(stems)
    county_parents: list[tuple[str, Unit]] = []
    for i in range(n_counties):
        city = cities[i % len(cities)]
        stem = stems[i]
        suffix = "县" if len(stem) == 2 and i % 4 else "市"
        code = f"C{i + 1:04d}"
        new("counties", code, f"{stem}{suffix}人民政府", Level.COUNTY, UnitKind.GOVERNMENT, city, 1, i,
            region=f"{stem}{suffix}")
        county_parents.append((f"{stem}{suffix}", city))
    for i in range(n_city_depts):
        city = cities[i % len(cities)]
        dept = CITY_DEPARTMENTS[(i // len(cities)) % len(CITY_DEPARTMENTS)]
        short = (city.region or city.name).removesuffix("人民政府")
        new("city_departments", f"D{i + 1:05d}", f"{short}{dept}", Level.CITY, UnitKind.DEPARTMENT, city, 4,
            100 + i // len(cities))
    groups = [g for g, _u, _p in rows]
    units = Unit.objects.bulk_create([u for _g, u, _p in rows], batch_size=1000)
    _set_paths(units)
    for group, unit in zip(groups, units, strict=True):
        getattr(made, group).append(unit)
    # county departments need their county's id and path: a second round
    rows = []
    for i in range(n_county_depts):
        county = made.counties[i % len(made.counties)]
        name, _city = county_parents[i % len(made.counties)]
        dept = COUNTY_DEPARTMENTS[(i // len(made.counties)) % len(COUNTY_DEPARTMENTS)]
        suffix = f"（{i // (len(made.counties) * len(COUNTY_DEPARTMENTS)) + 1}）" if i >= len(
            made.counties) * len(COUNTY_DEPARTMENTS) else ""
        new("county_departments", f"K{i + 1:05d}", f"{name}{dept}{suffix}", Level.COUNTY, UnitKind.DEPARTMENT,
            county, 4, 100 + i)
    if rows:
        units = Unit.objects.bulk_create([u for _g, u, _p in rows], batch_size=1000)
        _set_paths(units)
        made.county_departments.extend(units)
    return made


def _set_paths(units: list[Unit]) -> None:
    """``Unit.save`` keeps ``path`` in step; bulk inserts skip it, so set it here (parents already have theirs)."""
    parent_paths = dict(Unit.objects.filter(pk__in={u.parent_id for u in units}).values_list("pk", "path"))
    for unit in units:
        unit.path = parent_paths[unit.parent_id] + f"{unit.pk:0{PATH_STEP}d}"
    Unit.objects.bulk_update(units, ["path"], batch_size=500)
