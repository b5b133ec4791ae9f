"""A measure of the plan is marked done in place (htmx): the row turns into the form and
back, a refusal keeps what was typed; without JavaScript the same URL is a page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import MeasureStatus, SupportType
from casework.services import cases, plans
from tests.cases.conftest import rate_everything

HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


def in_russian(text: str) -> str:
    with translation.override("ru"):
        return translation.gettext(text)


@pytest.fixture
def measure(case, fatima, gulnara):
    rate_everything(case, fatima)
    cases.assessment_complete(case=case, by=fatima)
    draft = case.plans.get()
    measure = plans.measure_add(
        plan=draft,
        by=fatima,
        support_type=SupportType.PSYCHOLOGICAL,
        description="Синтетическая мера: консультации психолога",
        responsible_organisation=case.organisation,
        owner=None,
        due_on=TODAY + timedelta(days=10),
    )
    plans.plan_submit(plan=draft, by=fatima)
    plans.plan_approve(plan=draft, by=gulnara)
    return measure


def done_url(measure) -> str:
    return reverse("measure_done", args=[measure.plan.case_id, measure.pk])


def fragment(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    assert html.startswith("<tr id=")
    return html


def test_the_plan_row_opens_the_form_in_place(measure, fatima, client_for):
    page = client_for(fatima).get(reverse("case_plan", args=[measure.plan.case_id])).content
    url = done_url(measure)
    assert f'href="{url}" hx-get="{url}" hx-target="closest tr"' in page.decode()

    html = fragment(client_for(fatima).get(url, **HTMX))
    assert f'hx-post="{url}"' in html
    assert f'id="measure-{measure.pk}-done_on"' in html
    assert TODAY.strftime("%d.%m.%Y") in html
    assert "autofocus" in html


def test_it_marks_a_measure_done_in_place(measure, fatima, client_for):
    response = client_for(fatima).post(
        done_url(measure),
        {"done_on": TODAY.strftime("%d.%m.%Y"), "result": "Проведено пять консультаций"},
        **HTMX,
    )
    html = fragment(response)
    assert "Проведено пять консультаций" in html
    assert in_russian("Measure done.") in html
    assert "<form" not in html
    measure.refresh_from_db()
    assert (measure.status, measure.done_on) == (MeasureStatus.DONE, TODAY)


def test_bad_input_stays_in_the_row_with_the_typed_text(measure, fatima, client_for):
    future = (TODAY + timedelta(days=3)).strftime("%d.%m.%Y")
    response = client_for(fatima).post(
        done_url(measure), {"done_on": future, "result": "Набранный текст"}, **HTMX
    )
    html = fragment(response)
    assert "Набранный текст" in html
    assert f'value="{future}"' in html
    assert in_russian("The date cannot be in the future.") in html
    assert 'role="alert"' in html
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED


def test_an_empty_result_is_refused_in_russian(measure, fatima, client_for):
    html = fragment(
        client_for(fatima).post(
            done_url(measure), {"done_on": TODAY.strftime("%d.%m.%Y"), "result": ""}, **HTMX
        )
    )
    assert "Обязательное поле." in html
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED


def test_a_measure_done_meanwhile_is_refused_in_the_row(measure, fatima, gulnara, client_for):
    plans.measure_complete(measure=measure, by=gulnara, done_on=TODAY, result="Сделано главой")
    html = fragment(
        client_for(fatima).post(
            done_url(measure),
            {"done_on": TODAY.strftime("%d.%m.%Y"), "result": "Второй раз"},
            **HTMX,
        )
    )
    assert "Второй раз" in html
    assert 'class="errors"' in html
    measure.refresh_from_db()
    assert measure.result == "Сделано главой"


def test_cancel_gives_the_row_back(measure, fatima, client_for):
    html = fragment(client_for(fatima).get(done_url(measure) + "?cancel=1", **HTMX))
    assert "<form" not in html
    assert f'hx-get="{done_url(measure)}"' in html


def test_without_javascript_it_is_a_page_and_a_redirect(measure, fatima, client_for):
    client = client_for(fatima)
    assert "<html" in client.get(done_url(measure)).content.decode()
    response = client.post(
        done_url(measure), {"done_on": TODAY.strftime("%d.%m.%Y"), "result": "Готово"}
    )
    assert response.status_code == 302
    assert response.url == reverse("case_plan", args=[measure.plan.case_id])
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE


@pytest.mark.parametrize(
    ("persona", "status"),
    [("farida", 403), ("alice", 403), ("oscar", 404), ("kairat", 404), ("rita", 404)],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_cannot_mark_it_done_in_place(measure, persona, status, method, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    data = {"done_on": TODAY.strftime("%d.%m.%Y"), "result": "Чужая отметка"}
    send = client.get if method == "get" else client.post
    response = send(done_url(measure), data if method == "post" else {}, **HTMX)
    assert response.status_code == status
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED
