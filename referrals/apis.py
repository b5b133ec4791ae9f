"""REST API for referring organisations' systems: one class per operation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import api
from casework.models import District, Organisation, OrganisationKind, Role
from casework.permissions import scope_for, visible_to
from casework.schema import error_responses
from casework.services.audit import audit_read_record

from . import permissions, services
from .models import Channel, ConcernCategory, ReferralKind, Status


class ReferralOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=ReferralKind.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    external_reference = serializers.CharField()
    received_at = serializers.DateTimeField()
    transfer_due_at = serializers.DateTimeField(allow_null=True)
    transferred_at = serializers.DateTimeField(allow_null=True)
    picked_up_at = serializers.DateTimeField(allow_null=True)
    # The sender keeps seeing what it sent: a duplicate archived by guardianship says so.
    archived_at = serializers.DateTimeField(allow_null=True)


def _sender(request) -> Organisation:
    scope = scope_for(request.user)
    ids = scope.organisations_with(frozenset({Role.REFERRER}))
    organisation = Organisation.objects.filter(pk__in=ids).order_by("pk").first()
    if organisation is None:
        raise PermissionDenied(_("Only referring organisations submit referrals through the API."))
    return organisation


class ReferralCreateApi(APIView):
    """Submit a concern or a police registration notice.

    Send the same `external_reference` again and you get the referral already registered
    (200) instead of a duplicate (201).
    """

    @extend_schema_serializer(component_name="ReferralCreate")
    class InputSerializer(api.InputSerializer):
        kind = serializers.ChoiceField(choices=ReferralKind.choices)
        external_reference = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default=""
        )
        district_code = serializers.CharField(
            max_length=16, required=False, help_text=_("Defaults to the sender's district.")
        )
        child_name = serializers.CharField(
            max_length=300, required=False, allow_blank=True, default=""
        )
        child_birth_date = serializers.DateField(required=False, allow_null=True, default=None)
        child_age = serializers.IntegerField(
            min_value=0, max_value=17, required=False, allow_null=True, default=None
        )
        family_name = serializers.CharField(
            max_length=300, required=False, allow_blank=True, default=""
        )
        address = serializers.CharField(
            max_length=500, required=False, allow_blank=True, default=""
        )
        categories = serializers.ListField(
            child=serializers.ChoiceField(choices=ConcernCategory.choices),
            required=False,
            default=list,
            max_length=9,
        )
        threat_to_life = serializers.BooleanField(required=False, default=False)
        narrative = serializers.CharField(max_length=20000)
        registered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
        police_unit = serializers.CharField(
            max_length=300, required=False, allow_blank=True, default=""
        )
        inspector = serializers.CharField(
            max_length=300, required=False, allow_blank=True, default=""
        )
        ground = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        registration_number = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default=""
        )

        def validate(self, data):
            if data["kind"] == ReferralKind.POLICE_NOTICE:
                errors = {
                    name: _("Required for a police registration notice.")
                    for name in ("registered_at", "police_unit")
                    if not data.get(name)
                }
                if errors:
                    raise serializers.ValidationError(errors)
                if data["registered_at"] > timezone.now():
                    raise serializers.ValidationError(
                        {"registered_at": _("The registration time is in the future.")}
                    )
            if not (data["child_name"] or data["family_name"] or data["address"]):
                raise serializers.ValidationError(
                    {"child_name": _("Give at least the child's name, the family or an address.")}
                )
            return data

    @extend_schema(
        request=InputSerializer,
        examples=[
            OpenApiExample(
                "A school's concern",
                request_only=True,
                value={
                    "kind": ReferralKind.CONCERN,
                    "external_reference": "MIS-2026-0042",
                    "child_name": "Аружан Синтетикова",
                    "child_age": 11,
                    "categories": [ConcernCategory.SCHOOL_ABSENCE],
                    "narrative": "Не посещает школу две недели, классный руководитель не может "
                    "связаться с семьёй.",
                },
            ),
            OpenApiExample(
                "A police registration notice",
                request_only=True,
                value={
                    "kind": ReferralKind.POLICE_NOTICE,
                    "external_reference": "KUSP-17/2026",
                    "family_name": "Синтетиковы",
                    "address": "ул. Примерная, 1",
                    "narrative": "Семья поставлена на профилактический учёт.",
                    "registered_at": "2026-03-20T10:00:00+05:00",
                    "police_unit": "ОП Алмалинского района",
                    "inspector": "Инспектор (синтетический)",
                    "ground": "Профилактический учёт",
                    "registration_number": "42/2026",
                },
            ),
        ],
        responses={
            200: ReferralOutputSerializer,
            201: ReferralOutputSerializer,
            **error_responses(400, 401, 403, 415),
        },
    )
    def post(self, request):
        organisation = _sender(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if (
            data["kind"] == ReferralKind.POLICE_NOTICE
            and organisation.kind != OrganisationKind.POLICE
        ):
            raise ApiValidationError({"kind": [_("Only police units send registration notices.")]})
        district = self._district(data.pop("district_code", None), organisation)
        try:
            referral, created = services.referral_create(
                data=services.ReferralInput(
                    **data, district=district, channel=Channel.API, source_organisation=organisation
                ),
                by=request.user,
            )
        except DjangoValidationError as error:
            raise ApiValidationError(
                getattr(error, "message_dict", {"detail": error.messages})
            ) from error
        return Response(
            ReferralOutputSerializer(referral).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @staticmethod
    def _district(code: str | None, organisation: Organisation) -> District:
        if not code:
            return organisation.district
        district = District.objects.filter(code=code).first()
        if district is None:
            raise ApiValidationError({"district_code": [_("Unknown district code.")]})
        return district


class StrictPageNumberPagination(PageNumberPagination):
    """`?page=` must be a page number: DRF takes an empty one for page 1, which the schema
    (an integer) does not allow, so it is refused like any other page that is not there."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param, None) == "":
            raise NotFound(self.invalid_page_message.format(page_number="", message=""))
        return super().get_page_number(request, paginator)


class ReferralListApi(APIView):
    """The sender's own referrals, newest first, 50 a page."""

    # Declared on the view so that the schema describes the real, paginated response.
    pagination_class = StrictPageNumberPagination

    @extend_schema(
        responses={200: ReferralOutputSerializer(many=True), **error_responses(401, 404)}
    )
    def get(self, request):
        queryset = visible_to(request.user, permissions.REFERRALS).order_by("-received_at", "-pk")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(ReferralOutputSerializer(page, many=True).data)


class ReferralDetailApi(APIView):
    """One referral's status; anything not yours is 404."""

    @extend_schema(responses={200: ReferralOutputSerializer, **error_responses(401, 403, 404)})
    def get(self, request, pk: int):
        referral = permissions.get_referral_for_user_or_404(request.user, pk)
        audit_read_record(request=request, obj=referral)
        return Response(ReferralOutputSerializer(referral).data)
