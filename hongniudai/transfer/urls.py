from django.urls import path

from hongniudai.common.views import placeholder

app_name = "transfer"
urlpatterns = [path("imports/", placeholder, name="import_list")]
