"""Reading and checking customer files: format detection, header matching, row validation.

Pure pandas and openpyxl: nothing here touches the database. ``customers.services`` drives
these pieces and ``customers.staging`` writes what they accept.
"""
