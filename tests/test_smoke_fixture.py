from hongniudai.accounts.scope import scope_for
from hongniudai.places.models import Resident


def test_village_secretary_sees_only_own_village(town):
    visible = set(scope_for(town.users["xuqiao"]).filter(Resident.objects.all()).values_list("name", flat=True))
    assert visible == {"黄文华"}
    everyone = set(scope_for(town.users["admin"]).filter(Resident.objects.all()).values_list("name", flat=True))
    assert everyone == {"黄文华", "施华成", "张圣福"}
