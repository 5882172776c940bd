"""Reads of the region tree."""

from kechuang.core.access import restrict

from .choices import RegionLevel
from .models import Population, Region


def region_choices_for(user, *, levels=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP)):
    """Selectable (not abolished) regions inside the user's scope, for forms."""
    qs = Region.objects.selectable().filter(level__in=levels)
    if user.region_id:
        qs = qs.filter(path__startswith=user.region.path)
    return qs.order_by("path")


def region_list(*, user):
    return restrict(Region, user).select_related("parent").order_by("path")


def population_of(*, user, year: int):
    """The population rows of one year the user may see, for annotating a region list."""
    return restrict(Population, user).filter(year=year)
