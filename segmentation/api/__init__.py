"""REST API of segmentation, one module per resource.

- ``playbook``: personas and campaigns;
- ``segments``: segments of a run, their members and audience export;
- ``runs``: start, watch, activate and cancel runs;
- ``predict``: the segment and campaigns for a shopper's values;
- ``customers``: the customer endpoint of the customer book, extended with what segmentation
  knows of a customer (``?segment=`` and ``customers/{id}/segment/``).
"""
