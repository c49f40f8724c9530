"""The steps of the load benchmark that run in a process of their own (Django settings from the
environment). The data comes from ``bench.pages_steps prepare``.

Steps:
    credentials             a logged-in session and an API token for the bench user, and the ids
                            of a deep customer and the largest segment
    runs SECONDS            start and execute 1,000,000-customer runs back to back for SECONDS,
                            as a worker would; report how many finished and how
"""

import time

from bench.common import Step, run_step_from_command_line
from bench.pages_steps import FEATURES, USERNAME


def credentials() -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    from customers.models import Customer
    from segmentation.models import SegmentationRun

    user = User.objects.get(username=USERNAME)
    session = SessionStore()
    session[SESSION_KEY], session[HASH_SESSION_KEY] = str(user.pk), user.get_session_auth_hash()
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.create()
    largest = SegmentationRun.objects.active().segments.order_by("number").first()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "token": Token.objects.get_or_create(user=user)[0].key,
        "deep_customer": Customer.objects.order_by("-id").values_list("id", flat=True)[500],
        "largest_segment": largest.pk,
    }


def runs_for(seconds: float) -> dict:
    """Runs back to back until ``seconds`` have passed (the last one is let finish)."""
    import django

    django.setup()
    from segmentation.models import SegmentationRun
    from segmentation.services.execution import segmentation_run_execute
    from segmentation.services.runs import segmentation_run_start

    deadline, durations, statuses = time.monotonic() + seconds, [], []
    while time.monotonic() < deadline:
        run = segmentation_run_start(started_by=None, features=FEATURES, enqueue=False)
        start = time.perf_counter()
        segmentation_run_execute(run_id=run.pk)
        durations.append(time.perf_counter() - start)
        statuses.append(SegmentationRun.objects.get(pk=run.pk).status)
    return {"durations": durations, "statuses": statuses}


STEPS: dict[str, Step] = {
    "credentials": (credentials, []),
    "runs": (runs_for, [("seconds", float)]),
}

if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
