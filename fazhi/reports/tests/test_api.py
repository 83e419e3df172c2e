"""The reports API: scoped for signed-in users, published-only for the public."""

from fazhi.reports import services


def test_scoped_list(people, client_for, submitted_report):
    rows = client_for(people["assessed"]).get("/api/reports/reports/").json()["results"]
    assert [r["unit"] for r in rows] == ["C1"]
    keys = {f["key"] for f in rows[0]["figures"] if f["key"]}
    assert "reconsideration.received" in keys
    assert client_for(people["assessed_c2"]).get("/api/reports/reports/").json()["results"] == []
    assert client_for(people["other_office"]).get("/api/reports/reports/").json()["results"] == []
    assert client_for(people["other_office"]).get(f"/api/reports/reports/{submitted_report.pk}/").status_code == 404
    assert client_for(people["office"]).get(f"/api/reports/reports/{submitted_report.pk}/").status_code == 200
    assert client_for(None).get("/api/reports/reports/").status_code == 401  # anonymous: 401 with WWW-Authenticate: Bearer


def test_public_endpoint_shows_only_published_reports_and_searches(people, client_for, submitted_report):
    anonymous = client_for(None)
    assert anonymous.get("/api/reports/public/").json()["results"] == []
    assert anonymous.get(f"/api/reports/public/{submitted_report.pk}/").status_code == 404
    services.report_review(user=people["office"], report=submitted_report, action="accept", text="来源已核实")
    rows = anonymous.get("/api/reports/public/").json()["results"]
    assert [r["id"] for r in rows] == [submitted_report.pk]
    assert "status" not in rows[0] and "check_result" not in rows[0]
    assert [r["id"] for r in anonymous.get("/api/reports/public/", {"q": "纠错率"}).json()["results"]] == [
        submitted_report.pk
    ]
    assert anonymous.get("/api/reports/public/", {"q": "不存在的词语组合"}).json()["results"] == []
