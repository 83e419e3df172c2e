"""Demo self-reports on 郑州市's own 2025 campaign (still scoring): the office's material lists and deadlines,
the departments' accounts in every state — not started, being filled in, submitted, returned for more
material — so a visitor can fill one in as ``assessed_zz`` (郑州市公安局) and review one as ``assessing_zz``
(郑州市司法局). The province's 2025 campaign (computed) gets submitted reports that can no longer change.

The demo user's own reports go through the services (audited); the other departments have no demo account,
so their rows are written directly, as the assessment demo writes its scores. Loading twice does nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.assessment.models import Campaign

from . import services
from .models import Attachment, ReportStatus, Requirement, SelfReport

#: indicator code → (instructions, required items, optional items, working days)
CITY_REQUIREMENTS = {
    "Z1": ("报送本单位年度学法计划和落实情况。", ["年度学法计划", "党组（党委）理论学习中心组学法记录"], ["专题培训照片"], 10),
    "Z2": ("列明年度重大行政决策事项目录及合法性审查意见。", ["重大行政决策事项目录", "合法性审查意见书"], [], 10),
    "Z3": ("报送年度制发的行政规范性文件及备案情况。", ["规范性文件目录", "备案审查回执"], [], 8),
    "Z4": ("行政执法公示、执法全过程记录、重大执法决定法制审核制度落实情况。",
           ["执法公示截图", "法制审核记录"], ["执法全过程记录抽查表"], 10),
    "Z5": ("行政复议、行政应诉案件情况和负责人出庭应诉情况。", ["行政应诉案件统计表"], ["负责人出庭记录"], 10),
}
PROVINCE_REQUIREMENTS = {
    "1.1": ("学习宣传贯彻习近平法治思想的计划、记录和成效。", ["学习计划", "学习记录"], []),
    "2.2": ("矛盾纠纷多元化解工作台账。", ["矛盾纠纷化解台账"], ["典型案例"]),
}


def pdf_bytes(text: str) -> bytes:
    """A small valid one-page PDF naming ``text`` (ASCII only: the demo file's label, not its content)."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _publish(campaign, office, requirements, on: dt.date) -> None:
    leaves = {i.code: i for i in campaign.indicators.filter(points__isnull=False)}
    for code, (instructions, required, optional, *days) in requirements.items():
        if code not in leaves:
            continue
        requirement = services.requirement_save(
            user=office, indicator=leaves[code], instructions=instructions, working_days=days[0] if days else 10,
            items=[(t, True) for t in required] + [(t, False) for t in optional])
        services.requirement_publish(user=office, requirement=requirement, on=on)


def _fill_directly(report: SelfReport, *, status: str, account: str, when, reason: str = "") -> None:
    """A department without a demo account: its report as it would be after using the pages."""
    for item in report.requirement.items.all():
        if item.required or status == ReportStatus.SUBMITTED:
            attachment = Attachment(report=report, item=item, original_name=f"{item.title}.pdf", size=0)
            data = pdf_bytes(f"demo material {report.pk}-{item.pk}")
            attachment.file.save(f"demo-{report.pk}-{item.pk}.pdf", ContentFile(data), save=False)
            attachment.size = len(data)
            attachment.save()
    SelfReport.objects.filter(pk=report.pk).update(
        status=status, account=account, submitted_at=when if status != ReportStatus.DRAFT else None,
        return_reason=reason, returned_at=when + dt.timedelta(hours=2) if reason else None,
        return_count=1 if reason else 0)


def load(*, units, people, stdout) -> None:
    if Requirement.objects.exists():
        stdout.write("自评演示数据已存在，跳过 / self-report demo already loaded")
        return
    city = Campaign.objects.filter(owner=units["410100"], year=2025).first()
    if city is None:
        stdout.write("自评演示数据：没有郑州市 2025 年度考核，跳过 / no city campaign, self-report demo skipped")
        return
    today = timezone.localdate()
    _publish(city, people["office_zz"], CITY_REQUIREMENTS, today - dt.timedelta(days=3))
    now = timezone.now()
    # the demo user's department: Z1 submitted, Z2 returned for more material, Z3 being filled in, Z4–Z5 open
    mine = {r.indicator.code: r for r in SelfReport.objects.filter(campaign=city, unit=units["410100-D02"])
            .select_related("indicator", "requirement")}
    user = people["assessed_zz"]
    for code in ("Z1", "Z2"):
        report = mine[code]
        for item in report.requirement.items.filter(required=True):
            services.attachment_add(user=user, report=report, item=item,
                                    upload=SimpleUploadedFile(f"{item.title}.pdf", pdf_bytes(f"demo {code}")))
        services.report_save(user=user, report=report,
                             account="本单位已按计划完成本项工作，相关材料见附件。" if code == "Z1"
                             else "已建立重大行政决策事项目录，全部事项经合法性审查。")
        services.report_submit(user=user, report=report)
    services.report_return(user=people["assessing_zz"], report=mine["Z2"],
                           reason="合法性审查意见书只有 1 份，请补充其余决策事项的审查意见。",
                           items=list(mine["Z2"].requirement.items.filter(title="合法性审查意见书")))
    services.report_save(user=user, report=mine["Z3"], account="（草稿）本年度制发规范性文件 3 件。")
    # the other departments
    states = [ReportStatus.SUBMITTED, ReportStatus.SUBMITTED, ReportStatus.DRAFT, ReportStatus.PENDING]
    others = SelfReport.objects.filter(campaign=city).exclude(unit=units["410100-D02"]).select_related(
        "requirement").order_by("unit__path", "indicator__sort")
    for index, report in enumerate(others):
        status = states[index % len(states)]
        if status != ReportStatus.PENDING:
            _fill_directly(report, status=status, account="按照材料清单报送，详见附件。", when=now)
    province = Campaign.objects.filter(owner=units["410000"], year=2025).first()
    if province is not None:
        # a computed campaign: its reports are shown read-only (written directly, as the scores of that demo are)
        from fazhi.assessment import selectors as assessment_selectors

        opened = 0
        for code, (instructions, required, optional) in PROVINCE_REQUIREMENTS.items():
            indicator = province.indicators.filter(code=code).first()
            if indicator is None:
                continue
            requirement = Requirement.objects.create(
                campaign=province, indicator=indicator, instructions=instructions, working_days=10,
                published_on=today - dt.timedelta(days=40), deadline=today - dt.timedelta(days=26),
                created_by=people["office"])
            for sort, title in enumerate(required + optional, start=1):
                requirement.items.create(title=title, required=title in required, sort=sort)
            for unit in assessment_selectors.applicable_units(province, [indicator])[indicator.pk]:
                report = SelfReport.objects.create(requirement=requirement, campaign=province, indicator=indicator,
                                                   unit=unit)
                _fill_directly(report, status=ReportStatus.SUBMITTED, account="按照材料清单报送，详见附件。",
                               when=now - dt.timedelta(days=27))
                opened += 1
        stdout.write(f"自评演示数据 / self-report demo: {province.name} {opened} submitted")
    stdout.write(f"自评演示数据 / self-report demo: {city.name}, "
                 f"{SelfReport.objects.filter(campaign=city).count()} reports")
