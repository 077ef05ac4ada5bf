from django.urls import path

from desk.people import apis

urlpatterns = [
    path("me/export/", apis.AccountExportApi.as_view(), name="auth-me-export"),
    path("me/delete/", apis.AccountDeleteApi.as_view(), name="auth-me-delete"),
    path("users/", apis.UserListCreateApi.as_view(), name="user-list"),
    path("users/<str:user_id>/", apis.UserDetailApi.as_view(), name="user-detail"),
    path("users/<str:user_id>/deactivate/", apis.UserDeactivateApi.as_view(), name="user-deactivate"),
]
