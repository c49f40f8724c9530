#!/usr/bin/env python
import atexit
import os
import sys
import threading
from typing import NoReturn


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mallseg.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except SystemExit as leaving:
        exit_without_teardown(leaving.code)
    exit_without_teardown(0)


def exit_without_teardown(code: int | str | None) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, less the interpreter's teardown.

    Python tears every module and object down before it exits, and once pandas, SciPy and
    scikit-learn are loaded that takes about a second: a second of every ``segment`` command.
    Nothing is lost by skipping it: other threads are waited for, the exit handlers run (logging
    flushes, pools stop) and the standard streams are flushed, as on a normal exit. An uncaught
    exception still leaves the usual way, with its traceback.
    """
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
