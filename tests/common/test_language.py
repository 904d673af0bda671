from django.urls import reverse


def test_chinese_is_shown_whatever_the_browser_asks_for(town):
    client = town.client_for("admin")
    page = client.get(reverse("places:resident_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in page.content.decode()
    assert "居民" in page.content.decode()


def test_english_when_the_user_chooses_it(town):
    client = town.client_for("admin")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("places:resident_list")).content.decode()
    assert '<html lang="en">' in page
    assert "Residents" in page or "Resident" in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get(reverse("places:resident_list")).content.decode()
