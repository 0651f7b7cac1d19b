"""Field shapes the flagship models share."""

from django.core.validators import MaxValueValidator, MinValueValidator

POINTS = {"max_digits": 7, "decimal_places": 2}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
