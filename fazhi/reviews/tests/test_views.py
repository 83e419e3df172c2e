import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fazhi.assessment.models import CampaignStatus
from fazhi.core.scoring.cli import compare_with_published
from fazhi.core.scoring.io import compute_dict
from fazhi.reviews import services
from fazhi.reviews.models import Feedback, LetterTemplate, Rectification, RectificationStatus
from fazhi.testing.lifecycle import advance, take


def _publish(campaign, people, upto="publish"):
    steps = ("submit", "approve", "publish")
    advance(campaign, *steps[:steps.index(upto) + 1], office=people["office"], approver=people["approver"])


@pytest.mark.parametrize("who,status", [
    ("office", 200), ("city_office", 404), ("other_office", 404), ("assessed", 403), ("assessing", 403),
    ("expert", 403), ("public", 403),
])
def test_campaign_page_scope(campaign, people, client_for, who, status):
    assert client_for(people[who]).get(f"/reviews/campaigns/{campaign.pk}/").status_code == status


def test_anonymous_redirected_to_login(campaign, client_for):
    assert client_for(None).get(f"/reviews/campaigns/{campaign.pk}/").status_code == 302


def test_send_feedback_through_page(campaign, a1, units, people, client_for):
    client = client_for(people["office"])
    response = client.post(f"/reviews/campaigns/{campaign.pk}/feedback/",
                           {"unit": units["C1"].pk, "indicator": a1.pk, "text": "请核实"})
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert client_for(people["assessed"]).get(f"/reviews/feedback/{item.pk}/").status_code == 200
    assert client_for(people["assessed_c2"]).get(f"/reviews/feedback/{item.pk}/").status_code == 404
    # the assessing unit sees it only once a re-review is requested
    assert client_for(people["assessing"]).get(f"/reviews/feedback/{item.pk}/").status_code == 404
    assert client_for(people["survey"]).get(f"/reviews/feedback/{item.pk}/").status_code == 403


def test_decision_without_reason_via_page_shows_message(campaign, a1, units, people, client_for):
    item = services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                                  text="请核实")
    client = client_for(people["assessed"])
    client.post(f"/reviews/feedback/{item.pk}/review/", {"text": "不同意",
                                                          "files": SimpleUploadedFile("a.txt", b"x")})
    item.refresh_from_db()
    assert item.status == "sent"  # wrong file type: nothing changed
    client.post(f"/reviews/feedback/{item.pk}/review/", {"text": "不同意"})
    response = client_for(people["assessing"]).post(
        f"/reviews/feedback/{item.pk}/decide/", {"outcome": "changed", "new_value": "90", "reason": ""}, follow=True)
    assert "复核决定必须说明理由" in response.content.decode()
    assert a1.scores.get(unit=units["C1"]).value == Decimal("80.00")
    assert client_for(people["assessed"]).post(f"/reviews/feedback/{item.pk}/decide/",
                                               {"outcome": "upheld", "reason": "x"}).status_code == 403


def test_results_visible_only_after_publication(campaign, people, client_for, units):
    client = client_for(people["assessed"])
    assert "暂无已公布" in client.get("/reviews/results/").content.decode()
    _publish(campaign, people, upto="approve")
    assert "暂无已公布" in client.get("/reviews/results/").content.decode()
    _publish_rest = take(user=people["office"], campaign=campaign, action="publish")
    assert _publish_rest.status == CampaignStatus.PUBLISHED
    body = client.get("/reviews/results/").content.decode()
    assert "2026年度法治政府建设考核" in body and "排名" in body  # C1 is ranked
    d2_user = people["assessed"].__class__.objects.create_user("d2", password="x", role="assessed",
                                                                 unit=units["D2"])
    d2_body = client_for(d2_user).get("/reviews/results/").content.decode()
    assert "等次" in d2_body and "排名" not in d2_body  # category 2: graded only
    assert client_for(people["assessing"]).get("/reviews/results/").status_code == 403


def test_the_full_bundle_is_never_anonymous(campaign, people, client_for):
    """Issue 11: the anonymous /reviews/public/<id>/engine.json held every unit's scores and reasons. Gone; the
    full bundle is for those who see everything of the campaign (``disclosure.scope_campaigns``: the office of its
    level and above, and its approver); everyone else is refused."""
    _publish(campaign, people)
    assert client_for(None).get(f"/reviews/public/{campaign.pk}/engine.json").status_code == 404
    url = reverse("reviews:full_bundle", args=[campaign.pk])
    assert client_for(None).get(url).status_code == 302  # to the login page
    for who in ("assessed", "assessed_c2", "assessing", "public"):
        assert client_for(people[who]).get(url).status_code == 403, who
    for who in ("city_office", "other_office", "city_approver"):  # another level's office or approver
        assert client_for(people[who]).get(url).status_code == 404, who
    assert client_for(people["approver"]).get(url).status_code == 200


def test_full_bundle_recomputes(campaign, people, client_for):
    _publish(campaign, people)
    response = client_for(people["office"]).get(reverse("reviews:full_bundle", args=[campaign.pk]))
    assert response.status_code == 200
    bundle = json.loads(response.content)
    recomputed = {u["unit"]: u for u in compute_dict(bundle["input"])["units"]}
    for row in bundle["result"]["units"]:
        assert recomputed[row["unit"]]["total"] == row["total"]
        assert recomputed[row["unit"]]["grade"] == row["grade"]
    ranks = {row["unit"]: row["rank"] for row in bundle["result"]["units"]}
    assert ranks["D2"] is None and ranks["C1"] is not None
    # the whole bundle is what `fazhi assess compute` checks: totals, grades, ranks and the three lists agree
    assert compare_with_published(compute_dict(bundle["input"]), bundle["result"]) == []


def test_cli_checks_a_downloaded_bundle(campaign, people, client_for, tmp_path, capsys):
    from fazhi.cli import main

    _publish(campaign, people)
    bundle = json.loads(client_for(people["office"]).get(reverse("reviews:full_bundle", args=[campaign.pk])).content)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    assert main(["assess", "compute", str(path)]) == 0
    assert "matches the published result" in capsys.readouterr().err
    bundle["result"]["units"][0]["grade"] = "不合格" if bundle["result"]["units"][0]["grade"] != "不合格" else "优秀"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    assert main(["assess", "compute", str(path)]) == 3
    assert "differs from the published result" in capsys.readouterr().err


def test_letter_docx_contains_unit_and_grade(campaign, people, client_for, units):
    client = client_for(people["office"])
    url = f"/reviews/campaigns/{campaign.pk}/letters/recommendation/D2.docx"
    assert client.get(url).status_code == 302  # not approved yet
    _publish(campaign, people, upto="approve")
    response = client.get(url)
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    grade = campaign.results.get(unit=units["D2"]).grade
    assert grade in ("合格", "不合格")
    assert units["D2"].name in text and grade in text and "法治建议书" in text and "排第" not in text
    # the 良好/优秀 unit gets no recommendation letter, but a notice
    c2 = campaign.results.get(unit=units["C2"])
    assert c2.grade == "优秀"
    assert client.get(f"/reviews/campaigns/{campaign.pk}/letters/recommendation/C2.docx").status_code == 302
    notice = client.get(f"/reviews/campaigns/{campaign.pk}/letters/notice/C2.docx")
    assert "排第" in "\n".join(p.text for p in Document(io.BytesIO(notice.content)).paragraphs)
    assert client_for(people["other_office"]).get(url).status_code == 404


def test_template_upload_validated_and_used(campaign, people, client_for, units):
    """Refused with the reason (syntax, page setup, missing 发文字号); an office's own wording in the official
    frame is accepted and used for the next document."""
    from docx import Document as D

    from fazhi.reviews import letters

    client = client_for(people["office"])
    client.post("/reviews/templates/", {"kind": "notice", "file": SimpleUploadedFile("x.txt", b"hello")})

    def upload(doc):
        buf = io.BytesIO()
        doc.save(buf)
        return client.post("/reviews/templates/", {"kind": "notice",
                                                   "file": SimpleUploadedFile("t.docx", buf.getvalue())}, follow=True)

    doc = D()
    doc.add_paragraph("{{ unit_name ")
    assert "占位符写法有误" in upload(doc).content.decode()
    doc = D()  # python-docx's default page is US Letter with 1-inch margins, and there is no 发文字号
    doc.add_paragraph("{{ unit_name }}")
    page = upload(doc).content.decode()
    assert "模板缺少发文字号占位符" in page
    doc.add_paragraph("{{ doc_number }}")
    page = upload(doc).content.decode()
    assert "纸张宽度为 215.9 mm，应为 210 mm" in page and "上边距（天头）为 25.4 mm，应为 37 mm" in page
    assert not LetterTemplate.objects.exists()
    doc = D(io.BytesIO(letters.default_template("notice")))
    doc.paragraphs[0].insert_paragraph_before("自定义通知：{{ unit_name }} 等次 {{ grade }}")
    upload(doc)
    assert LetterTemplate.objects.filter(owner=units["P"], kind="notice").exists()
    _publish(campaign, people, upto="approve")
    out = client.get(f"/reviews/campaigns/{campaign.pk}/letters/notice/C1.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(out.content)).paragraphs)
    assert text.startswith("自定义通知：郑州市人民政府")


def test_lists_and_copies(campaign, people, client_for):
    client = client_for(people["office"])
    response = client.get(f"/reviews/campaigns/{campaign.pk}/lists/recommendation.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "省委办公厅" in names
    assert client.get(f"/reviews/campaigns/{campaign.pk}/copies/zuzhibu.xlsx").status_code == 302
    _publish(campaign, people, upto="approve")
    copy = client.get(f"/reviews/campaigns/{campaign.pk}/copies/zuzhibu.xlsx")
    rows = list(load_workbook(io.BytesIO(copy.content)).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3
    ranks = {row[0]: (row[3], row[5]) for row in rows}  # (total, rank)
    # a copy goes beyond the units (``disclosure.beyond_unit``): totals and ranks only if the office publishes scores
    assert ranks["省委办公厅"] == (None, None) and ranks["郑州市人民政府"] == (None, None)
    services_publish_scores(campaign, people)
    rows = list(load_workbook(io.BytesIO(client.get(f"/reviews/campaigns/{campaign.pk}/copies/zuzhibu.xlsx").content))
                .worksheets[0].iter_rows(min_row=2, values_only=True))
    ranks = {row[0]: (row[3], row[5]) for row in rows}
    assert ranks["省委办公厅"] == (None, None)  # category 2 is graded only, whatever the office chooses
    assert ranks["郑州市人民政府"][0] is not None and ranks["郑州市人民政府"][1] is not None
    ministries = client.get(f"/reviews/campaigns/{campaign.pk}/copies/ministries.xlsx")
    assert len(list(load_workbook(io.BytesIO(ministries.content)).worksheets[0].iter_rows(min_row=2))) == 0
    assert client.get(f"/reviews/campaigns/{campaign.pk}/copies/nobody.xlsx").status_code == 404


def services_publish_scores(campaign, people):
    from fazhi.assessment import services as assessment_services

    assessment_services.campaign_publish_scores_set(user=people["office"], campaign=campaign, publish_scores=True,
                                                    reason="同意公布排名类别的总分和排名")


def test_rectification_flow(campaign, people, client_for, units):
    office = client_for(people["office"])
    office.post(f"/reviews/campaigns/{campaign.pk}/rectifications/",
                {"unit": units["C1"].pk, "title": "完善重大行政决策程序", "due_date": "2099-06-30"})
    item = Rectification.objects.get()
    unit = client_for(people["assessed"])
    assert client_for(people["assessed_c2"]).get(f"/reviews/rectifications/{item.pk}/").status_code == 404
    unit.post(f"/reviews/rectifications/{item.pk}/", {"op": "report", "text": "已修订规则",
                                                      "file": SimpleUploadedFile("r.pdf", b"%PDF")})
    item.refresh_from_db()
    assert item.status == RectificationStatus.REPORTED and item.reports.get().file
    response = office.post(f"/reviews/rectifications/{item.pk}/", {"op": "return", "note": ""}, follow=True)
    assert "退回必须说明理由" in response.content.decode()
    item.refresh_from_db()
    assert item.status == RectificationStatus.REPORTED
    assert unit.post(f"/reviews/rectifications/{item.pk}/", {"op": "signoff"}).status_code == 403
    office.post(f"/reviews/rectifications/{item.pk}/", {"op": "signoff", "note": "同意销号"})
    item.refresh_from_db()
    assert item.status == RectificationStatus.SIGNED_OFF and item.signed_off_by == people["office"]


def test_rectification_past_due_refused(campaign, people, units):
    import datetime as dt

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.rectification_create(user=people["office"], campaign=campaign, unit=units["C1"], title="x",
                                      due_date=dt.date(2020, 1, 1))


@pytest.mark.parametrize("url,allowed", [
    ("/reviews/mine/", "assessed"), ("/reviews/results/", "assessed"), ("/reviews/queue/", "assessing"),
    ("/reviews/campaigns/", "office"), ("/reviews/templates/", "office"),
])
def test_role_pages(people, client_for, url, allowed):
    for who in ("office", "assessed", "assessing", "expert", "public"):
        expected = 200 if who == allowed else 403
        assert client_for(people[who]).get(url).status_code == expected, (url, who)


def test_each_unit_downloads_its_own_slice_and_verifies_it(campaign, people, client_for, units, tmp_path, capsys):
    """Issue 11 §6: at publication a Merkle root over each unit's input and result; the unit's slice recomputes and
    proves against the root printed on the public page; no other unit's data is in it."""
    from fazhi.cli import main
    from fazhi.core.scoring.slices import verify_slice

    _publish(campaign, people)
    root = campaign.commitment_root
    assert len(root) == 64
    assert root in client_for(None).get(reverse("portal:result", args=[campaign.pk])).content.decode()
    mine = client_for(people["assessed"]).get(reverse("reviews:my_slice", args=[campaign.pk]))
    assert mine.status_code == 200
    data = json.loads(mine.content)
    assert data["leaf"]["unit"]["code"] == "C1" and {s["unit"] for s in data["leaf"]["scores"]} == {"C1"}
    assert verify_slice(data, root).ok
    path = tmp_path / "slice.json"
    path.write_text(mine.content.decode(), encoding="utf-8")
    assert main(["assess", "verify", str(path), "--root", root]) == 0
    assert "核验通过" in capsys.readouterr().out
    other = json.loads(client_for(people["assessed_c2"]).get(reverse("reviews:my_slice", args=[campaign.pk])).content)
    assert other["leaf"]["unit"]["code"] == "C2"  # each unit gets its own slice, never another's
    for who in ("assessing", "public"):
        assert client_for(people[who]).get(reverse("reviews:my_slice", args=[campaign.pk])).status_code == 403
    assert client_for(None).get(reverse("reviews:my_slice", args=[campaign.pk])).status_code == 302


def test_no_slice_before_publication_or_when_the_data_no_longer_matches(campaign, people, client_for, units):
    from fazhi.assessment.models import Result

    url = reverse("reviews:my_slice", args=[campaign.pk])
    _publish(campaign, people, upto="approve")
    assert client_for(people["assessed"]).get(url).status_code == 404
    _publish_rest = take(user=people["office"], campaign=campaign, action="publish")
    Result.objects.filter(campaign=campaign, unit=units["C2"]).update(total="99.99")  # tampered after publication
    assert client_for(people["assessed"]).get(url).status_code == 404
