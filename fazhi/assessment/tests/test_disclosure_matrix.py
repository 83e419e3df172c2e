"""The disclosure matrix (issue 11): role × publication level × surface → exactly what is visible.

One campaign of the province (郑州市 C1 and 开封市 C2 in the ranked category 1, 省司法厅 D1 in category 4, 省委办公厅
D2 in the graded-only category 2), scored, with a deduction for C1 and D2, computed and taken to each publication
level. For each role and level the test opens every results page, API endpoint and file download of the platform
and reads what it shows of **C1** (a ranked unit, the ``assessed`` user's own) and **D2** (a graded-only unit):

    G grade · T total · R rank · I a per-indicator score · X a reason (of a score or a deduction)

Grades, ranks and totals are read from the structure (``data-result``/``data-field`` on pages, the rows of JSON and
workbooks); totals, indicator scores and reasons are also searched as text anywhere in the body (they are distinct
values), so a figure shown where it is not expected is caught too. Each cell asserts presence and absence.
"""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment import services
from fazhi.assessment.models import Campaign, Result
from fazhi.orgs.models import Role
from fazhi.testing.lifecycle import advance

from .conftest import MARKERS  # the distinctive values of the ``campaign_at`` fixture

pytestmark = pytest.mark.django_db

UNITS = ("C1", "D2")
# --- what is visible, written out (G grade, T total, R rank, I indicator scores, X reasons) --------------------------

NONE: dict[str, str] = {}
PUBLIC = {"C1": "G", "D2": "G"}  # published, scores not published: grades only
PUBLIC_SCORES = {"C1": "GTR", "D2": "G"}  # published with scores: totals and ranks for ranked categories only
FIGURES = {"C1": "GTR", "D2": "GT"}  # every total and rank, no indicator detail (the API, the results workbook)
FULL = {"C1": "GTRIX", "D2": "GTIX"}  # everything (D2 is graded only: it has no rank at all)
OWN = {"C1": "GTRIX"}  # the unit's own detail
OWN_FIGURES = {"C1": "GTR"}

LEVELS = ["computed", "approved", "published_scores", "published", "notified"]

#: role -> level -> (HTML pages, API, file downloads)
EXPECTED = {
    "anonymous": {
        "computed": (NONE, NONE, NONE),
        "approved": (NONE, NONE, NONE),
        "published_scores": (PUBLIC_SCORES, NONE, NONE),  # the API needs a sign-in
        "published": (PUBLIC, NONE, NONE),
        "notified": (NONE, NONE, NONE),
    },
    "public": {
        "computed": (NONE, NONE, NONE),
        "approved": (NONE, NONE, NONE),
        "published_scores": (PUBLIC_SCORES, PUBLIC_SCORES, NONE),
        "published": (PUBLIC, PUBLIC, NONE),
        "notified": (NONE, NONE, NONE),
    },
    "own_unit": {  # 郑州市 reads its own result (C1) and the others'
        "computed": (NONE, NONE, NONE),
        "approved": (NONE, NONE, NONE),
        "published_scores": ({**PUBLIC_SCORES, **OWN}, {**PUBLIC_SCORES, **OWN_FIGURES}, OWN),
        "published": ({**PUBLIC, **OWN}, {**PUBLIC, **OWN_FIGURES}, OWN),
        "notified": (OWN, OWN_FIGURES, OWN),  # 通报: its own, nothing of the others
    },
    "other_unit": {  # 开封市 reads 郑州市's and 省委办公厅's
        "computed": (NONE, NONE, NONE),
        "approved": (NONE, NONE, NONE),
        "published_scores": (PUBLIC_SCORES, PUBLIC_SCORES, NONE),
        "published": (PUBLIC, PUBLIC, NONE),
        "notified": (NONE, NONE, NONE),
    },
    "assessing_unit": {
        "computed": (NONE, NONE, NONE),
        "approved": (NONE, NONE, NONE),
        "published_scores": (PUBLIC_SCORES, PUBLIC_SCORES, NONE),
        "published": (PUBLIC, PUBLIC, NONE),
        "notified": (NONE, NONE, NONE),
    },
    "office": {  # the province's office: its own level
        "computed": (FULL, FIGURES, FIGURES),
        "approved": (FULL, FIGURES, FIGURES),
        "published_scores": (FULL, FIGURES, FULL),  # + the full bundle once released
        "published": (FULL, FIGURES, FULL),
        "notified": (FULL, FIGURES, FULL),
    },
    "office_other_city": {  # 郑州市's office: the province's campaign is not in its scope
        "computed": (NONE, NONE, NONE),
        "approved": (NONE, NONE, NONE),
        "published_scores": (PUBLIC_SCORES, PUBLIC_SCORES, NONE),
        "published": (PUBLIC, PUBLIC, NONE),
        "notified": (NONE, NONE, NONE),
    },
    "approver": {  # the province's approver: from submission on
        "computed": (NONE, NONE, NONE),
        "approved": (FULL, FIGURES, NONE),
        "published_scores": (FULL, FIGURES, FULL),
        "published": (FULL, FIGURES, FULL),
        "notified": (FULL, FIGURES, FULL),
    },
    "admin": {
        "computed": (FULL, FIGURES, FIGURES),
        "approved": (FULL, FIGURES, FIGURES),
        "published_scores": (FULL, FIGURES, FULL),
        "published": (FULL, FIGURES, FULL),
        "notified": (FULL, FIGURES, FULL),
    },
}
ROLES = list(EXPECTED)


@pytest.fixture
def role_users(people, make_user):
    return {
        "anonymous": None, "public": people["public"], "own_unit": people["assessed"],
        "other_unit": people["assessed_c2"], "assessing_unit": people["assessing"], "office": people["office"],
        "office_other_city": people["city_office"], "approver": people["approver"],
        "admin": make_user("platform_admin", Role.OFFICE, None, is_superuser=True),
    }


# --- reading what a surface shows ---------------------------------------------------------------------------------

def _totals(campaign) -> dict[str, str]:
    return {code: format(total, ".2f") for code, total in
            Result.objects.filter(campaign=campaign, unit__code__in=UNITS).values_list("unit__code", "total")}


def _markers_in(text: str, totals: dict[str, str]) -> dict[str, set[str]]:
    """T, I and X of each unit found anywhere in ``text``."""
    found: dict[str, set[str]] = {code: set() for code in UNITS}
    for code in UNITS:
        if totals[code] in text:
            found[code].add("T")
        if MARKERS[code]["indicator"] in text:
            found[code].add("I")
        if MARKERS[code]["score_reason"] in text or MARKERS[code]["deduction"] in text:
            found[code].add("X")
    return found


def _merge(into: dict[str, set[str]], more: dict[str, set[str]]) -> None:
    for code, fields in more.items():
        if code in into:
            into[code] |= fields


def _from_html(body: str) -> dict[str, set[str]]:
    import lxml.html

    found: dict[str, set[str]] = {code: set() for code in UNITS}
    if not body.strip():
        return found
    tree = lxml.html.fromstring(body)
    fields = {"grade": "G", "total": "T", "rank": "R", "indicator": "I", "reason": "X"}
    for element in tree.xpath("//*[@data-result]"):
        code = element.get("data-result")
        if code not in found:
            continue
        for cell in element.xpath(".//*[@data-field]"):
            if cell.text_content().strip() not in ("", "—"):
                found[code].add(fields[cell.get("data-field")])
    return found


def _from_rows(rows) -> dict[str, set[str]]:
    """Rows of JSON (the API, the bundle, a slice): {"unit": code, "grade", "total", "rank"} with null when hidden."""
    found: dict[str, set[str]] = {code: set() for code in UNITS}
    for row in rows:
        code = row.get("unit") if isinstance(row.get("unit"), str) else (row.get("unit") or {}).get("code")
        if code not in found:
            continue
        for key, letter in (("grade", "G"), ("total", "T"), ("rank", "R")):
            if row.get(key) not in (None, ""):
                found[code].add(letter)
    return found


def _from_workbook(data: bytes) -> tuple[dict[str, set[str]], str]:
    from openpyxl import load_workbook

    found: dict[str, set[str]] = {code: set() for code in UNITS}
    texts = []
    names = {"郑州市人民政府": "C1", "省委办公厅": "D2"}
    for sheet in load_workbook(io.BytesIO(data), read_only=True).worksheets:
        header = None
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in row]
            texts.extend(cells)
            if header is None:
                names_row = [c.rstrip(" *") for c in cells]  # a required column is headed "等次 *"
                if "等次" in names_row:
                    header = names_row
                continue
            record = dict(zip(header, cells, strict=False))
            code = record.get("单位编码") or record.get("编码") or names.get(record.get("单位") or "")
            if code not in found:
                continue
            for column, letter in (("等次", "G"), ("总分", "T"), ("排名", "R")):
                if record.get(column, "").strip() not in ("", "—"):
                    found[code].add(letter)
    return found, "\n".join(texts)


def _client(client_for, user):
    return client_for(user)


def read_html(client, campaign, totals) -> dict[str, set[str]]:
    pk = campaign.pk
    pages = [reverse("portal:index"), reverse("portal:results"), reverse("portal:result", args=[pk]),
             reverse("reviews:my_results"), reverse("reviews:campaign_detail", args=[pk]),
             reverse("assessment:results", args=[pk]) + "?category=1",
             reverse("assessment:results", args=[pk]) + "?category=2",
             reverse("assessment:result_detail", args=[pk, "C1"]),
             reverse("assessment:result_detail", args=[pk, "D2"]),
             reverse("assessment:approval_detail", args=[pk])]
    found: dict[str, set[str]] = {code: set() for code in UNITS}
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            continue
        body = response.content.decode()
        _merge(found, _from_html(body))
        _merge(found, _markers_in(body, totals))
    return found


def read_api(client, campaign, totals) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {code: set() for code in UNITS}
    for url in (f"/api/assessment/campaigns/{campaign.pk}/results/", "/api/assessment/campaigns/"):
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in (401, 403, 404), (url, response.status_code)
            continue
        body = response.content.decode()
        data = response.json()
        rows = data.get("results", data) if isinstance(data, dict) else data
        if url.endswith("/results/"):
            _merge(found, _from_rows(rows))
        _merge(found, _markers_in(body, totals))
    return found


def read_files(client, campaign, totals) -> dict[str, set[str]]:
    pk = campaign.pk
    downloads = [reverse("reviews:my_slice", args=[pk]), reverse("reviews:full_bundle", args=[pk]),
                 reverse("assessment:results_export", args=[pk]), reverse("reviews:copy_export", args=[pk, "jiwei"]),
                 reverse("reviews:list_export", args=[pk, "commendation"])]
    found: dict[str, set[str]] = {code: set() for code in UNITS}
    for url in downloads:
        response = client.get(url)
        if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
            assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
            continue  # refused, or sent back to the page with a message (e.g. copies before approval)
        data = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".json"):
            text = data.decode()
            payload = json.loads(text)
            if "leaf" in payload:  # a unit's slice
                leaf = payload["leaf"]
                rows = [{**leaf["result"], "unit": leaf["unit"]["code"]}]
            else:  # the full bundle
                rows = payload["result"]["units"]
            _merge(found, _from_rows(rows))
        else:
            workbook, text = _from_workbook(data)
            _merge(found, workbook)
        _merge(found, _markers_in(text, totals))
    return found


def _letters(found: dict[str, set[str]]) -> dict[str, str]:
    return {code: "".join(letter for letter in "GTRIX" if letter in fields) for code, fields in found.items() if fields}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("level", LEVELS)
def test_what_each_role_sees(campaign_at, role_users, client_for, role, level):
    campaign = campaign_at(level)
    totals = _totals(campaign)
    assert len(set(totals.values()) | {m["indicator"] for m in MARKERS.values()}) == 4  # the markers are distinct
    client = _client(client_for, role_users[role])
    html, api, files = EXPECTED[role][level]
    assert _letters(read_html(client, campaign, totals)) == html, "HTML pages"
    assert _letters(read_api(client, campaign, totals)) == api, "API"
    assert _letters(read_files(client, campaign, totals)) == files, "file downloads"


def test_the_matrix_covers_every_role_and_level():
    assert all(sorted(levels) == sorted(LEVELS) for levels in EXPECTED.values())
    assert len(EXPECTED) * len(LEVELS) == 45


def test_publish_scores_is_changed_with_a_reason_and_audited(campaign_at, people):
    from django.core.exceptions import PermissionDenied, ValidationError

    from fazhi.audit.models import AuditEvent

    campaign = campaign_at("approved")
    with pytest.raises(ValidationError, match="理由"):
        services.campaign_publish_scores_set(user=people["office"], campaign=campaign, publish_scores=True, reason=" ")
    with pytest.raises(PermissionDenied):
        services.campaign_publish_scores_set(user=people["city_office"], campaign=campaign, publish_scores=True,
                                             reason="越权")
    assert Campaign.objects.get(pk=campaign.pk).publish_scores is False
    services.campaign_publish_scores_set(user=people["office"], campaign=campaign, publish_scores=True,
                                         reason="省委同意")
    event = AuditEvent.objects.get(action="assessment.campaign_publish_scores", target_id=str(campaign.pk))
    assert (event.before, event.after, event.reason) == ({"publish_scores": False}, {"publish_scores": True}, "省委同意")
    campaign = advance(Campaign.objects.get(pk=campaign.pk), "notify", office=people["office"])
    with pytest.raises(ValidationError, match="已公布或通报"):
        services.campaign_publish_scores_set(user=people["office"], campaign=campaign, publish_scores=False,
                                             reason="改主意")
    assert Campaign.objects.get(pk=campaign.pk).publish_scores is True


def test_the_final_step_is_a_choice_with_consequences_in_numbers(campaign_at, people, client_for):
    from fazhi.assessment import lifecycle

    campaign = campaign_at("approved")
    page = client_for(people["office"]).get(reverse("reviews:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'id="publication-choice"' in page
    assert 'value="publish"' in page and 'value="notify"' in page
    publish = lifecycle.preview(user=people["office"], campaign=campaign, action="publish").consequences
    assert publish[0].startswith("公布后，公众可以看到 4 个单位的考核等次"), publish
    assert "不公开总分和排名" in publish[0] and "各指标得分和扣分理由不公开" in publish[0]
    notify = lifecycle.preview(user=people["office"], campaign=campaign, action="notify").consequences
    assert notify[0].startswith("通报后，4 个考核对象各自可以看到本单位的结果和明细"), notify
    assert "公众看不到本次考核的任何结果" in notify[0]
    services.campaign_publish_scores_set(user=people["office"], campaign=campaign, publish_scores=True, reason="同意")
    publish = lifecycle.preview(user=people["office"], campaign=campaign, action="publish").consequences
    assert "3 个单位的总分和排名也将公开" in publish[0], publish  # C1, C2 (category 1) and D1 (category 4)


def test_a_confirmation_issued_before_publish_scores_changed_is_refused(campaign_at, people):
    from django.core.exceptions import ValidationError

    from fazhi.assessment import lifecycle

    campaign = campaign_at("approved")
    issued = lifecycle.preview(user=people["office"], campaign=campaign, action="publish")
    services.campaign_publish_scores_set(user=people["office"], campaign=campaign, publish_scores=True, reason="同意")
    with pytest.raises(ValidationError):
        lifecycle.campaign_transition(user=people["office"], campaign=Campaign.objects.get(pk=campaign.pk),
                                      action="publish", confirmation=issued.token)
    assert Campaign.objects.get(pk=campaign.pk).status == "approved"


def test_notified_results_reach_the_units_but_not_the_public(campaign_at, people, client_for):
    from fazhi.reviews.models import Notice

    campaign = campaign_at("notified")
    assert Notice.objects.filter(user=people["assessed"], text__contains="结果已通报").exists()
    assert client_for(None).get(reverse("portal:result", args=[campaign.pk])).status_code == 404
    assert campaign.name not in client_for(None).get(reverse("portal:results")).content.decode()
    assert campaign.commitment_root  # committed like a publication
    assert timezone.now() >= campaign.published_at
