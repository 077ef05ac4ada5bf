"""Auth endpoints: register, token, token refresh, me."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from desk.accounts.models import User
from desk.accounts.services import user_register
from desk.core.apis import BaseApi, ThrottleFirstMixin
from desk.core.schema import error_responses


class UserOutput(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "name", "role", "is_staff", "is_active", "date_joined"]
        read_only_fields = fields


class UserBrief(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "name"]
        read_only_fields = fields


class RegisterApi(BaseApi):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField(max_length=254)
        password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
        first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
        last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="auth_register",
        request=InputSerializer,
        responses={201: UserOutput, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_register(**data.validated_data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class MeApi(BaseApi):
    @extend_schema(operation_id="auth_me", responses={200: UserOutput, **error_responses(401, 429)})
    def get(self, request: Request) -> Response:
        return Response(UserOutput(request.user).data)


class TokenObtainApi(ThrottleFirstMixin, jwt_views.TokenObtainPairView):
    @extend_schema(
        operation_id="auth_token",
        responses={200: jwt_views.TokenObtainPairView.serializer_class, **error_responses(400, 401, 429)},
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class TokenRefreshApi(ThrottleFirstMixin, jwt_views.TokenRefreshView):
    @extend_schema(
        operation_id="auth_token_refresh",
        responses={200: jwt_views.TokenRefreshView.serializer_class, **error_responses(400, 401, 429)},
        auth=[],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)
