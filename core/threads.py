"""Capping the maths libraries' thread pools for one computation (the ENGINE_THREADS setting)."""

from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits


@contextmanager
def maths_threads_limited(threads: int) -> Iterator[None]:
    """Cap the BLAS and OpenMP thread pools of numpy, SciPy and scikit-learn at ``threads`` for the block.

    threadpoolctl limits only the pools loaded when the limit is set, and the engines import
    scikit-learn only when they compute: without importing it first, the first computation in a
    process ran OpenMP and SciPy's BLAS on every core, whatever the setting.
    """
    import sklearn  # noqa: F401  (loads the OpenMP and BLAS runtimes the limit must reach)

    with threadpool_limits(limits=threads):
        yield
