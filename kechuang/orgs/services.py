"""Writes to the organisation master file; every one is checked by restrict() and audited."""

from django.db import transaction
from django.utils.translation import gettext
from pypinyin import Style, lazy_pinyin

from kechuang.accounts.choices import RegistrationStatus
from kechuang.accounts.roles import ORG_ROLES
from kechuang.core.access import AccessDenied, ensure_may
from kechuang.core.exceptions import ServiceError
from kechuang.core.i18n import join_list
from kechuang.core.services import record_create, record_delete, record_update
from kechuang.core.validators import normalise_uscc, uscc_error

from .choices import FigureSource, OrgStatus
from .models import AnnualFigures, Certificate, Organisation, PoolMembership, ServiceRecord


def pinyin_initials(name: str) -> str:
    """Lower-case pinyin initials of a Chinese name: 鹿寨县科技局 → lzxkjj; letters and digits are kept as they are
    (ABC科技 → abckj), other characters dropped."""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: [c for c in chars if c.isalnum()])
    return "".join(part[0] for part in parts if part).lower()


def _prepare(organisation: Organisation) -> None:
    organisation.uscc = normalise_uscc(organisation.uscc)
    organisation.name = organisation.name.strip()
    organisation.name_initials = pinyin_initials(organisation.name)


def organisation_create(*, actor, **fields) -> Organisation:
    organisation = Organisation(**fields)
    _prepare(organisation)
    return record_create(actor=actor, instance=organisation, check=actor is not None)


# Identity and classification belong to the bureau; an organisation's own users keep the rest current.
BUREAU_OWNED_FIELDS = ("kind", "uscc", "name", "region", "status", "above_scale", "hitech_domain")


def _refuse_bureau_fields(actor, organisation: Organisation, data: dict) -> None:
    if actor is None or actor.role not in ORG_ROLES:
        return
    canonical = {"uscc": normalise_uscc, "name": str.strip}
    changed = [
        name
        for name in BUREAU_OWNED_FIELDS
        if name in data and canonical.get(name, lambda v: v)(data[name]) != getattr(organisation, name)
    ]
    if changed:
        labels = join_list(Organisation._meta.get_field(name).verbose_name for name in changed)
        raise AccessDenied(gettext("单位用户不能修改{fields}，请联系科技局").format(fields=labels))


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, data: dict) -> Organisation:
    """Change an organisation; a new name pushes the old one onto the former names (曾用名)."""
    stored = Organisation.objects.get(pk=organisation.pk)
    _refuse_bureau_fields(actor, stored, data)
    old_name = stored.name
    new_name = data.get("name", old_name).strip()
    data = {**data, "name": new_name}
    former = data.get("former_names", stored.former_names)
    if new_name != old_name and old_name not in former:
        data["former_names"] = [*former, old_name]
    if "uscc" in data:
        data["uscc"] = normalise_uscc(data["uscc"])
    data["name_initials"] = pinyin_initials(new_name)
    return record_update(actor=actor, instance=organisation, data=data, check=actor is not None)


def organisation_delete(*, actor, organisation: Organisation) -> None:
    ensure_may(actor, "delete", organisation)
    if organisation.users.exists():
        raise ServiceError(gettext("该单位下还有用户账号，不能删除；可将状态改为“注销”或“迁出”"))
    record_delete(actor=actor, instance=organisation)


def organisation_for_registration(*, uscc: str, name: str, region) -> Organisation:
    """The organisation an enterprise registers for: the existing record, or a new one pending approval."""
    if error := uscc_error(uscc):
        raise ServiceError({"uscc": [error]})
    existing = Organisation.objects.filter(uscc=normalise_uscc(uscc)).first()
    if existing is not None:
        if existing.users.exclude(registration_status=RegistrationStatus.REJECTED).exists():
            raise ServiceError({"uscc": [gettext("该统一社会信用代码已有注册账号，请联系本单位管理员或科技局")]})
        return existing
    return organisation_create(actor=None, uscc=uscc, name=name, region=region, status=OrgStatus.PENDING)


def organisation_activate(*, actor, organisation: Organisation) -> Organisation:
    if organisation.status != OrgStatus.PENDING:
        return organisation
    return record_update(actor=actor, instance=organisation, data={"status": OrgStatus.ACTIVE})


def figures_save(*, actor, organisation: Organisation, year: int, data: dict, replace: bool = True) -> AnnualFigures:
    """Create or update one organisation's figures for one year (``replace=False``: only create).

    Figures an organisation's own users enter are always marked as reported by the enterprise (企业填报)."""
    if actor is not None and actor.role in ORG_ROLES:
        data = {**data, "source": FigureSource.REPORT}
    existing = AnnualFigures.objects.filter(organisation=organisation, year=year).first()
    if existing is not None and not replace:
        raise ServiceError({"year": [gettext("{year} 年度的数据已存在，请在列表中点“编辑”修改").format(year=year)]})
    if existing is None:
        return record_create(
            actor=actor, instance=AnnualFigures(organisation=organisation, year=year, **data), check=actor is not None
        )
    return record_update(actor=actor, instance=existing, data=data, check=actor is not None)


def figures_delete(*, actor, figures: AnnualFigures) -> None:
    record_delete(actor=actor, instance=figures)


def child_create(*, actor, model, **fields):
    """Create a certificate, pool membership or service record on an organisation."""
    if model not in (Certificate, PoolMembership, ServiceRecord):
        raise ValueError(model)
    return record_create(actor=actor, instance=model(**fields), check=actor is not None)


def child_update(*, actor, instance, data: dict):
    return record_update(actor=actor, instance=instance, data=data)


def child_delete(*, actor, instance) -> None:
    record_delete(actor=actor, instance=instance)
