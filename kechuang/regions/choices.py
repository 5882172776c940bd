"""Choices of the regions app."""

from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "地级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"


LEVEL_DEPTH = {RegionLevel.PROVINCE: 0, RegionLevel.PREFECTURE: 1, RegionLevel.COUNTY: 2, RegionLevel.TOWNSHIP: 3}
