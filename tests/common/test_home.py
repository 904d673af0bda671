from django.urls import reverse


def test_grid_workers_and_centre_households_start_on_their_inbox(town):
    for username in ("gridworker", "zhangshengfu"):
        response = town.client_for(username).get("/")
        assert response["Location"] == reverse("governance:inbox")
    assert town.client_for("admin").get("/")["Location"] == reverse("places:tree")


def test_health_check(db, client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_benchmark_floor_answers_plain_text(db, client):
    response = client.get("/bench/floor/")
    assert response.status_code == 200 and response.content == b"ok"
