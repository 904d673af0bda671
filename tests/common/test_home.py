from django.urls import reverse


def test_grid_workers_and_centre_households_start_on_their_inbox(town):
    for username in ("gridworker", "zhangshengfu"):
        response = town.client_for(username).get("/")
        assert response["Location"] == reverse("governance:inbox")
    assert town.client_for("admin").get("/")["Location"] == reverse("places:tree")


def test_health_check(db, client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_benchmark_floor_answers_plain_text_to_a_signed_in_user(town, client):
    """Like every page it needs a signed-in user (the benchmark measures it with the same session)."""
    assert client.get("/bench/floor/").status_code == 302
    response = town.client_for("gridworker").get("/bench/floor/")
    assert response.status_code == 200 and response.content == b"ok"
