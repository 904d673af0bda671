from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from hongniudai.common import views as common_views

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("hongniudai.accounts.urls")),
    path("places/", include("hongniudai.places.urls")),
    path("party/", include("hongniudai.party.urls")),
    path("audit/", include("hongniudai.audit.urls")),
    path("transfer/", include("hongniudai.transfer.urls")),
    path("", include("hongniudai.api.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
