"""huey finds each app's `tasks` module: the periodic jobs of every part of `care` are gathered here."""

from .soup.tasks import create_soup_rounds, flag_unreached_recipients  # noqa: F401
