"""Loading the maths libraries ahead of a run (engine.libraries)."""

import sys
import threading

from segmentation.engine import libraries


def loader_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "engine-libraries"]


def test_missing_libraries_load_in_a_thread_of_their_own(monkeypatch):
    monkeypatch.setattr(libraries, "RUN_LIBRARIES", ("colorsys", "json"))
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)

    libraries.load_libraries_in_background()
    for thread in loader_threads():
        thread.join(timeout=10)

    assert "colorsys" in sys.modules


def test_nothing_starts_when_every_library_is_loaded(monkeypatch):
    monkeypatch.setattr(libraries, "RUN_LIBRARIES", ("json",))
    started = []
    monkeypatch.setattr(libraries.threading, "Thread", lambda **kwargs: started.append(kwargs))

    libraries.load_libraries_in_background()

    assert started == []
