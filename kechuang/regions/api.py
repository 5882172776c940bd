"""API of the region tree."""

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from kechuang.core.access import restrict

from .models import Population, Region

router = Router(tags=[_("行政区划")])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class PopulationOut(Schema):
    region_code: str
    year: int
    resident: int

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code


@router.get("/", response=list[RegionOut], summary=_("行政区划列表"))
def region_list(request, selectable: bool = False):
    qs = restrict(Region, request.user).select_related("parent").order_by("path")
    return qs.selectable() if selectable else qs


@router.get("/population", response=list[PopulationOut], summary=_("常住人口"))
def population_list(request, region: str | None = None, year: int | None = None):
    qs = restrict(Population, request.user).select_related("region")
    if region:
        qs = qs.filter(region__path__contains=f"{region}/")
    if year:
        qs = qs.filter(year=year)
    return qs
