"""Loading the maths libraries ahead of a run.

The engine imports scikit-learn, SciPy and kneed inside the functions that use them (see the
package's docstring), so the first run in a process pays their import, about a second, in the
middle of its computation. A caller about to wait on something else (a run reading a million
customers waits on the database) can have them load meanwhile.
"""

import importlib
import sys
import threading

RUN_LIBRARIES = ("sklearn.cluster", "sklearn.metrics", "kneed")


def load_libraries_in_background() -> None:
    """Start importing RUN_LIBRARIES in a daemon thread and return at once.

    An import the run makes before they are loaded waits for this one (Python locks each module
    while it loads); where they are already loaded, as in a worker after its first run, nothing
    starts. Should an import fail here, the run's own import raises the error where it is needed.
    """
    missing = [name for name in RUN_LIBRARIES if name not in sys.modules]
    if missing:
        threading.Thread(target=_import_all, args=(missing,), name="engine-libraries", daemon=True).start()


def _import_all(names: list[str]) -> None:
    for name in names:
        importlib.import_module(name)
