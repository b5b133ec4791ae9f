from django.urls import path

from . import apis, views

urlpatterns = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/attach/", views.referral_attach, name="referral_attach"),
    path("referrals/<int:pk>/link-child/", views.referral_link_child, name="referral_link_child"),
    path("referrals/<int:pk>/archive/", views.referral_archive, name="referral_archive"),
    path("referrals/<int:pk>/restore/", views.referral_restore, name="referral_restore"),
    path(
        "referrals/<int:pk>/files/<int:attachment_id>/archive/",
        views.attachment_archive,
        name="referral_attachment_archive",
    ),
    path(
        "referrals/<int:pk>/files/<int:attachment_id>/restore/",
        views.attachment_restore,
        name="referral_attachment_restore",
    ),
    path(
        "referrals/<int:pk>/files/<int:attachment_id>/",
        views.attachment_download,
        name="referral_attachment",
    ),
    path("referrals/<int:pk>/<slug:action>/", views.referral_act, name="referral_act"),
    path("fsc/inbox/", views.fsc_inbox, name="fsc_inbox"),
    path("api/v1/referrals/", apis.ReferralListApi.as_view(), name="api_referral_list"),
    path("api/v1/referrals/create/", apis.ReferralCreateApi.as_view(), name="api_referral_create"),
    path(
        "api/v1/referrals/<int:pk>/", apis.ReferralDetailApi.as_view(), name="api_referral_detail"
    ),
]
