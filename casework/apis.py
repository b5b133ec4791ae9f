from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import permissions
from .schema import error_responses


class MeApi(APIView):
    """Who am I, and in which organisations and roles (used by API clients to check tokens)."""

    @extend_schema_serializer(component_name="Me")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField()
        memberships = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses={200: OutputSerializer, **error_responses(401)})
    def get(self, request):
        scope = permissions.scope_for(request.user)
        data = {
            "id": request.user.pk,
            "username": request.user.username,
            "full_name": request.user.full_name,
            "memberships": [
                {"organisation_id": m.organisation_id, "role": m.role, "district_id": m.district_id}
                for m in sorted(scope.memberships, key=lambda m: (m.organisation_id, m.role))
            ],
        }
        return Response(self.OutputSerializer(data).data)
