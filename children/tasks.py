"""Thin Celery tasks of the registry: take ids, call a service, safe to run twice."""

from celery import shared_task

from children.imports import services as imports


@shared_task(name="children.tasks.registry_import_run")
def registry_import_run(import_id: int) -> bool:
    return imports.registry_import_run(import_id=import_id)
