"""The referral API's floor: a bare Django JSON view that stores the same body as one row
in one transaction, served by the same gunicorn. What the API costs above it is ours."""

from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

TABLE = "bench_floor_row"


def floor_table_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(id bigserial PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), "
            "payload text NOT NULL)"
        )


@csrf_exempt
def insert_one_row(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (payload) VALUES (%s) RETURNING id",
            [request.body.decode("utf-8", "replace")],
        )
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk}, status=201)
