from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditRead,
    CalendarOverride,
    District,
    Notification,
    Organisation,
    Region,
    StaffMembership,
    User,
)
from .services.calendar import calendar_override_set


class NoDeleteAdmin(admin.ModelAdmin):
    """Nothing is hard-deleted: archive or end instead."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(NoDeleteAdmin):
    list_display = ["code", "name_ru", "name_kk", "name_en"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]


@admin.register(District)
class DistrictAdmin(NoDeleteAdmin):
    list_display = ["code", "name_ru", "region", "child_population"]
    list_filter = ["region"]
    search_fields = ["code", "name_ru", "name_kk"]
    list_select_related = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteAdmin):
    list_display = ["name_ru", "kind", "district", "archived_at"]
    list_filter = ["kind", "district__region"]
    search_fields = ["name_ru", "name_kk", "name_en"]
    list_select_related = ["district"]
    autocomplete_fields = ["district", "region"]


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    can_delete = False


@admin.register(User)
class QamqorUserAdmin(UserAdmin, NoDeleteAdmin):
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Qamqor"), {"fields": ["patronymic", "phone", "preferred_language"]}),
    ]
    inlines = [MembershipInline]
    list_display = ["username", "last_name", "first_name", "email", "is_active"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "legal_basis", "created_by", "created_at"]
    list_filter = ["kind"]
    readonly_fields = ["created_by", "created_at"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change) -> None:
        saved = calendar_override_set(
            day=obj.day, kind=obj.kind, legal_basis=obj.legal_basis, by=request.user
        )
        obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditRead)
class AuditReadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "content_type", "object_repr", "ip"]
    list_filter = ["action", "content_type"]
    date_hierarchy = "at"
    list_select_related = ["user", "content_type"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "subject", "sent_at"]
    list_select_related = ["recipient"]
