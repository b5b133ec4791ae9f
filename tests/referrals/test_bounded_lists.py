"""Long lists count up to LIST_COUNT_LIMIT rows, then say "more than" (casework.pagination)."""

import pytest
from django.utils import translation

from casework.pagination import BoundedPaginator
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def ru(text: str) -> str:
    with translation.override("ru"):
        return translation.gettext(text)


def test_the_count_stops_one_past_the_limit(make_concern, settings):
    settings.LIST_COUNT_LIMIT = 3
    for _ in range(5):
        make_concern()
    paginator = BoundedPaginator(Referral.objects.order_by("pk"), 2)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (4, True, 2)
    assert BoundedPaginator(list(Referral.objects.all()), 2).count == 4


def test_under_the_limit_the_count_is_exact(make_concern, settings):
    settings.LIST_COUNT_LIMIT = 3
    for _ in range(3):
        make_concern()
    paginator = BoundedPaginator(Referral.objects.order_by("pk"), 2)
    assert (paginator.count, paginator.capped) == (3, False)


def test_a_long_referral_list_says_more_than_and_pages_up_to_the_limit(
    make_concern, alice, client_for, settings
):
    settings.LIST_COUNT_LIMIT = 26  # 27 rows counted: two pages of 25
    for _ in range(30):
        make_concern()
    client = client_for(alice)
    first = client.get("/referrals/").content.decode()
    assert ru("Page %(number)s of more than %(total)s") % {"number": 1, "total": 2} in first
    with translation.override("ru"):
        exact = translation.ngettext("%(counter)s referral", "%(counter)s referrals", 30)
    assert exact % {"counter": 30} not in first
    last = client.get("/referrals/?page=99")  # beyond the counted pages: the last one
    assert last.context["page"].number == 2
    assert (
        ru("More than %(limit)s found: the filters or the search narrow the list.") % {"limit": 26}
        in last.content.decode()
    )


def test_a_short_referral_list_gives_its_exact_count(make_concern, alice, client_for):
    for _ in range(2):
        make_concern()
    page = client_for(alice).get("/referrals/").content.decode()
    assert "More than" not in page
    assert ru("Page %(number)s of more than %(total)s") not in page
