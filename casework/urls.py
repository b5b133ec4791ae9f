from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import apis, dashboard_views, views

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
    path("language/", views.language_switch, name="language_switch"),
    path("work/", views.worklist, name="worklist"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("calendar/", views.calendar_current, name="calendar_current"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("healthz/", views.healthz, name="healthz"),
    path("status/", views.system_status, name="system_status"),
    path("api/v1/me/", apis.MeApi.as_view(), name="api_me"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("", include("casework.case_urls")),
    path("", include("children.urls")),
    path("", include("families.urls")),
    path("", include("referrals.urls")),
]
