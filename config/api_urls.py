"""REST API, documented in OpenAPI at /api/schema/ and browsable at /api/docs/ (no CDN: see views)."""

from django.urls import include, path

urlpatterns = [
    path("orgs/", include("fazhi.orgs.api")),
    path("plans/", include("fazhi.plans.api")),
    path("assessment/", include("fazhi.assessment.api")),
    path("reports/", include("fazhi.reports.api")),
    path("selfreport/", include("fazhi.selfreport.api")),
    path("casereview/", include("fazhi.casereview.api")),
    path("fieldwork/", include("fazhi.fieldwork.api")),
    path("surveys/", include("fazhi.surveys.api")),
]
