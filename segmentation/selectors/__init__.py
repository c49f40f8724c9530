"""Read-side queries of segmentation. They never write.

- ``features``: the features a run may use, built-in and declared attributes;
- ``frames``: the customer book as the engine's input (bulk reads, no ORM objects per row);
- ``runs``: runs as their watchers see them, chart data, a run's outcome;
- ``segments``: segments with their personas, members and audiences;
- ``matches``: a customer's or a shopper's segment, with the campaigns to offer and why.
"""
