from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from fazhi.accounts.forms import LoginForm
from fazhi.workbench import views as workbench_views

urlpatterns = [
    path("", include("fazhi.portal.urls")),
    path("home/", workbench_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("fazhi.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("orgs/", include("fazhi.orgs.urls")),
    path("plans/", include("fazhi.plans.urls")),
    path("assessment/", include("fazhi.assessment.urls")),
    path("reviews/", include("fazhi.reviews.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("audit/", include("fazhi.audit.urls")),
    path("documents/", include("fazhi.documents.urls")),
    path("casereview/", include("fazhi.casereview.urls")),
    path("fieldwork/", include("fazhi.fieldwork.urls")),
    path("surveys/", include("fazhi.surveys.urls")),
    path("selfreport/", include("fazhi.selfreport.urls")),
    path("findings/", include("fazhi.findings.urls")),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Uploaded files are never served from MEDIA_URL: every download goes through a view that checks permissions.
