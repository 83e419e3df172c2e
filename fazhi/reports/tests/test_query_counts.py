"""Query counts of the annual-report pages do not grow with the data (STYLE: no N+1; query-count tests).

Each page is measured with a small and a larger set of reports (more units, each with figures and review
comments) under the same bound.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.orgs.models import Level, Unit, UnitKind
from fazhi.reports.models import AnnualReport, ReportComment, ReportFigure, ReportStatus

SIZES = [2, 12]


def grow(units, people, n: int) -> list[AnnualReport]:
    """``n`` cities with a submitted report for two years, each with two catalogue figures and a comment."""
    reports = []
    for i in range(n):
        unit = Unit.objects.create(code=f"Q{i:02d}", name=f"测试市{i:02d}人民政府", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1)
        for year in (2023, 2024):
            report = AnnualReport.objects.create(unit=unit, year=year, title=f"测试市{i:02d}{year}年度报告",
                                                 status=ReportStatus.SUBMITTED, clean_text="正文",
                                                 submitted_by=people["assessed"])
            for offset, key in enumerate(("reconsideration.received", "litigation.head_appearance_rate")):
                ReportFigure.objects.create(report=report, key=key, label=key, value=Decimal(10 + i),
                                            offset=offset)
            ReportComment.objects.create(report=report, author=people["office"], text=f"意见{i:02d}",
                                         action="comment")
            reports.append(report)
    return reports


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "bound"), [("reports:list", 8), ("reports:compare", 8)])
def test_office_report_pages_query_count_is_constant(units, people, client_for, django_assert_max_num_queries,
                                                     size, name, bound):
    grow(units, people, size)
    client = client_for(people["office"])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert f"测试市{size - 1:02d}" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_report_detail_query_count_is_constant(units, people, client_for, django_assert_max_num_queries, size):
    report = grow(units, people, 1)[0]
    for i in range(size):
        ReportFigure.objects.create(report=report, key=None, label=f"数据{i:02d}", value=Decimal(i), offset=10 + i)
        ReportComment.objects.create(report=report, author=people["office"], text=f"补充意见{i:02d}")
    client = client_for(people["office"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    assert f"补充意见{size - 1:02d}" in response.content.decode()
