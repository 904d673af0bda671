"""On PostgreSQL a connection prepares the queries it sends often, so PostgreSQL does not plan them
anew (issue 14: planning cost a page as much as running its queries). The settings that turn it on
and off: tests/test_settings_dev.py."""

import pytest
from django.db import connection

from hongniudai.places.models import AreaNode


@pytest.mark.django_db
def test_a_query_sent_often_is_prepared_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    for node_id in range(1, 8):
        list(AreaNode.objects.filter(pk=node_id).values_list("name", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s AND statement LIKE %s",
            ["%places_areanode%", "%$1%"],
        )
        (prepared,) = cursor.fetchone()
    assert prepared >= 1
