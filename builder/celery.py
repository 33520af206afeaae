"""The Celery app: `celery -A builder.celery worker`.

Configured from Django settings (CELERY_*): a Redis broker with REDIS_URL, otherwise
the `filesystem://` broker under var/celery/, which needs no server.
"""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "builder.settings")

app = Celery("builder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
    path = app.conf.broker_transport_options.get(folder)
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
