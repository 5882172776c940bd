"""Choices of the innovation carriers registry (创新载体)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["INNOVATION_PLATFORMS", "TENANT_CARRIERS", "CarrierKind"]


class CarrierKind(models.TextChoices):
    ETRC = "etrc", _("工程技术研究中心")
    ETC = "etc", _("企业技术中心")
    KEY_LAB = "key_lab", _("重点实验室")
    NEW_RD = "new_rd", _("新型研发机构")
    INCUBATOR = "incubator", _("科技企业孵化器")
    MAKER_SPACE = "maker_space", _("众创空间")
    SME_BASE = "sme_base", _("小微企业创业创新基地")
    SERVICE_PLATFORM = "platform", _("公共服务平台")
    TECH_TRANSFER = "tech_transfer", _("技术转移机构")
    # A high-tech zone is counted on its own in the plans (自治区级高新技术产业园区), so it is not just a park.
    HITECH_ZONE = "hitech_zone", _("高新技术产业开发区")
    PARK = "park", _("产业园区")


# Only these take tenants (在孵企业、入驻团队).
TENANT_CARRIERS = (CarrierKind.INCUBATOR, CarrierKind.MAKER_SPACE)

# 专栏1 "各类创新平台": the research and incubation carriers, not the service platforms, bases and parks.
INNOVATION_PLATFORMS = (
    CarrierKind.ETRC,
    CarrierKind.ETC,
    CarrierKind.KEY_LAB,
    CarrierKind.NEW_RD,
    CarrierKind.INCUBATOR,
    CarrierKind.MAKER_SPACE,
)
