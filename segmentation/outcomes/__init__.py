"""Campaign outcomes: who was sent which campaign (or held back in its control group), and what came
of it; imported from files, measured by segment, and used to rank a segment's campaigns.

- ``columns`` and ``checks``: an outcome file's columns and the checks of each chunk of rows;
- ``importing``: the use case of importing a file (registered as the import kind ``outcomes``);
- ``results``: response rate, revenue per send and lift against the control group, by segment;
- ``ranking``: a segment's campaigns in order of measured results, once there are enough;
- ``demo``: synthetic outcomes for the demo book.
"""
