"""Choices of the organisation master file."""

from django.db import models


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高等院校"
    INSTITUTE = "institute", "科研院所"
    PROVIDER = "provider", "科技服务机构"
    GOVERNMENT = "government", "政府部门"
    OTHER = "other", "其他"


class OrgStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACTIVE = "active", "存续"
    MOVED = "moved", "迁出"
    DEREGISTERED = "deregistered", "注销"
    REVOKED = "revoked", "吊销"


class HitechDomain(models.IntegerChoices):
    """国家重点支持的高新技术领域（2016）."""

    ELECTRONIC = 1, "电子信息"
    BIO_MEDICINE = 2, "生物与新医药"
    AEROSPACE = 3, "航空航天"
    NEW_MATERIALS = 4, "新材料"
    HITECH_SERVICES = 5, "高技术服务"
    NEW_ENERGY = 6, "新能源与节能"
    RESOURCES_ENVIRONMENT = 7, "资源与环境"
    ADVANCED_MANUFACTURING = 8, "先进制造与自动化"


class IndustryLevel(models.TextChoices):
    SECTION = "section", "门类"
    DIVISION = "division", "大类"


class CertificateKind(models.TextChoices):
    HTE = "hte", "高新技术企业证书"
    TSME = "tsme", "科技型中小企业入库登记"
    OTHER = "other", "其他认定"


class RecognitionLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    REGION = "region", "自治区级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class ServiceType(models.TextChoices):
    VISIT = "visit", "走访调研"
    POLICY = "policy", "政策宣讲"
    APPLICATION = "application", "申报辅导"
    MATCHMAKING = "matchmaking", "产学研对接"
    FINANCING = "financing", "融资对接"
    OTHER = "other", "其他"


class FigureSource(models.TextChoices):
    ENTRY = "entry", "手工录入"
    REPORT = "report", "企业填报"
    IMPORT = "import", "批量导入"
    STATISTICS = "statistics", "统计部门"
