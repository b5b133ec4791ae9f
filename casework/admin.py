from axes.models import AccessFailureLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    ApiToken,
    AuditAlert,
    AuditRead,
    Breach,
    CalendarOverride,
    District,
    Notification,
    Organisation,
    Region,
    StaffMembership,
    User,
)
from .services.api_tokens import api_token_create, api_token_revoke
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


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, showing a selected object the form already holds
    (`preloaded`) rather than reading it again: one query per row of an inline, else."""

    preloaded: dict[str, models.Model] = {}

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= self.preloaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(self.preloaded[key])
            options.append(self.create_option(name, key, label, selected, len(options)))
        return [(None, options, 0)]


class MembershipForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.organisation_id:  # read with the inline's rows
            widget = self.fields["organisation"].widget
            widget = getattr(widget, "widget", widget)  # inside the "add another" wrapper
            if isinstance(widget, PreloadedAutocompleteSelect):
                widget.preloaded = {str(self.instance.organisation_id): self.instance.organisation}


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    form = MembershipForm
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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


@admin.register(AuditAlert)
class AuditAlertAdmin(ReadOnlyAdmin):
    list_display = ["detected_at", "user", "count", "threshold"]
    date_hierarchy = "detected_at"
    list_select_related = ["user"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "subject", "sent_at"]
    list_select_related = ["recipient"]


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    list_display = ["recorded_at", "organisation", "kind", "due_at"]
    list_filter = ["kind"]
    list_select_related = ["organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteAdmin):
    """Create a referrer organisation's API key (shown once) and revoke it."""

    list_display = ["organisation", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["organisation"]
    fields = ["organisation", "name"]
    autocomplete_fields = ["organisation"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        token, key = api_token_create(organisation=obj.organisation, name=obj.name, by=request.user)
        obj.pk = token.pk
        messages.warning(
            request,
            _("API key for %(org)s (copy it now, it is not shown again): %(key)s")
            % {"org": token.organisation, "key": key},
        )

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            api_token_revoke(token=token)


# Sign-in security's own tables. Failed sign-ins in progress (django-axes' attempts): the
# administrator reads them and unlocks a username by deleting its row; the sign-in log is
# read-only. The failure log is off (AXES_ENABLE_ACCESS_FAILURE_LOG), and nobody, not
# even the administrator, sees the authenticator keys: a lost phone is reset from the
# user's profile instead.
admin.site.unregister(AccessFailureLog)
admin.site.unregister(TOTPDevice)
