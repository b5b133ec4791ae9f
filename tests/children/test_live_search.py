"""The children list searches as the user types (htmx): only the results region comes
back, typos forgiven as on the full page; the URL keeps the search for Back and reload."""

from django.urls import reverse
from django.utils import translation

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_it_answers_a_typed_search_with_the_results_only(make_child, alice, client_for):
    make_child()
    make_child(last_name="Сапаров", first_name="Тимур")
    response = client_for(alice).get(reverse("child_list"), {"q": "Нурланв"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.startswith('<div id="child-results"')
    assert "Нурланов Ерлан" in html and "Сапаров" not in html
    assert "HX-Request" in response["Vary"]
    with translation.override("ru"):
        said = translation.ngettext("%(counter)s child found", "%(counter)s children found", 1)
    assert f'<div id="live-status" hx-swap-oob="innerHTML">{said % {"counter": 1}}</div>' in html


def test_the_page_links_keep_the_search(make_child, alice, client_for):
    for number in range(26):
        make_child(first_name=f"Ерлан{number}", last_name="Нурланов")
    response = client_for(alice).get(reverse("child_list"), {"q": "Нурланов"}, **HTMX)
    assert "?q=%D0%9D%D1%83%D1%80%D0%BB%D0%B0%D0%BD%D0%BE%D0%B2&amp;page=2" in (
        response.content.decode()
    )


def test_the_search_form_is_wired_for_live_search(alice, client_for):
    page = client_for(alice).get(reverse("child_list")).content.decode()
    assert 'hx-get="/registry/children/"' in page
    assert 'hx-trigger="input changed delay:300ms, change, submit"' in page
    assert 'hx-push-url="true"' in page
    assert '<div id="child-results"' in page


def test_another_district_finds_nothing_live(make_child, oscar, client_for):
    make_child()
    response = client_for(oscar).get(reverse("child_list"), {"q": "Нурланов"}, **HTMX)
    assert response.status_code == 200
    assert "Нурланов" not in response.content.decode()


def test_those_outside_the_registry_are_refused(fatima, rita, client_for):
    for user in (fatima, rita):
        response = client_for(user).get(reverse("child_list"), {"q": "Нурланов"}, **HTMX)
        assert response.status_code == 403
