from django.urls import path

from . import views

urlpatterns = [
    path("registry/families/", views.family_list, name="family_list"),
    path("registry/families/new/", views.family_create, name="family_create"),
    path("registry/families/<int:pk>/", views.family_file, name="family_file"),
    path("registry/families/<int:pk>/archive/", views.family_archive, name="family_archive"),
    path("registry/families/<int:pk>/restore/", views.family_restore, name="family_restore"),
    path(
        "registry/families/<int:pk>/police/<int:registration_id>/deregister/",
        views.police_deregister,
        name="police_deregister",
    ),
    path("registry/families/<int:pk>/audit/", views.family_audit, name="family_audit"),
    path("registry/families/<int:pk>/<slug:section>/", views.family_section, name="family_section"),
]
