import pytest

from hongniudai.common.updates import model_update
from hongniudai.places.models import AreaNode
from tests import factories


@pytest.mark.django_db
def test_sets_and_saves_only_declared_fields_that_changed():
    node = factories.area(None, "旧名", "town")
    changed = model_update(node, fields=("name", "code"), data={"name": "新名", "code": "", "path": "/x/"})
    assert changed == ["name"]
    node = AreaNode.objects.get(pk=node.pk)
    assert node.name == "新名"
    assert node.path != "/x/"


@pytest.mark.django_db
def test_nothing_changed_saves_nothing(django_assert_num_queries):
    node = factories.area(None, "名", "town")
    with django_assert_num_queries(0):
        assert model_update(node, fields=("name",), data={"name": "名"}) == []
