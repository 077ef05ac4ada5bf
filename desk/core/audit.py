"""Recording the audit trail (see desk.core.models.AuditEntry)."""

from __future__ import annotations

from typing import Any

from desk.core.models import AuditEntry


def audit_record(*, actor: Any, action: str, target: Any = None, details: dict[str, Any] | None = None) -> AuditEntry:
    """Write one audit entry, in the caller's transaction (so it exists exactly when the action does)."""
    target_type = target._meta.label_lower if target is not None and hasattr(target, "_meta") else ""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", "") or "",
        action=action,
        target_type=target_type,
        target_id=str(getattr(target, "pk", "") or ""),
        details=details or {},
    )
