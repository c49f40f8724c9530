"""The base of mallseg's own management commands."""

from django.core import checks
from django.core.management.base import BaseCommand


class DataCommand(BaseCommand):
    """A command that reads and writes the portal's data (imports, runs, forecasts, seeding).

    Before it starts it runs the model checks only: the URL, template and security checks concern
    the web site, and importing everything they look at (the URL configuration and every view, the
    API schema's included) costs about half a second of each command's start-up. ``manage.py
    check`` (and ``check --deploy``) run them all, and so does the web server as it starts.
    """

    requires_system_checks = [checks.Tags.models]
