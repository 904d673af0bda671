from django.urls import path

from hongniudai.common.views import placeholder

app_name = "audit"
urlpatterns = [path("", placeholder, name="list")]
