"""Background jobs: work a Celery worker does for a user, tracked on a database row.

A segmentation run and a customer import are both jobs (``models.Job``). Whoever starts one
creates the row (queued) and publishes a task once the transaction commits; a worker claims
the row (queued → running) so that a message delivered twice does the work once, writes its
progress and a heartbeat as it goes, and finishes it (succeeded, failed with a message that
says why, or abandoned when a user cancelled it). ``lifecycle`` holds these steps, the
per-user limit, cancelling, and the watchdog that fails jobs whose worker or message was lost.
"""
