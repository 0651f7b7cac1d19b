# Flagship eligibility checks the six-good and five-force standing (#18 item 3).

import django.core.validators
from decimal import Decimal
from django.db import migrations, models

HELP = (
    "申报单位最近一期已发布的六好党支部和品牌五力结果，均须位居全省该期结果的前列"
    "（名次不超过总数 × 此比例，向上取整）；留空不检查排名。"
)


def share_field(**default):
    return models.DecimalField(
        blank=True,
        decimal_places=2,
        help_text=HELP,
        max_digits=7,
        null=True,
        validators=[
            django.core.validators.MinValueValidator(0),
            django.core.validators.MaxValueValidator(100),
        ],
        verbose_name="六好、五力排名前列比例(%)",
        **default,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("flagship", "0003_candidacy_unit_label"),
    ]

    # Cycles that exist keep the rules they were opened with (None: no standing check);
    # a new cycle starts at 30 %.
    operations = [
        migrations.AddField(
            model_name="flagshipcycle", name="standing_top_share", field=share_field()
        ),
        migrations.AlterField(
            model_name="flagshipcycle",
            name="standing_top_share",
            field=share_field(default=Decimal("30")),
        ),
    ]
