"""The rows of list pages are rendered by Jinja2 from prepared values: escaped, and strict."""

import jinja2
import pytest
from django.urls import reverse

from hongniudai.common.rows import render_rows


def test_every_value_is_escaped_in_a_list_row(admin_client):
    from hongniudai.places.models import Resident

    resident = Resident.objects.order_by("pk").first()
    Resident.objects.filter(pk=resident.pk).update(name="<script>x</script>")
    page = admin_client.get(reverse("places:resident_list"), {"q": ""}).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_a_row_template_naming_a_missing_field_fails_rather_than_printing_nothing():
    with pytest.raises(jinja2.UndefinedError):
        render_rows("places/_resident_rows.jinja", [{"url": "/x/"}])
