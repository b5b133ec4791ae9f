"""htmx is served by the app itself, never from a CDN."""

from django.contrib.staticfiles import finders


def test_it_serves_htmx_from_its_own_static_files(client_for, alice):
    page = client_for(alice).get("/").content.decode()
    assert "/static/vendor/htmx/htmx-2.0.11.min.js" in page
    assert "https://" not in page.split("<body")[0], "no third-party host in the page head"
    assert finders.find("vendor/htmx/htmx-2.0.11.min.js")


def test_it_sends_the_csrf_token_with_every_htmx_request(client_for, alice):
    page = client_for(alice).get("/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
