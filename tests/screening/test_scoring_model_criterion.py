"""A pool may be screened by a county scheme: a published enterprise scoring model with a pass score (树标提质)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kechuang.accounts.choices import Role
from kechuang.scoring import services as scoring_services
from kechuang.screening import rules, screen
from tests.ip.conftest import make_patent  # noqa: F401  (the fixture)
from tests.scoring.conftest import county, shubiao  # noqa: F401  (the fixtures)

POOL = {"criteria": {"scoring_model": {"code": "luzhai-shubiao"}}}


def test_the_models_pass_score_decides_with_the_points_in_the_reason(county, shubiao, make_user):  # noqa: F811
    """甲 scores 81 of the 树标提质 example (pass 60), 丙 56, 乙 20 with its growth missing; 丁 is outside the scope."""
    found = screen.assess(user=make_user(Role.BUREAU_STAFF), year=2024, pool=POOL)
    first, second, third = (county[k].pk for k in ("first", "second", "third"))
    assert found.passed == {first: True, second: False, third: False}
    assert found.reasons[first][0]["text"] == "“鹿寨县“树标提质”科技型企业评价”（第 1 版）得分 81 分（达标线 60 分）"
    assert found.reasons[third][0]["text"].endswith("得分 56 分（达标线 60 分）")
    assert "缺少数据：销售收入增长" in found.reasons[second][0]["text"]
    # Without a user (the command line's system run) the whole province is screened, 丁 included.
    assert county["outside"].pk in screen.assess(user=None, year=2024, pool=POOL).passed


def test_a_retired_or_unknown_model_fails_every_organisation_by_name(county, shubiao, make_user, bureau):  # noqa: F811
    scoring_services.model_retire(actor=bureau, model=shubiao)
    found = screen.assess(user=make_user(Role.BUREAU_STAFF), year=2024, pool=POOL)
    assert not any(found.passed.values())
    assert {r[0]["text"] for r in found.reasons.values()} == {
        "评价模型“luzhai-shubiao”没有已发布、设有达标分数线的版本"
    }


@pytest.mark.parametrize("bounds", [{"code": "x", "min": 60}, {"min": 60}, {"code": 5}])
def test_the_criterion_takes_a_models_code_only(bounds):
    with pytest.raises(ImproperlyConfigured, match="scoring_model"):
        rules.check({"pools": {"gazelle": {"criteria": {"scoring_model": bounds}}}})
