"""Routes of the bare-SQL limit views; config/urls.py includes them only when BENCH_LIMIT_VIEWS=1."""

from django.urls import path

from bench import limit_views

urlpatterns = [
    path("bench/limit/tickets/", limit_views.ticket_list, name="bench-limit-ticket-list"),
    path("bench/limit/tickets/<str:ticket_id>/", limit_views.ticket_detail, name="bench-limit-ticket-detail"),
]
