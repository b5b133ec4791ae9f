from django.urls import path

from . import case_views, kdn_views

urlpatterns = [
    path("cases/", case_views.case_list, name="case_list"),
    path("cases/new/", case_views.case_open, name="case_open"),
    path("cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/assign/", case_views.case_assign, name="case_assign"),
    path("cases/<int:pk>/assessment/", case_views.case_assessment, name="case_assessment"),
    path("cases/<int:pk>/plan/", case_views.case_plan, name="case_plan"),
    path("cases/<int:pk>/plan/v<int:version>/", case_views.case_plan, name="case_plan_version"),
    path("cases/<int:pk>/plan/revise/", case_views.plan_revise, name="plan_revise"),
    path("cases/<int:pk>/plan/measures/", case_views.measure_add, name="measure_add"),
    path("cases/<int:pk>/plan/<int:plan_id>/<slug:action>/", case_views.plan_act, name="plan_act"),
    path(
        "cases/<int:pk>/measures/<int:measure_id>/done/",
        case_views.measure_done,
        name="measure_done",
    ),
    path(
        "cases/<int:pk>/measures/<int:measure_id>/drop/",
        case_views.measure_drop,
        name="measure_drop",
    ),
    path("cases/<int:pk>/contacts/new/", case_views.contact_add, name="contact_add"),
    path(
        "cases/<int:pk>/files/<int:attachment_id>/",
        case_views.case_attachment,
        name="case_attachment",
    ),
    path("cases/<int:pk>/audit/", case_views.case_audit, name="case_audit"),
    path("cases/<int:pk>/<slug:action>/", case_views.case_act, name="case_act"),
    path("kdn/", kdn_views.kdn_home, name="kdn_home"),
    path("kdn/meetings/new/", kdn_views.meeting_create, name="kdn_meeting_create"),
    path("kdn/meetings/<int:pk>/", kdn_views.meeting_detail, name="kdn_meeting"),
    path("kdn/meetings/<int:pk>/<slug:action>/", kdn_views.meeting_act, name="kdn_meeting_act"),
    path("kdn/items/<int:pk>/", kdn_views.item_summary, name="kdn_item"),
    path("kdn/items/<int:pk>/packet.pdf", kdn_views.item_packet, name="kdn_packet"),
    path("kdn/items/<int:pk>/decide/", kdn_views.decision_create, name="kdn_decide"),
    path("kdn/items/<int:pk>/unschedule/", kdn_views.item_unschedule, name="kdn_unschedule"),
    path("kdn/decisions/<int:pk>/", kdn_views.decision_detail, name="kdn_decision"),
    path("kdn/submit/<slug:kind>/<int:pk>/", kdn_views.submit_file, name="kdn_submit"),
]
