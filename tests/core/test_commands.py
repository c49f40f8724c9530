"""Every command of the portal's own apps starts with the model checks only (core.commands)."""

from django.core.management import get_commands, load_command_class

from core.commands import DataCommand

OWN_APPS = {"accounts", "core", "customers", "predictions", "rfm", "segmentation"}


def test_every_own_command_is_a_data_command():
    own = {name: app for name, app in get_commands().items() if app in OWN_APPS}
    assert "segment" in own
    for name, app in own.items():
        assert isinstance(load_command_class(app, name), DataCommand), name
