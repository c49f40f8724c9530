"""Capping the maths libraries' thread pools (the ENGINE_THREADS setting), and computing in the
background while the caller waits on something else."""

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from threadpoolctl import threadpool_limits

T = TypeVar("T")


@contextmanager
def maths_threads_limited(threads: int) -> Iterator[None]:
    """Cap the BLAS and OpenMP thread pools of numpy, SciPy and scikit-learn at ``threads`` for the block.

    threadpoolctl limits only the pools loaded when the limit is set, and the engines import
    scikit-learn only when they compute: without importing it first, the first computation in a
    process ran OpenMP and SciPy's BLAS on every core, whatever the setting. (So the pools are
    looked for at every limit, a few milliseconds: a library loaded since would escape a cached list.)
    """
    import sklearn  # noqa: F401  (loads the OpenMP and BLAS runtimes the limit must reach)

    with threadpool_limits(limits=threads):
        yield


@contextmanager
def computed_in_background(compute: Callable[[], T], *, threads: int) -> Iterator[Future[T]]:
    """Run ``compute`` in a thread of its own, its maths capped at ``threads``, while the block does
    something else: waits on the database, say, which leaves a core free. The future gives what
    ``compute`` returned or raises what it raised; leaving the block waits for the thread.

    The cap is process-wide, so the block must not compute with the maths libraries itself, and
    ``compute`` must not use the database: the thread would open a connection of its own, outside
    the caller's transaction.
    """

    def capped() -> T:
        with maths_threads_limited(threads):
            return compute()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="maths") as executor:
        yield executor.submit(capped)
