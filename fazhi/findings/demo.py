"""Demo findings (监督督察) and web-search records (网络检索) on 郑州市's 2025 campaign (scoring: ``assessing_zz``
sees them beside the cells of 郑州市司法局) and on the province's 2025 campaign (``assessing``, 省司法厅, scores
3.3.4 and 3.3.6). One finding has an open rectification item, which ``assessed`` / ``assessed_zz`` report on in the
reviews app and the office signs off (销号). Loading twice does nothing."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.assessment.models import Campaign
from fazhi.selfreport.demo import pdf_bytes

from . import services
from .models import Finding, Source

# (unit code, source, problem, found on (month, day), indicator codes, reference, open a rectification)
CITY = [
    ("410100-D02", Source.CORRECTION, "行政复议被纠错 3 件，均为程序违法", (4, 18), ["Z5"], "郑州市行政复议决定书汇总", False),
    ("410100-D03", Source.MEDIA, "执法人员未出示执法证件，被媒体曝光", (6, 2), ["Z4"], "《大河报》2025年6月2日", True),
    ("410100-D04", Source.INSPECTION, "重大行政决策未经合法性审查即提交集体讨论", (8, 11), ["Z2"], "郑法督〔2025〕7号", False),
]
PROVINCE = [
    ("410500", Source.CORRECTION, "行政复议纠错率 18%，高于全省平均", (5, 9), ["3.3.6"], "省政府行政复议办公室通报", False),
    ("410900", Source.MEDIA, "强制拆除未依法送达决定书，引发负面舆情", (7, 21), ["3.3.4"], "网络舆情专报第 12 期", True),
    ("410300", Source.AUDIT, "法治建设专项经费未按规定使用", (9, 3), ["2.1"], "豫审报〔2025〕21号", False),
]


def png_bytes(width: int = 120, height: int = 60) -> bytes:
    """A small valid PNG (a grey page with a dark band), standing in for a screenshot."""
    rows = b"".join(b"\x00" + bytes([60 if 20 <= y < 30 else 220] * width * 3) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _load(campaign, office, units, rows) -> int:
    leaves = {i.code: i for i in campaign.indicators.filter(points__isnull=False)}
    count = 0
    for code, source, problem, (month, day), codes, reference, rectify in rows:
        if code not in units or not all(c in leaves for c in codes):
            continue
        finding = services.finding_create(
            user=office, campaign=campaign, unit=units[code], source=source, problem=problem,
            found_on=dt.date(campaign.year, month, day), indicators=[leaves[c] for c in codes], reference=reference,
            evidence=SimpleUploadedFile(f"{reference[:20]}.pdf", pdf_bytes(f"finding {code}")))
        if rectify:
            services.finding_open_rectification(user=office, finding=finding,
                                                due_date=timezone.localdate() + dt.timedelta(days=30))
        count += 1
    return count


def load(*, units, people, stdout) -> None:
    if Finding.objects.exists():
        stdout.write("督察发现演示数据已存在，跳过 / findings demo already loaded")
        return
    city = Campaign.objects.filter(owner=units["410100"], year=2025).first()
    province = Campaign.objects.filter(owner=units["410000"], year=2025).first()
    total = 0
    if city is not None:
        total += _load(city, people["office_zz"], units, CITY)
        z3 = city.indicators.filter(code="Z3").first()
        if z3 is not None:
            services.web_record_create(
                user=people["assessing_zz"], campaign=city, unit=units["410100-D05"], indicator=z3,
                url="https://www.zhengzhou.gov.cn/example/guifanxing-wenjian", found_on=dt.date(2025, 10, 15),
                snapshot=SimpleUploadedFile("政府网站截图.png", png_bytes()),
                notes="规范性文件栏目仍挂有已废止的 2 件文件（演示）")
    if province is not None:
        total += _load(province, people["office"], units, PROVINCE)
    stdout.write(f"督察发现演示数据 / findings demo: {total} findings, 1 web-search record")
