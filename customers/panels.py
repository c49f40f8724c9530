"""Panels that other apps add to a customer's page, so the customer book needs to know none of them.

An app registers a panel in its ``AppConfig.ready()``: a template, and a function that gives
the template's context for one customer. The customer page renders every panel, in the order
they were registered, below the customer's own values.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from customers.models import Customer


@dataclass(frozen=True)
class CustomerPanel:
    template_name: str
    context: Callable[[Customer], dict]


_panels: list[CustomerPanel] = []


def customer_panel_register(panel: CustomerPanel) -> None:
    """Add ``panel`` to every customer's page (registering the same panel twice adds it once)."""
    if panel not in _panels:
        _panels.append(panel)


def customer_panels_render(*, customer: Customer, request: HttpRequest) -> list[SafeString]:
    """Every registered panel rendered for ``customer``, as HTML."""
    return [
        render_to_string(panel.template_name, panel.context(customer), request=request) for panel in _panels
    ]
