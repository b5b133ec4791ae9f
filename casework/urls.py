from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from . import account_views, apis, archive_views, audit_views, dashboard_views, views
from .schema import ApiDocsView

# API clients get JSON errors even where no API view answers.
handler400 = "casework.views.bad_request"
handler404 = "casework.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", account_views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", account_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/off/", account_views.two_factor_turn_off, name="two_factor_turn_off"),
    path(
        "staff/<int:pk>/two-factor/reset/",
        account_views.two_factor_reset,
        name="two_factor_reset",
    ),
    path("accounts/session/", account_views.session_keepalive, name="session_keepalive"),
    path("accounts/session/end/", account_views.session_end_idle, name="session_end_idle"),
    path("drafts/", account_views.form_draft_load, name="form_draft_load"),
    path("drafts/save/", account_views.form_draft_save, name="form_draft_save"),
    path("drafts/discard/", account_views.form_draft_discard, name="form_draft_discard"),
    path("language/", views.language_switch, name="language_switch"),
    path("work/", views.worklist, name="worklist"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("calendar/", views.calendar_current, name="calendar_current"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("healthz/", views.healthz, name="healthz"),
    path("status/", views.system_status, name="system_status"),
    path("api/v1/me/", apis.MeApi.as_view(), name="api_me"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/v1/docs/", ApiDocsView.as_view(url_name="api_schema"), name="api_docs"),
    # One sign-in for the whole app (lockout and second factor included), admin too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("registry/archive/", archive_views.archive_list, name="archive_list"),
    path("", include("casework.case_urls")),
    path("", include("children.urls")),
    path("", include("families.urls")),
    path("", include("referrals.urls")),
]
