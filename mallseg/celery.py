"""The Celery application. Workers start with ``celery -A mallseg worker``."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mallseg.settings")

app = Celery("mallseg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_embedded_broker_folders(options: dict) -> None:
    """The filesystem transport expects its folders to exist before anyone publishes."""
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_broker(sender: Celery, **kwargs) -> None:
    ensure_embedded_broker_folders(sender.conf.broker_transport_options or {})
