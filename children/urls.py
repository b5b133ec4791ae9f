from django.urls import path

from . import statistics_views, views
from .imports import views as import_views

urlpatterns = [
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path(
        "statistics/export.<slug:fmt>",
        statistics_views.statistics_export,
        name="statistics_export",
    ),
    path("registry/children/", views.child_list, name="child_list"),
    path("registry/children/new/", views.child_create, name="child_create"),
    path("registry/children/<int:pk>/", views.child_file, name="child_file"),
    path("registry/children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("registry/children/<int:pk>/merge/", views.person_merge_view, name="person_merge"),
    path("registry/children/<int:pk>/archive/", views.child_archive, name="child_archive"),
    path("registry/children/<int:pk>/restore/", views.child_restore, name="child_restore"),
    path(
        "registry/children/<int:pk>/documents/<int:document_id>/archive/",
        views.document_archive,
        name="child_document_archive",
    ),
    path(
        "registry/children/<int:pk>/documents/<int:document_id>/restore/",
        views.document_restore,
        name="child_document_restore",
    ),
    path(
        "registry/children/<int:pk>/placements/<int:placement_id>/end/",
        views.placement_end,
        name="placement_end",
    ),
    path(
        "registry/children/<int:pk>/documents/<int:document_id>/",
        views.document_download,
        name="child_document",
    ),
    path(
        "registry/children/<int:pk>/removals/<int:removal_id>/court-claim/",
        views.court_claim_filed,
        name="court_claim_filed",
    ),
    path("registry/children/<int:pk>/audit/", views.child_audit, name="child_audit"),
    path("registry/children/<int:pk>/<slug:section>/", views.child_section, name="child_section"),
    path("registry/imports/", import_views.import_list, name="registry_import_list"),
    path("registry/imports/new/", import_views.import_upload, name="registry_import_upload"),
    path(
        "registry/imports/template.xlsx",
        import_views.import_template,
        name="registry_import_template",
    ),
    path("registry/imports/<int:pk>/", import_views.import_detail, name="registry_import"),
    path(
        "registry/imports/<int:pk>/start/",
        import_views.import_start,
        name="registry_import_start",
    ),
    path("registry/carers/", views.carer_list, name="carer_list"),
    path("registry/carers/new/", views.carer_create, name="carer_create"),
    path("registry/carers/<int:pk>/", views.carer_file, name="carer_file"),
    path("registry/carers/<int:pk>/archive/", views.carer_archive, name="carer_archive"),
    path("registry/carers/<int:pk>/restore/", views.carer_restore, name="carer_restore"),
    path("registry/carers/<int:pk>/<slug:section>/", views.carer_section, name="carer_section"),
]
