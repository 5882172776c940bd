"""Writes of the scoring models: each validation rule with its message, versioning (publish freezes, editing a
published model makes a new draft, results keep their version), audit rows, and the shipped examples."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts.choices import Role
from kechuang.core.exceptions import AccessDenied
from kechuang.core.models import AuditLog
from kechuang.scoring import services
from kechuang.scoring.examples import EXAMPLES
from kechuang.scoring.models import ScoringModel, ScoringResult

pytestmark = pytest.mark.django_db


def criterion(code="rd", weight="100", field="rd_ratio", bands=None, unit="points", name=None):
    bands = bands if bands is not None else [{"lower": "1", "inclusive": True, "value": "50"},
                                             {"lower": "5", "inclusive": True, "value": "100"}]  # fmt: skip
    return {"code": code, "name": name or code, "field": field, "weight": Decimal(weight), "unit": unit,
            "bands": bands}  # fmt: skip


HEADER = {"code": "test-model", "name": "测试模型", "subject": "enterprise", "purpose": "", "total": Decimal(100),
          "pass_score": Decimal(60)}  # fmt: skip


@pytest.mark.parametrize(
    ("criteria", "header", "message"),
    [
        (
            [criterion(weight="60", bands=[{"lower": "1", "inclusive": True, "value": "60"}])],
            {},
            "各指标权重之和为 60 分，应等于满分 100 分；请调整权重（相差 40 分）。",
        ),
        (
            [
                criterion(
                    bands=[
                        {"lower": "5", "inclusive": True, "value": "50"},
                        {"lower": "5", "inclusive": False, "value": "100"},
                    ]
                )
            ],
            {},
            "指标“rd”的档位未按下限从低到高排列：第 2 档下限 5 不大于第 1 档下限 5；"
            "请按下限严格递增排列，下限不得重复。",
        ),
        (
            [
                criterion(
                    bands=[
                        {"lower": "5", "inclusive": True, "value": "50"},
                        {"lower": "3", "inclusive": True, "value": "100"},
                    ]
                )
            ],
            {},
            "第 2 档下限 3 不大于第 1 档下限 5",
        ),
        (
            [criterion(bands=[{"lower": "1", "inclusive": True, "value": "120"}])],
            {},
            "指标“rd”第 1 档的分值 120 分超出 0 至权重 100 分的范围。",
        ),
        (
            [criterion(bands=[{"lower": "1", "inclusive": True, "value": "-1"}])],
            {},
            "指标“rd”第 1 档的分值 -1 分超出 0 至权重 100 分的范围。",
        ),
        (
            [criterion(unit="fraction", bands=[{"lower": "1", "inclusive": True, "value": "1.5"}])],
            {},
            "指标“rd”第 1 档的比例 1.5 超出 0 至 1 的范围。",
        ),
        ([criterion(field="education_level")], {}, "指标“rd”的数据项“education_level”不是企业评价的数据项；可选："),
        ([criterion(bands=[])], {}, "指标“rd”还没有档位，请至少设置一档（下限与分值）。"),
        ([criterion(weight="50"), criterion(weight="50")], {}, "指标代码“rd”重复，每个指标的代码应不同。"),
        ([], {}, "模型还没有评价指标，请至少添加一项。"),
        ([criterion()], {"pass_score": Decimal(120)}, "达标分数线 120 分应大于 0 且不超过满分 100 分。"),
    ],
)
def test_each_rule_with_its_message(criteria, header, message, bureau):
    with pytest.raises(ValidationError) as raised:
        services.model_create(actor=bureau, data=HEADER | header, criteria=criteria)
    assert any(message in text for text in raised.value.messages), raised.value.messages
    assert not ScoringModel.objects.filter(code="test-model").exists()


def test_a_stated_total_other_than_100(bureau):
    model = services.model_create(actor=bureau, data=HEADER | {"total": Decimal(10), "pass_score": None},
                                  criteria=[criterion(weight="10", bands=[{"lower": "1", "value": "10"}])])  # fmt: skip
    assert model.total == 10 and model.status == "draft" and model.version == 1


def test_the_shipped_examples_pass_validation_and_are_published():
    for example in EXAMPLES:
        services.validate(example, example["criteria"])
        model = ScoringModel.objects.get(code=example["code"])
        assert (model.status, model.version, model.criteria.count()) == ("published", 1, len(example["criteria"]))
    assert set(ScoringModel.objects.values_list("subject", flat=True)) == {"enterprise", "achievement", "talent",
                                                                          "project"}  # fmt: skip


def test_versioning_publish_edit_and_results_keep_their_version(county, shubiao, bureau):
    stored = services.results_store(actor=bureau, model=shubiao, year=2024)
    assert stored == 3  # 甲, 乙, 丙 of 鹿寨县; not 丁 of 柳城县
    with pytest.raises(ValidationError, match="已发布或已停用的版本不能修改"):
        services.model_update(actor=bureau, model=shubiao, data={}, criteria=[])
    draft = services.model_new_version(actor=bureau, model=shubiao)
    assert (draft.version, draft.status, draft.criteria.count()) == (2, "draft", 7)
    assert services.model_new_version(actor=bureau, model=shubiao) == draft  # one draft at a time
    criteria = [services._criterion_state(c) for c in draft.criteria.all()]
    criteria[0]["weight"], criteria[-1]["weight"] = "20", "15"  # R&D 25 → 20, high-tech 10 → 15
    criteria[-1]["bands"] = [{"lower": "1", "inclusive": True, "value": "15"}]
    criteria[0]["bands"] = [{"lower": "1", "inclusive": True, "value": "8"}, {"lower": "3", "inclusive": True,
                            "value": "14"}, {"lower": "5", "inclusive": True, "value": "20"}]  # fmt: skip
    services.model_update(actor=bureau, model=draft, data={"name": "树标提质（2025 版）", "pass_score": Decimal(65)},
                          criteria=criteria)  # fmt: skip
    services.model_publish(actor=bureau, model=draft)
    shubiao.refresh_from_db()
    draft.refresh_from_db()
    assert (shubiao.status, draft.status) == ("retired", "published")
    assert (draft.name, draft.pass_score) == ("树标提质（2025 版）", Decimal(65))
    # The first version keeps its criteria and its results.
    assert shubiao.criteria.get(code="rd").weight == Decimal(25)
    first = ScoringResult.objects.get(model=shubiao, subject_name="鹿寨甲科技有限公司")
    assert first.total == Decimal(81) and first.verdict == "meets"
    services.results_store(actor=bureau, model=draft, year=2024)
    again = ScoringResult.objects.get(model=draft, subject_name="鹿寨甲科技有限公司")
    assert again.total == Decimal(81)  # 20 + 15 + 10 + 0 + 15 + 6 + 15
    assert ScoringResult.objects.filter(model=shubiao).count() == 3
    with pytest.raises(ValidationError, match="只有草稿可以发布"):
        services.model_publish(actor=bureau, model=shubiao)


def test_publish_validates_again_and_drafts_only_can_be_deleted(shubiao, bureau):
    draft = services.model_new_version(actor=bureau, model=shubiao)
    draft.criteria.filter(code="hte").update(weight=Decimal(5))  # behind the service's back
    with pytest.raises(ValidationError, match="各指标权重之和为 95 分"):
        services.model_publish(actor=bureau, model=draft)
    with pytest.raises(ValidationError, match="只能删除草稿"):
        services.model_delete(actor=bureau, model=shubiao)
    services.model_delete(actor=bureau, model=draft)
    assert not ScoringModel.objects.filter(pk=draft.pk).exists()
    assert AuditLog.objects.filter(action="delete", object_id=str(draft.pk)).exists()


def test_a_draft_published_meanwhile_is_not_deleted(shubiao, bureau):
    """The page read the version as a draft; it was published before the delete arrived: the service reads it
    again and refuses."""
    stale = services.model_new_version(actor=bureau, model=shubiao)
    services.model_publish(actor=bureau, model=ScoringModel.objects.get(pk=stale.pk))
    assert stale.status == "draft"
    with pytest.raises(ValidationError, match="只能删除草稿"):
        services.model_delete(actor=bureau, model=stale)
    assert ScoringModel.objects.filter(pk=stale.pk, status="published").exists()


def test_every_write_is_audited(shubiao, bureau):
    last = AuditLog.objects.order_by("pk").last()
    before = last.pk if last else 0
    draft = services.model_new_version(actor=bureau, model=shubiao)
    services.model_publish(actor=bureau, model=draft)
    services.model_retire(actor=bureau, model=draft)
    rows = list(AuditLog.objects.filter(pk__gt=before).order_by("pk").values_list("action", "object_id"))
    assert rows == [("create", str(draft.pk)), ("update", str(shubiao.pk)), ("approve", str(draft.pk)),
                    ("update", str(draft.pk))]  # fmt: skip
    created = AuditLog.objects.filter(pk__gt=before, object_id=str(draft.pk), action="create").get()
    assert len(created.after["criteria"]) == 7


@pytest.mark.parametrize("role", [Role.BUREAU_STAFF, Role.LEADER, Role.ENTERPRISE])
def test_only_the_bureau_administrator_edits(role, shubiao, make_user):
    user = make_user(role)
    with pytest.raises(AccessDenied):
        services.model_new_version(actor=user, model=shubiao)
    with pytest.raises(AccessDenied):
        services.model_create(actor=user, data=HEADER, criteria=[criterion()])
