"""Use cases of segmentation, one module each. They write; reads live in ``segmentation.selectors``.

- ``runs``: start a run (queued, then enqueued once committed), cancel it, make it active;
- ``execution``: what a worker does with a queued run: claim, compute, report progress, store;
- ``watchdog``: fail the runs whose worker stopped sending heartbeats;
- ``placement``: give customers added after the active run their nearest segment;
- ``playbook``: create, change and delete personas and campaigns.

``segmentation.tasks`` calls ``execution``, ``watchdog`` and ``placement``; ``runs`` enqueues
the execution task. So the imports run one way: runs → tasks → execution.
"""
