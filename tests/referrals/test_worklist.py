"""'My deadlines': every running statutory timer a user answers for, soonest first."""

from datetime import timedelta

from django.utils import timezone

from casework.selectors import worklist
from tests.referrals.conftest import almaty


def test_a_head_sees_every_deadline_of_the_authority_and_links_to_the_work(
    hanna, alice, bob, make_notice, almaly
):
    from children.services.files import child_identify_without_care, child_register
    from children.services.people import PersonInput

    notice = make_notice(registered_at=timezone.now() - timedelta(days=5), by=bob)
    child = child_register(
        data=PersonInput(last_name="Синтетиков", first_name="Арман", district=almaly), by=alice
    )
    child_identify_without_care(child=child, identified_at=timezone.now(), by=alice)
    work = worklist(user=hanna)
    urls = [item.url for item in work["items"]]
    assert urls == sorted(urls, key=lambda u: next(i.due_at for i in work["items"] if i.url == u))
    assert f"/referrals/{notice.pk}/" in urls
    assert f"/registry/children/{child.pk}/" in urls
    assert work["overdue"] == 1


def test_a_specialist_sees_their_own_and_unassigned_deadlines_not_a_colleagues(
    alice, bob, make_notice, pavel
):
    mine = make_notice(registered_at=timezone.now() - timedelta(hours=1), by=alice)
    theirs = make_notice(registered_at=timezone.now() - timedelta(hours=1), by=bob)
    unassigned = make_notice(registered_at=timezone.now() - timedelta(hours=1), by=pavel)
    subjects = {item.subject_id for item in worklist(user=alice)["items"]}
    assert mine.pk in subjects and unassigned.pk in subjects
    assert theirs.pk not in subjects


def test_another_district_sees_nothing_of_ours(oscar, alice, make_notice):
    make_notice(registered_at=timezone.now() - timedelta(hours=1), by=alice)
    assert worklist(user=oscar)["items"] == []


def test_the_page_and_the_home_page_show_counts(hanna, alice, make_notice, client_for):
    make_notice(registered_at=almaty(2026, 3, 20, 10, 0), by=alice, now=almaty(2026, 3, 20, 10, 0))
    client = client_for(hanna)
    page = client.get("/work/").content.decode()
    assert "ПРОСРОЧЕНО" in page
    home = client.get("/").content.decode()
    assert "/work/" in home and "ПРОСРОЧЕНО" in home


def test_the_worklist_costs_the_same_for_few_and_many_deadlines(
    hanna, alice, make_notice, django_assert_max_num_queries
):
    for _ in range(3):
        make_notice(registered_at=timezone.now() - timedelta(hours=1), by=alice)
    with django_assert_max_num_queries(4) as few:
        worklist(user=hanna)
    for _ in range(12):
        make_notice(registered_at=timezone.now() - timedelta(hours=1), by=alice)
    with django_assert_max_num_queries(len(few.captured_queries)):
        worklist(user=hanna)
