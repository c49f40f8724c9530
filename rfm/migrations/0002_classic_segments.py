"""The eleven classic named RFM segments, as rules on the R and F scores (M any).

The first rule by priority that holds names a customer's segment. Ranges overlap on purpose,
as in the widely used R × F table; this order gives each of the 25 cells of the R × F grid
exactly one segment, and every segment at least one cell:

    R\\F  1              2               3                 4                 5
    5    New Customers  Pot. Loyalists  Pot. Loyalists    Champions         Champions
    4    New Customers  Pot. Loyalists  Pot. Loyalists    Champions         Champions
    3    Promising      About To Sleep  Need Attention    Loyal Customers   Loyal Customers
    2    Hibernating    Hibernating     At Risk           At Risk           At Risk
    1    Lost           Hibernating     At Risk           Can't Lose Them   Can't Lose Them

Admins edit the rules afterwards; this migration only creates the segments that are missing.
"""

from django.db import migrations

# name, priority, (R min, R max), (F min, F max), colour, description
SEGMENTS = [
    ("Champions", 10, (4, 5), (4, 5), "#1a9850",
     "Bought recently, buy often and spend the most. Reward them: early access, new products, "
     "and ask them to spread the word."),
    ("Can't Lose Them", 20, (1, 1), (4, 5), "#b2182b",
     "Used to buy often, but have not come back for a long time. Win them back with a personal "
     "offer or a new product before a competitor does; talk to them."),
    ("Lost", 30, (1, 1), (1, 1), "#7b8494",
     "Last bought long ago and seldom. Try one reach-out campaign to revive interest; otherwise "
     "spend little on them."),
    ("New Customers", 40, (4, 5), (1, 1), "#2166ac",
     "Bought recently, for the first time or nearly. Welcome them: onboarding, a reason to come "
     "back soon."),
    ("Promising", 50, (3, 4), (1, 1), "#67a9cf",
     "Fairly recent shoppers who have not bought much yet. Build awareness; a trial offer or a "
     "first-visit voucher."),
    ("Hibernating", 60, (1, 2), (1, 2), "#a596c8",
     "Last bought a while ago, and seldom. Offer relevant products and special discounts to "
     "recreate interest."),
    ("At Risk", 70, (1, 2), (2, 5), "#e66101",
     "Bought regularly, but not for some time. Bring them back with personal messages, "
     "renewals and helpful offers."),
    ("About To Sleep", 80, (2, 3), (1, 2), "#f1b6a4",
     "Below average recency and frequency: they will be lost unless reactivated. Recommend "
     "popular products and renew with a discount."),
    ("Need Attention", 90, (2, 3), (2, 3), "#f2c14e",
     "Average recency and frequency; not seen very recently. Limited-time offers and "
     "recommendations from their past purchases."),
    ("Potential Loyalists", 100, (3, 5), (1, 3), "#a6d96a",
     "Recent customers who bought more than once. Offer the loyalty programme and recommend "
     "related products."),
    ("Loyal Customers", 110, (2, 5), (3, 5), "#4dac26",
     "Buy regularly and respond to promotions. Upsell higher-value products; ask for reviews."),
]


def seed_segments(apps, schema_editor):
    RfmSegment = apps.get_model("rfm", "RfmSegment")
    for name, priority, (r_min, r_max), (f_min, f_max), colour, description in SEGMENTS:
        RfmSegment.objects.get_or_create(
            name=name,
            defaults={
                "priority": priority,
                "description": description,
                "colour": colour,
                "recency_min": r_min,
                "recency_max": r_max,
                "frequency_min": f_min,
                "frequency_max": f_max,
                "monetary_min": 1,
                "monetary_max": 5,
            },
        )


def remove_segments(apps, schema_editor):
    RfmSegment = apps.get_model("rfm", "RfmSegment")
    RfmSegment.objects.filter(name__in=[name for name, *_ in SEGMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("rfm", "0001_initial")]

    operations = [migrations.RunPython(seed_segments, remove_segments)]
