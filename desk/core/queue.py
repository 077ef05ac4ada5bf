"""The task queue by name: a domain wakes its own background work without importing its task
module (which imports the domain), so no import circle forms."""

from __future__ import annotations

from typing import Any

from celery import current_app


def task_named(name: str) -> Any:
    """The registered Celery task `name`, loading the apps' task modules first if needed."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
    return current_app.tasks[name]
