"""Helpers of the registry APIs: the codes a payload names, turned into the records they name (kept in orgs,
as core does not depend on the apps).

A code that names nothing the caller may use is a ``ServiceError`` under the payload's field (400).
"""

from django.utils.translation import gettext

from kechuang.core.access import restrict
from kechuang.core.exceptions import ServiceError
from kechuang.core.validators import normalise_uscc
from kechuang.regions.models import Region

from .models import Organisation

__all__ = ["organisation_in_scope", "region_by_code"]


def region_by_code(code: str | None, field: str = "region") -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ServiceError({field: [gettext("区划代码“{code}”不存在").format(code=code)]})
    return region


def organisation_in_scope(user, code: str | None, field: str = "organisation") -> Organisation | None:
    """The organisation of a credit code, among those ``user`` may see."""
    if not code:
        return None
    organisation = restrict(Organisation, user).filter(uscc=normalise_uscc(code)).first()
    if organisation is None:
        message = gettext("统一社会信用代码为“{code}”的单位不存在或不在您的管辖范围内").format(code=code)
        raise ServiceError({field: [message]})
    return organisation
