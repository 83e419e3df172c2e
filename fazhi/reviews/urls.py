from django.urls import path

from fazhi.assessment import converters  # noqa: F401  (registers <printable:…>)

from . import views

app_name = "reviews"
urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/feedback/", views.feedback_send, name="feedback_send"),
    path("campaigns/<int:pk>/feedback-round/", views.feedback_round, name="feedback_round"),
    path("campaigns/<int:pk>/feedback-round/send/", views.feedback_batch, name="feedback_batch"),
    path("drafts/<int:pk>/", views.my_draft, name="my_draft"),
    path("campaigns/<int:pk>/scoring-remind/", views.scoring_remind, name="scoring_remind"),
    path("campaigns/<int:pk>/lists/<printable:key>.xlsx", views.list_export, name="list_export"),
    path("campaigns/<int:pk>/copies/<printable:key>.xlsx", views.copy_export, name="copy_export"),
    path("campaigns/<int:pk>/letters/<printable:kind>/<printable:unit_code>.docx", views.letter, name="letter"),
    path("campaigns/<int:pk>/letters/<printable:kind>/<printable:unit_code>/issue/", views.letter_issue,
         name="letter_issue"),
    path("campaigns/<int:pk>/documents.zip", views.documents_zip, name="documents_zip"),
    path("campaigns/<int:pk>/rectifications/", views.rectification_create, name="rectification_create"),
    path("templates/", views.templates_page, name="templates"),
    path("templates/<printable:kind>.docx", views.template_download, name="template_download"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/accept/", views.feedback_accept, name="feedback_accept"),
    path("feedback/<int:pk>/review/", views.review_request, name="review_request"),
    path("feedback/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("mine/", views.my_feedback, name="my_feedback"),
    path("results/", views.my_results, name="my_results"),
    path("queue/", views.review_queue, name="review_queue"),
    path("campaigns/<int:pk>/engine.json", views.full_bundle, name="full_bundle"),
    path("results/<int:pk>/slice.json", views.my_slice, name="my_slice"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("rectification-reports/<int:pk>/file/", views.rectification_report_file, name="rectification_report_file"),
]
