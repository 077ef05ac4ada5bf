from django.urls import path

from desk.accounts import apis

urlpatterns = [
    path("register/", apis.RegisterApi.as_view(), name="auth-register"),
    path("token/", apis.TokenObtainApi.as_view(), name="auth-token"),
    path("token/refresh/", apis.TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("me/", apis.MeApi.as_view(), name="auth-me"),
    path("logout/", apis.LogoutApi.as_view(), name="auth-logout"),
    path("password/change/", apis.PasswordChangeApi.as_view(), name="auth-password-change"),
    path("password/reset/", apis.PasswordResetApi.as_view(), name="auth-password-reset"),
    path("password/reset/check/", apis.PasswordResetCheckApi.as_view(), name="auth-password-reset-check"),
    path("password/reset/confirm/", apis.PasswordResetConfirmApi.as_view(), name="auth-password-reset-confirm"),
]
