"""Shared building blocks with no domain knowledge: base models, errors, bulk I/O, paging, API plumbing.

Every app may import ``core``; ``core`` imports no app of the project.
"""
