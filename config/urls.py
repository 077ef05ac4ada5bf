from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from desk.core import views as core_views
from desk.mail import urls as mail_urls

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/auth/", include("desk.accounts.urls")),
    path("api/auth/", include("desk.people.urls")),  # account export and deletion, the users API
    path("api/support/", include("desk.workspace.urls")),  # first: tickets/bulk/ before tickets/<id>/
    path("api/support/", include("desk.support.urls")),
    path("api/support/", include("desk.sla.urls")),  # calendars and SLA policies
    path("api/notifications/", include("desk.notifications.urls")),
    path("api/", include(mail_urls.inbound_urlpatterns)),
    path("api/support/", include(mail_urls.support_urlpatterns)),
    # Provider webhooks for inbound mail (django-anymail), e.g. /anymail/mailgun/inbound/.
    path("anymail/", include(mail_urls.webhook_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the docs work under a strict CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Unknown API paths answer in the error format rather than falling through to the web app.
    re_path(r"^api(?:/.*)?$", core_views.not_found),
    # Everything else is a route of the web app (deep links and reloads).
    re_path(r"^(?!static/|media/|admin/|anymail/|healthz).*$", core_views.spa, name="spa"),
]
if settings.BENCH_LIMIT_VIEWS:  # the benchmark's bare-SQL limit views (bench/README.md)
    urlpatterns.insert(0, path("", include("bench.urls")))

handler400 = "desk.core.views.bad_request"
handler403 = "desk.core.views.permission_denied"
handler404 = "desk.core.views.not_found"
handler500 = "desk.core.views.server_error"
