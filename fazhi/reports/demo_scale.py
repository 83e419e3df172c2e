"""Published annual reports for ``fazhi demo_scale``: ``reports`` reports of the scaled province's governments and
departments over the years, each ~15 KB of Chinese (about 5,000 characters) in the five parts of a real report,
with figures that differ per unit and year, accepted and public, and put in the search index in bulk.

The text is assembled from sentence patterns (so queries hit many reports, as on the real portal) with the
unit's own name, topics and numbers; it is demo text and says so in the title.
"""

from __future__ import annotations

import datetime
import random

from django.db.models import Max
from django.utils import timezone

from fazhi.io.bulk import insert_rows, reset_sequence
from fazhi.portal import search

from .models import AnnualReport, ReportStatus

PARTS = [
    "一、{year}年推进法治政府建设的主要举措和成效",
    "二、{year}年推进法治政府建设存在的不足和原因",
    "三、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
    "四、{next}年推进法治政府建设的主要安排",
    "五、其他需要报告的情况",
]
TOPICS = ["重大行政决策", "行政规范性文件", "行政执法", "行政复议", "行政应诉", "政务公开", "法治化营商环境",
          "矛盾纠纷多元化解", "普法宣传教育", "法律顾问", "公职律师", "证明事项告知承诺制", "综合行政执法",
          "数字法治政府", "行政执法协调监督", "信访工作法治化", "安全生产执法", "生态环境保护执法",
          "市场监管执法", "信用体系建设", "政务服务", "行政裁决", "人民调解", "法治督察"]
ACHIEVEMENTS = [
    "{unit}坚持以习近平法治思想为指导，把{topic}作为法治政府建设的重要抓手，全年召开专题会议{n}次，研究解决突出问题{m}个。",
    "全面落实{topic}工作制度，修订完善配套制度{n}项，{topic}的程序更加规范，群众满意度达到{p}%。",
    "严格执行重大行政决策程序，全年作出重大行政决策{n}项，全部经过合法性审查和集体讨论决定，公开征求意见{m}次。",
    "加强行政规范性文件监督管理，审核行政规范性文件{n}件，备案审查{m}件，纠正违法不当文件{k}件，备案审查率达到100%。",
    "深化行政执法“三项制度”，全年办理行政执法案件{n}件，行政执法案卷评查合格率{p}%，公示执法信息{m}条。",
    "发挥行政复议化解行政争议主渠道作用，全年收到行政复议申请{n}件，审结{m}件，直接纠错率{p}%。",
    "规范行政应诉工作，全年发生行政诉讼案件{n}件，行政机关负责人出庭应诉率达到100%，败诉率下降{k}个百分点。",
    "推进政务公开标准化规范化，主动公开政府信息{n}条，办理依申请公开{m}件，按期答复率100%。",
    "持续优化法治化营商环境，清理涉企规章和规范性文件{n}件，减少证明事项{m}项，企业开办时间压缩至{k}个工作日。",
    "坚持和发展新时代“枫桥经验”，全年排查化解矛盾纠纷{n}起，人民调解成功率{p}%，信访事项及时受理率100%。",
    "落实“谁执法谁普法”普法责任制，开展{topic}主题宣传活动{n}场，覆盖群众{m}万人次。",
    "健全法律顾问和公职律师制度，聘请法律顾问{n}名，审查合同协议{m}份，提出法律意见{k}条。",
    "推进{topic}数字化建设，上线运行信息系统{n}个，网上办理事项{m}项，“一网通办”比例达到{p}%。",
    "加强行政执法人员培训，组织执法人员参加法律知识培训{n}期，培训{m}人次，考试合格率{p}%。",
    "强化对行政权力的制约和监督，自觉接受人大监督、民主监督和司法监督，办理人大代表建议和政协提案{n}件。",
]
SHORTFALLS = [
    "对照法治政府建设要求，{topic}方面仍有差距，个别单位程序意识不强，工作推进不够平衡。",
    "基层{topic}力量相对薄弱，专业人员占比不足{p}%，执法规范化水平有待进一步提高。",
    "{topic}信息化水平还不够高，数据共享不充分，部门之间协同配合需要加强。",
    "少数领导干部运用法治思维和法治方式解决问题的能力不强，{topic}的主动性还不够。",
    "法治宣传的针对性和实效性有待增强，群众对{topic}的知晓率只有{p}%。",
]
DUTIES = [
    "主要负责人切实履行推进法治建设第一责任人职责，全年主持召开常务会议研究法治政府建设工作{n}次。",
    "坚持领导干部学法制度，组织常务会议会前学法{n}次，举办法治专题讲座{m}场。",
    "把法治建设纳入年度综合考核，考核权重占{p}%，对{k}个单位进行了法治督察。",
    "认真开展述法工作，{n}名领导干部在年度考核中述法，述法情况纳入考核档案。",
]
PLANS = [
    "{next}年，{unit}将继续深入学习贯彻习近平法治思想，统筹推进{topic}各项工作。",
    "进一步完善{topic}制度机制，确保各项任务在{next}年底前全面完成。",
    "加大{topic}工作力度，力争群众满意度提高{k}个百分点。",
    "持续加强法治工作队伍建设，全年计划培训执法人员{m}人次。",
]
OTHERS = [
    "本年度无其他需要报告的情况。",
    "{unit}在{year}年度法治政府建设考核中被评为{grade}等次，相关整改任务已全部完成。",
    "{year}年，{unit}的{topic}工作经验被省级以上部门推广{k}次。",
]
TARGET_CHARS = (4200, 5800)
CHUNK = 500


def _fill(pattern: str, *, unit: str, year: int, rng: random.Random) -> str:
    return pattern.format(unit=unit, year=year, next=year + 1, topic=rng.choice(TOPICS), n=rng.randint(3, 900),
                          m=rng.randint(10, 9000), k=rng.randint(1, 30), p=rng.randint(60, 99),
                          grade=rng.choice(["优秀", "良好", "合格"]))


def report_text(*, unit: str, year: int, rng: random.Random) -> tuple[str, str]:
    """(title, text) of one generated report of about 5,000 characters."""
    title = f"{unit}关于{year}年度法治政府建设情况的报告（规模化演示）"
    target = rng.randint(*TARGET_CHARS)
    pools = [(ACHIEVEMENTS, 0.62), (SHORTFALLS, 0.1), (DUTIES, 0.12), (PLANS, 0.12), (OTHERS, 0.04)]
    out = [title, ""]
    for part, (pool, share) in zip(PARTS, pools, strict=True):
        out.append(part.format(year=year, next=year + 1))
        length = 0
        while length < target * share:
            paragraph = "".join(_fill(rng.choice(pool), unit=unit, year=year, rng=rng) for _ in range(rng.randint(2, 4)))
            out.append(paragraph)
            length += len(paragraph)
    out.append(f"{unit}")
    out.append(f"{year + 1}年3月{rng.randint(1, 28)}日")
    return title, "\n".join(out)


def scale(*, ctx) -> None:
    rng: random.Random = ctx.rng
    if ctx.reports <= 0:
        return
    authors = [u for u in ctx.scaled.all if u.kind in ("government", "department")]
    authors += [u for u in ctx.units.values() if u.category and u.kind in ("government", "department")]
    taken = set(AnnualReport.objects.filter(unit__in=authors).values_list("unit_id", "year"))
    last_year = timezone.localdate().year - 1
    pairs = []
    year = last_year
    while len(pairs) < ctx.reports:
        pairs += [(u, year) for u in authors if (u.pk, year) not in taken][: ctx.reports - len(pairs)]
        year -= 1
    now = timezone.now()
    office = ctx.office
    columns = ["id", "unit_id", "year", "title", "source_file", "source_name", "original_text", "clean_text",
               "published_on", "publication_url", "status", "is_public", "check_result", "submitted_by_id",
               "submitted_at", "reviewed_by_id", "reviewed_at", "created_at", "updated_at"]
    # explicit ids, so each chunk can go into the search index as soon as it is written (memory stays flat)
    next_id = (AnnualReport.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    count = indexed = 0
    for start in range(0, len(pairs), CHUNK):
        rows, docs = [], []
        for unit, year in pairs[start : start + CHUNK]:
            title, text = report_text(unit=unit.name, year=year, rng=rng)
            published = datetime.date(year + 1, 3, rng.randint(1, 31))
            rows.append((next_id, unit.pk, year, title, "", "", text, text, published, "", ReportStatus.ACCEPTED,
                         True, "{}", office.pk, now, office.pk, now, now, now))
            docs.append((next_id, title, text))
            next_id += 1
        count += insert_rows(AnnualReport, columns, rows)
        indexed += search.index_many(docs)
    reset_sequence(AnnualReport)
    first_year = min(y for _u, y in pairs)
    ctx.stdout.write(f"  reports: {count} published annual reports ({first_year}–{last_year}), {indexed} indexed")
