from django.urls import include, path

from . import floor

urlpatterns = [
    path("bench/floor/", floor.insert_one_row),
    path("", include("casework.urls")),
]
