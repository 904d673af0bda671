"""Periodic work of resident services, found by huey under the app `care`: each part's tasks."""

from .soup import tasks as soup_tasks  # noqa: F401
from .stations import tasks as stations_tasks  # noqa: F401
