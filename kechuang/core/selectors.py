"""Reads of the core app: the change history shown beside a record."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kechuang.accounts.roles import role_allows

from .access import restrict
from .models import AuditLog

# Reading a record's history is its own right (core.history in accounts/roles.py): the bureau roles, and an
# organisation's users for their own records. The audit administrator reads the whole trail at /audit/.
HISTORY = "core.history"


def record_history(*, user, records: models.QuerySet, limit: int = 50):
    """Audit rows of those ``records`` the user may see, newest first, if the user may read histories at all."""
    if not role_allows(user.role, HISTORY, "view"):
        return AuditLog.objects.none()
    ids = [str(pk) for pk in restrict(records, user).values_list("pk", flat=True)]
    content_type = ContentType.objects.get_for_model(records.model)
    rows = AuditLog.objects.filter(content_type=content_type, object_id__in=ids).select_related("actor", "content_type")
    return rows.order_by("-time", "-id")[:limit]
