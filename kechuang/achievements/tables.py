"""List and export columns of the achievements registry (amounts in 万元)."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import join_list
from kechuang.core.tables import Column, Table

from .choices import ParticipantKind


def _domain(record) -> str:
    return record.get_hitech_domain_display() if record.hitech_domain else record.discipline


def _evaluation(record) -> str:
    if not record.evaluation_conclusion:
        return record.get_evaluation_method_display()
    return f"{record.get_evaluation_method_display()} · {record.get_evaluation_conclusion_display()}"


def _participants(kind: str):
    def names(award) -> str:
        return join_list(p.display_name for p in award.participants.all() if p.kind == kind)

    return names


class AchievementTable(Table):
    title = _("科技成果")
    columns = (
        Column("number", _("登记号"), link=True),
        Column("title", _("成果名称")),
        Column("kind", _("成果类型"), value=lambda a: a.get_kind_display()),
        Column("domain", _("领域"), value=_domain),
        Column("organisation", _("第一完成单位"), value=lambda a: a.organisation.name),
        Column("units", _("其他完成单位"), value=lambda a: join_list(u.display_name for u in a.units.all())),
        Column("registration_date", _("登记日期")),
        Column("evaluation", _("评价"), value=_evaluation),
        Column("people", _("完成人"), value=lambda a: join_list(a.people)),
    )


class ConversionTable(Table):
    title = _("成果转化")
    columns = (
        Column("year", _("年度"), link=True),
        Column("subject", _("转化对象"), value=lambda c: str(c.achievement.title if c.achievement_id else c.subject)),
        Column("number", _("成果登记号"), value=lambda c: c.achievement.number if c.achievement_id else ""),
        Column("form", _("转化方式"), value=lambda c: c.get_form_display()),
        Column("implementer", _("实施单位"), value=lambda c: c.implementer.name if c.implementer else ""),
        Column("amount", _("转化金额"), money=True),
        Column("major", _("重大科技成果转化")),
        Column("major_reason", _("重大转化认定理由")),
    )


class TechContractTable(Table):
    title = _("技术合同")
    columns = (
        Column("number", _("合同登记号"), link=True),
        Column("name", _("合同名称")),
        Column("kind", _("合同类型"), value=lambda c: c.get_kind_display()),
        Column("seller", _("卖方"), value=lambda c: c.seller.name),
        Column("buyer", _("买方"), value=lambda c: c.buyer_display),
        Column(
            "buyer_region",
            _("买方所在地区"),
            value=lambda c: c.buyer.region.name if c.buyer_id else (c.buyer_region.name if c.buyer_region_id else ""),
        ),
        Column("amount", _("合同成交额"), money=True),
        Column("technical_income", _("技术交易额"), money=True),
        Column("signing_date", _("签订日期")),
        Column("registration_date", _("登记日期")),
    )


class AwardTable(Table):
    title = _("科技奖励")
    columns = (
        Column("year", _("获奖年度"), link=True),
        Column("name", _("奖项名称")),
        Column("level", _("奖励级别"), value=lambda a: a.get_level_display()),
        Column("grade", _("奖励等级"), value=lambda a: a.get_grade_display()),
        Column("project", _("获奖项目")),
        Column("organisation", _("第一完成单位"), value=lambda a: a.organisation.name),
        Column("units", _("其他完成单位"), value=_participants(ParticipantKind.UNIT)),
        Column("people", _("完成人"), value=_participants(ParticipantKind.PERSON)),
    )
