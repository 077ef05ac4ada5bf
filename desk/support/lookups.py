"""`tags__has_tag="vip"`: a ticket carries a tag, on every database we support.

PostgreSQL answers with JSONB containment (served by a GIN index); SQLite with `json_each`.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.models import Lookup


@models.JSONField.register_lookup
class HasTag(Lookup):
    lookup_name = "has_tag"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608 - lhs is a column
        return sql, (*params, str(self.rhs))

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", (*params, json.dumps([str(self.rhs)]))
