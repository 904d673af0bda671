from django.urls import include, path, re_path

from hongniudai.accounts import views as account_views
from hongniudai.common import views as common_views
from hongniudai.spreadsheets import views as spreadsheet_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("bench/floor/", common_views.floor, name="bench_floor"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/users/", include("hongniudai.users.urls")),
    path("accounts/", include("hongniudai.accounts.urls")),
    path("places/", include("hongniudai.places.urls")),
    path("party/", include("hongniudai.party.urls")),
    path("audit/", include("hongniudai.accounts.urls_audit")),
    path("imports/", include("hongniudai.spreadsheets.urls")),
    # The import pages were under /transfer/imports/ until 2026-12: old links and bookmarks still answer.
    re_path(r"^transfer/imports/(?P<rest>.*)$", spreadsheet_views.moved_from_transfer),
    path("open311/v2/", include("hongniudai.governance.open311.urls")),
    # The inbox's pieces keep the paths they had when they were the matters' own.
    path("matters/notifications/", include("hongniudai.notifications.urls")),
    path("matters/", include("hongniudai.governance.urls")),
    path("development/", include("hongniudai.development.urls")),
    path("orglife/", include("hongniudai.orglife.urls")),
    path("enterprises/", include("hongniudai.enterprises.urls")),
    path("vanguard/", include("hongniudai.vanguard.urls")),
    path("land/", include("hongniudai.land.urls")),
    path("ledger/", include("hongniudai.ledger.urls")),
    path("returnees/", include("hongniudai.returnees.urls")),
    path("projects/", include("hongniudai.projects.urls")),
    path("distribution/", include("hongniudai.distribution.urls")),
    path("benefits/", include("hongniudai.benefits.urls")),
    path("production/", include("hongniudai.production.urls")),
    path("collective/", include("hongniudai.collective.urls")),
    path("stations/", include("hongniudai.care.stations.urls")),
    path("watch/cameras/", include("hongniudai.watch.cameras.urls")),
    path("volunteers/", include("hongniudai.volunteers.urls")),
    path("watch/patrols/", include("hongniudai.watch.patrols.urls")),
    path("care/soup/", include("hongniudai.care.soup.urls")),
    path("", include("hongniudai.api.urls")),
]
