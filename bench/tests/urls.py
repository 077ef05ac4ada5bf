"""The project's routes with the bench limit views mounted, as BENCH_LIMIT_VIEWS=1 does."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("bench.urls")), *project_urlpatterns]
