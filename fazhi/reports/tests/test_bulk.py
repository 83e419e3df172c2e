from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.reports.models import AnnualReport, BulkImportJob, JobStatus

from .conftest import seed_text

pytestmark = pytest.mark.django_db


def make_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_bulk_import_one_bad_file(client_for, people, units):
    text = seed_text("002")
    data = make_zip({
        "开封市2023年法治政府建设报告.txt": text.encode("gb18030"),
        "reports/郑州市人民政府 2023.txt": text.encode("utf-8"),
        "broken.docx": b"PK\x03\x04 not a docx",
        "unknown unit 2023.txt": text.encode(),
    })
    client = client_for(people["office"])
    response = client.post(reverse("reports:bulk_import"),
                           {"file": SimpleUploadedFile("old.zip", data), "default_year": 2023, "accept": "on"})
    job = BulkImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:bulk_job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.processed == job.total == 4
    results = {r["file"]: r for r in job.results}
    assert results["开封市2023年法治政府建设报告.txt"]["ok"]
    assert results["reports/郑州市人民政府 2023.txt"]["ok"]
    assert not results["broken.docx"]["ok"] and results["broken.docx"]["message"]
    assert not results["unknown unit 2023.txt"]["ok"]
    assert set(AnnualReport.objects.values_list("unit__code", "year", "status")) == {
        ("C2", 2023, "accepted"), ("C1", 2023, "accepted")}
    page = client.get(reverse("reports:bulk_job", args=[job.pk])).content.decode()
    assert "broken.docx" in page and "出错" in page


@pytest.mark.parametrize("files, message", [
    ({"../evil.txt": b"x"}, "不安全的路径"),
    ({"/etc/passwd.txt": b"x"}, "不安全的路径"),
    ({"bomb.txt": b"0" * (20 * 1024 * 1024)}, "压缩炸弹"),
])
def test_bulk_import_refuses_bad_archives(client_for, people, files, message):
    response = client_for(people["office"]).post(
        reverse("reports:bulk_import"), {"file": SimpleUploadedFile("x.zip", make_zip(files))})
    assert response.status_code == 400 and message in response.content.decode()
    assert not BulkImportJob.objects.exists() and not AnnualReport.objects.exists()


def test_bulk_import_not_a_zip(client_for, people):
    response = client_for(people["office"]).post(
        reverse("reports:bulk_import"), {"file": SimpleUploadedFile("x.zip", b"hello")})
    assert response.status_code == 400 and "不是有效的 zip" in response.content.decode()


def test_bulk_import_roles(client_for, people):
    for role in ("assessed", "assessing", "expert", "public"):
        assert client_for(people[role]).get(reverse("reports:bulk_import")).status_code == 403
