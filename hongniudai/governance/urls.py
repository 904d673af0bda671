from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.matter_list, name="matter_list"),
    path("inbox/", views.inbox, name="inbox"),
    path("report/", views.report, name="report"),
    path("report/attributes/", views.report_attributes, name="report_attributes"),
    path("report/parties/", views.party_search, name="party_search"),
    path("<int:pk>/", views.matter_detail, name="matter_detail"),
    path("<int:pk>/accept/", views.matter_accept, name="matter_accept"),
    path("<int:pk>/session/", views.matter_session, name="matter_session"),
    path("<int:pk>/invite/", views.matter_invite, name="matter_invite"),
    path("<int:pk>/agreement/", views.matter_agreement, name="matter_agreement"),
    path("<int:pk>/agreement/print/", views.agreement_print, name="agreement_print"),
    path("<int:pk>/resolve/", views.matter_resolve, name="matter_resolve"),
    path("<int:pk>/escalate/", views.matter_escalate, name="matter_escalate"),
    path("<int:pk>/hand-down/", views.matter_hand_down, name="matter_hand_down"),
    path("<int:pk>/follow-up/", views.matter_follow_up, name="matter_follow_up"),
    path("<int:pk>/reopen/", views.matter_reopen, name="matter_reopen"),
    path("<int:pk>/attach/", views.matter_attach, name="matter_attach"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]

# The measures and the administrator's pages live in their own modules.
from .urls_extra import urlpatterns as _extra  # noqa: E402 - measures and maintenance pages

urlpatterns += _extra
