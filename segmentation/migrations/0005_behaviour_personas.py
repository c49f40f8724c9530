"""Behaviour personas and their campaign playbook: who buys how recently, how often and how much.

They match segments of runs on behaviour features (recency, frequency, spend, tenure) only.
Admins edit them afterwards; this migration only creates what is missing.
"""

from django.db import migrations

from segmentation.migrations._playbook_seeding import remove_playbook, seed_playbook

CAMPAIGNS = {
    "VIP early access": (
        "app",
        "Early access to sales and new stores, announced in the app before anyone else.",
        "They come often and came recently: being first rewards the habit and keeps it.",
    ),
    "Refer a friend": (
        "email",
        "A voucher for every friend who joins the loyalty programme.",
        "Regulars are the mall's best advocates; a referral reward turns that into new customers.",
    ),
    "Win-back voucher": (
        "email",
        "A personal voucher valid for 30 days, with a 'we miss you' message.",
        "They used to spend a lot but have not bought for a long time: a personal, time-limited "
        "reason to return is the classic win-back.",
    ),
    "Welcome series": (
        "email",
        "Three emails over the first month: the mall's map and services, favourite stores, and an "
        "offer for the second visit.",
        "New customers decide early whether the mall becomes a habit; onboarding turns a first "
        "purchase into a second.",
    ),
    "Second-visit offer": (
        "sms",
        "A small discount on a purchase within the next three weeks.",
        "The step from one purchase to two is the one most customers never take.",
    ),
    "Weekend event invitations": (
        "app",
        "Invitations to weekend events, family days and late openings.",
        "Occasional visitors need a reason to come; events give one without discounting.",
    ),
}

PERSONAS = {
    "Loyal Regulars": (
        "Recent and frequent buyers: the habit the mall wants every customer to have.",
        {"recency_days": "low", "frequency": "high"},
        ["VIP early access", "Refer a friend"],
    ),
    "Lapsed High Spenders": (
        "They spent a lot, but their last purchase was long ago: the customers most worth winning back.",
        {"recency_days": "high", "monetary": "high"},
        ["Win-back voucher"],
    ),
    "New Customers": (
        "Their first purchase was recent: the weeks in which a visit becomes a habit, or does not.",
        {"tenure_days": "low"},
        ["Welcome series", "Second-visit offer"],
    ),
    "Occasional Visitors": (
        "They buy now and then, rarely: a steady group that needs reasons to come more often.",
        {"frequency": "low", "recency_days": "mid"},
        ["Weekend event invitations"],
    ),
}


def seed_personas(apps, schema_editor):
    seed_playbook(apps, CAMPAIGNS, PERSONAS)


def remove_seed_personas(apps, schema_editor):
    remove_playbook(apps, CAMPAIGNS, PERSONAS)


class Migration(migrations.Migration):
    dependencies = [("segmentation", "0004_customers_without_history")]

    operations = [migrations.RunPython(seed_personas, remove_seed_personas)]
