"""A median aggregate for both databases: PostgreSQL's percentile_cont, and a Python aggregate
registered on each SQLite connection."""

from __future__ import annotations

import statistics
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField
from django.dispatch import receiver


class Median(Aggregate):
    function = "DESK_MEDIAN"
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        expression = self.get_source_expressions()[0]
        sql, params = compiler.compile(expression)
        return f"PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {sql})", list(params)


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return statistics.median(self.values) if self.values else None


@receiver(connection_created, dispatch_uid="desk_sqlite_median")
def _register_sqlite_median(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("DESK_MEDIAN", 1, _SqliteMedian)
