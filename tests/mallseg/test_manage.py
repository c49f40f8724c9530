"""manage.py ends a command without the interpreter's teardown, and loses nothing by it."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENVIRONMENT = {**os.environ, "DJANGO_SETTINGS_MODULE": "mallseg.settings_test"}


def python(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments], cwd=REPO, env=ENVIRONMENT, capture_output=True, text=True, timeout=120
    )


def test_a_command_prints_what_it_prints_when_python_tears_down():
    through_manage = python("manage.py", "spectacular")
    torn_down = python(
        "-c",
        "from django.core.management import execute_from_command_line as run; "
        "run(['manage.py', 'spectacular'])",
    )

    assert through_manage.returncode == torn_down.returncode == 0
    assert through_manage.stdout == torn_down.stdout
    assert len(through_manage.stdout.splitlines()) > 1000


def test_a_command_error_exits_with_its_status_and_message():
    refused = python("manage.py", "startapp", "1bad")
    misused = python("manage.py", "segment", "--algorithm", "nonsense")

    assert refused.returncode == 1 and "'1bad' is not a valid app name" in refused.stderr
    assert misused.returncode == 2 and "invalid choice: 'nonsense'" in misused.stderr


def test_leaving_waits_for_threads_runs_exit_handlers_and_flushes_output():
    script = textwrap.dedent(
        """
        import atexit, threading, time
        import manage

        atexit.register(lambda: print("exit handler ran"))
        threading.Thread(target=lambda: (time.sleep(0.2), print("thread finished"))).start()
        print("unflushed", end=" ")
        manage.exit_without_teardown("gone wrong")
        """
    )
    left = python("-c", script)

    assert left.returncode == 1
    assert left.stderr == "gone wrong\n"
    assert left.stdout.split() == ["unflushed", "thread", "finished", "exit", "handler", "ran"]
