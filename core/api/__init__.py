"""The REST API's plumbing shared by every app: permissions, pagination, strict fields and
filters, the error handler and its documented refusals, and URL helpers."""
