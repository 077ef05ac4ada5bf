"""Storage clean-up: a deleted attachment row takes its file with it once the delete commits."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from desk.support.models import Attachment

logger = logging.getLogger(__name__)


def delete_stored_file(storage: Any, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        logger.warning("Could not delete stored file %s", name, exc_info=True)


@receiver(post_delete, sender=Attachment, dispatch_uid="attachment_file_cleanup")
def attachment_file_cleanup(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    if instance.file and instance.file.name:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: delete_stored_file(storage, name))
