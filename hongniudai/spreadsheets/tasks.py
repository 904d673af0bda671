"""Background work of the import jobs (huey; inline under the test settings)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from . import jobs


@db_task()
def validate_job(job_id: int) -> None:
    jobs.run_validation(job_id)


@db_task()
def import_job(job_id: int) -> None:
    jobs.run_import(job_id)
