"""Who may use the staff workspace and change its shared things."""

from __future__ import annotations

from desk.accounts.models import User
from desk.accounts.permissions import ensure_staff, is_admin, staff_only
from desk.core.errors import PermissionDenied
from desk.workspace.models import CannedResponse

WORKSPACE_STAFF_ONLY = "Only staff may use the staff workspace."

# For the workspace's views: customer-side users are refused before anything else is looked at.
WorkspaceStaffOnly = staff_only(WORKSPACE_STAFF_ONLY)


def ensure_workspace_user(user: User) -> None:
    ensure_staff(user, WORKSPACE_STAFF_ONLY)


def may_edit_canned(response: CannedResponse, user: User) -> bool:
    """The author edits their responses; an admin may also edit shared ones."""
    return response.owner_id == user.pk or (response.shared and is_admin(user))


def ensure_may_edit_canned(response: CannedResponse, user: User) -> None:
    if not may_edit_canned(response, user):
        raise PermissionDenied("Only the author or an admin may change a shared response.")
