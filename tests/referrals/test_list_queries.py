"""The referral list reads the working-day calendar once per page, not once per row."""

from datetime import timedelta

from django.utils import timezone


def test_the_referral_list_costs_the_same_for_few_and_many_notices(alice, make_notice, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/referrals/").status_code == 200
        return len(queries)

    for _ in range(2):
        make_notice(registered_at=timezone.now() - timedelta(hours=1), by=alice)
    count()  # the first request of a session does its own bookkeeping
    few = count()
    for _ in range(20):
        make_notice(registered_at=timezone.now() - timedelta(hours=1), by=alice)
    assert count() == few
