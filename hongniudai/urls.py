from django.urls import include, path

from hongniudai.accounts import views as account_views
from hongniudai.common import views as common_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("bench/floor/", common_views.floor, name="bench_floor"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("hongniudai.accounts.urls")),
    path("places/", include("hongniudai.places.urls")),
    path("party/", include("hongniudai.party.urls")),
    path("audit/", include("hongniudai.accounts.urls_audit")),
    path("transfer/", include("hongniudai.transfer.urls")),
    path("open311/v2/", include("hongniudai.governance.open311.urls")),
    # The inbox's pieces keep the paths they had when they were the matters' own.
    path("matters/notifications/", include("hongniudai.notifications.urls")),
    path("matters/", include("hongniudai.governance.urls")),
    path("development/", include("hongniudai.development.urls")),
    path("orglife/", include("hongniudai.orglife.urls")),
    path("enterprises/", include("hongniudai.enterprises.urls")),
    path("vanguard/", include("hongniudai.vanguard.urls")),
    path("", include("hongniudai.api.urls")),
]
