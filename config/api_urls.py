"""REST API, documented in OpenAPI at /api/schema/ and browsable at /api/docs/ (no CDN: see views)."""

from django.urls import include, path

import fazhi.io.openapi  # noqa: F401  (registers the token scheme before any schema is generated)

urlpatterns = [
    path("orgs/", include("fazhi.orgs.api")),
    path("plans/", include("fazhi.plans.api")),
    path("assessment/", include("fazhi.assessment.api")),
    path("reports/", include("fazhi.reports.api")),
]
