"""The five seed personas and their campaign playbook, from the product brief.

Admins edit them afterwards; this migration only creates what is missing.
"""

from django.db import migrations

from segmentation.migrations._playbook_seeding import remove_playbook, seed_playbook

CAMPAIGNS = {
    "Exclusive offers": (
        "email",
        "Early access to new collections and members-only events.",
        "High earners who already spend freely respond to exclusivity more than to discounts.",
    ),
    "Luxury brand promotions": (
        "in_store",
        "Personal-shopping appointments with the mall's luxury brands.",
        "Their spending shows they buy premium; a tailored visit raises the basket further.",
    ),
    "VIP membership": (
        "loyalty",
        "VIP tier with concierge service, free parking and lounge access.",
        "Recognition keeps the most valuable customers coming back.",
    ),
    "Loyalty programme": (
        "loyalty",
        "Points on every purchase, converted to vouchers at thresholds.",
        "They can afford more but hold back; accumulating rewards gives them a reason to spend here.",
    ),
    "Targeted incentives": (
        "email",
        "Personal offers on categories they browse, with a clear value message.",
        "Careful spenders act on offers that match a need they already have.",
    ),
    "Flash sales": (
        "app",
        "Time-limited sales announced by app notification.",
        "They buy on impulse; urgency turns a visit into a purchase.",
    ),
    "Budget-friendly discounts": (
        "sms",
        "Discount codes on everyday and trend items.",
        "They spend a lot relative to income, so price matters when choosing where to shop.",
    ),
    "Low-cost engagement promotions": (
        "sms",
        "Free coffee or small vouchers with a minimum spend, and family events.",
        "Little income and little spending: a low-cost reason to visit starts the relationship.",
    ),
    "Seasonal bundles": (
        "email",
        "Back-to-school, holiday and season-change bundles at a bundle price.",
        "Average earners and spenders respond to well-timed, good-value packages.",
    ),
    "Personalised newsletter": (
        "email",
        "A monthly newsletter with picks based on past purchases.",
        "Keeps a broad, steady group engaged without discounting.",
    ),
}

PERSONAS = {
    "Premium Shoppers": (
        "High income and high spending: the mall's most valuable customers.",
        {"annual_income": "high", "spending_score": "high"},
        ["Exclusive offers", "Luxury brand promotions", "VIP membership"],
    ),
    "Cautious Spenders": (
        "High income but low spending: they could spend more here, and need a reason to.",
        {"annual_income": "high", "spending_score": "low"},
        ["Loyalty programme", "Targeted incentives"],
    ),
    "Impulse Buyers": (
        "Low income but high spending: enthusiastic shoppers who respond to deals and urgency.",
        {"annual_income": "low", "spending_score": "high"},
        ["Flash sales", "Budget-friendly discounts"],
    ),
    "Minimal Shoppers": (
        "Low income and low spending: occasional visitors to engage cheaply.",
        {"annual_income": "low", "spending_score": "low"},
        ["Low-cost engagement promotions"],
    ),
    "Standard Shoppers": (
        "Middle income and middle spending: the broad, steady core of the customer book.",
        {"annual_income": "mid", "spending_score": "mid"},
        ["Seasonal bundles", "Personalised newsletter"],
    ),
}


def seed_personas(apps, schema_editor):
    seed_playbook(apps, CAMPAIGNS, PERSONAS)


def remove_seed_personas(apps, schema_editor):
    remove_playbook(apps, CAMPAIGNS, PERSONAS)


class Migration(migrations.Migration):
    dependencies = [("segmentation", "0001_initial")]

    operations = [migrations.RunPython(seed_personas, remove_seed_personas)]
