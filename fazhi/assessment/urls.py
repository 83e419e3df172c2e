from django.urls import path

from fazhi.assessment import converters  # noqa: F401  (registers <printable:…>)

from . import views

app_name = "assessment"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/settings/", views.campaign_settings, name="campaign_settings"),
    path("campaigns/<int:pk>/action/", views.campaign_action, name="campaign_action"),
    path("campaigns/<int:pk>/confirm/", views.campaign_confirm, name="campaign_confirm"),
    path("campaigns/<int:pk>/publish-scores/", views.campaign_publish_scores, name="campaign_publish_scores"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval_detail"),
    path("campaigns/<int:pk>/compute/", views.campaign_compute, name="campaign_compute"),
    path("campaigns/<int:pk>/units/add/", views.campaign_unit_add, name="campaign_unit_add"),
    path("campaigns/<int:pk>/units/<printable:code>/remove/", views.campaign_unit_remove, name="campaign_unit_remove"),
    path("campaigns/<int:pk>/indicators/", views.indicator_tree, name="indicator_tree"),
    path("campaigns/<int:pk>/indicators/export.xlsx", views.indicator_export, name="indicator_export"),
    path("campaigns/<int:pk>/indicators/import/", views.indicator_import, name="indicator_import"),
    path("campaigns/<int:pk>/indicators/copy/", views.indicator_copy, name="indicator_copy"),
    path("campaigns/<int:pk>/indicators/<int:ind_pk>/overrides/", views.indicator_overrides,
         name="indicator_overrides"),
    path("campaigns/<int:pk>/scores/<int:score_pk>/reopen/", views.score_reopen, name="score_reopen"),
    path("campaigns/<int:pk>/adjustments/", views.adjustments, name="adjustments"),
    path("campaigns/<int:pk>/adjustments/<int:adj_pk>/delete/", views.adjustment_delete, name="adjustment_delete"),
    path("campaigns/<int:pk>/results/", views.results, name="results"),
    path("campaigns/<int:pk>/results/export.xlsx", views.results_export, name="results_export"),
    path("campaigns/<int:pk>/results/<printable:code>/", views.result_detail, name="result_detail"),
    path("campaigns/<int:pk>/progress/", views.progress, name="progress"),
    path("campaigns/<int:pk>/expected/", views.expected_evaluations, name="expected_evaluations"),
    path("campaigns/<int:pk>/expected/export.xlsx", views.expected_export, name="expected_export"),
    path("campaigns/<int:pk>/expected/import/", views.expected_import, name="expected_import"),
    path("scoring/", views.scoring_home, name="scoring_home"),
    path("scoring/<int:pk>/", views.worklist, name="worklist"),
    path("scoring/<int:pk>/save/", views.score_save, name="score_save"),
    path("scoring/<int:pk>/submit/", views.scores_submit, name="scores_submit"),
    path("scoring/<int:pk>/export.xlsx", views.score_batch_export, name="score_batch_export"),
    path("scoring/<int:pk>/import/", views.score_batch_import, name="score_batch_import"),
    path("scoring/<int:pk>/scores/<int:score_pk>/", views.score_detail, name="score_detail"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
