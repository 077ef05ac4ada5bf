from django.urls import path

from desk.notifications import apis

urlpatterns = [
    path("", apis.NotificationListApi.as_view(), name="notification-list"),
    path("unread-count/", apis.NotificationUnreadCountApi.as_view(), name="notification-unread-count"),
    path("read-all/", apis.NotificationReadAllApi.as_view(), name="notification-read-all"),
    path("preferences/", apis.EmailPreferencesApi.as_view(), name="notification-preferences"),
    path("<str:notification_id>/read/", apis.NotificationReadApi.as_view(), name="notification-read"),
]
