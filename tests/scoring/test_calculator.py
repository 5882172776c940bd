"""The status of a scheme for one enterprise: national rule sets (met, pending data the master file lacks, nearly
met on one failing condition, failed) and models with the margin, at its boundary."""

from decimal import Decimal

import pytest

from kechuang.scoring.calculator import model_status, national_status
from kechuang.scoring.engine import Band, Rule, score


def tsme(verdict="fails", route=None, **passed):
    codes = ("resident", "audit_taxation", "size", "not_excluded_industry", "no_violation", "score", "st_staff_nonzero")
    conditions = [{"code": c, "passed": passed.get(c, True), "value": None, "threshold": None} for c in codes]
    return {"verdict": verdict, "route": route, "conditions": conditions, "total": [50, 50], "gaps": ["g"],
            "missing": []}  # fmt: skip


@pytest.mark.parametrize(
    ("result", "status"),
    [
        (tsme("qualifies", "score"), "meets"),
        (tsme(audit_taxation=None), "pending"),  # nothing fails; 查账征收 is not in the master file
        (tsme(score=False), "nearly"),  # one condition fails
        (tsme(score=False, st_staff_nonzero=False), "fails"),
        # A direct route (a valid high-tech certificate): the score conditions do not apply.
        (tsme(route="hte", score=False, st_staff_nonzero=False, audit_taxation=None), "pending"),
        (tsme(route="hte", score=False, size=False), "nearly"),
    ],
)
def test_national_status(result, status):
    assert national_status("tsme", result).status == status


def test_national_reasons_name_the_conditions():
    scheme = national_status("tsme", tsme(score=False, audit_taxation=None))
    assert scheme.reasons == ["不符合：评价得分不低于 60 分", "待定：查账征收"]


class Model:
    pk, name, version, pass_score = 1, "测试方案", 1, Decimal(60)


@pytest.mark.parametrize(
    ("points", "margin", "status"),
    [("60", "0.10", "meets"), ("54", "0.10", "nearly"), ("53.99", "0.10", "fails"), ("57", "0.05", "nearly"),
     ("56.99", "0.05", "fails"), ("59.99", "0", "fails")],
)  # fmt: skip
def test_model_margin_boundary(points, margin, status):
    rule = Rule("x", "指标", "x", Decimal(100), "points", (Band(Decimal(1), True, Decimal(points)),))
    outcome = score([rule], {"x": Decimal(1)}, Decimal(60))
    assert model_status(Model, outcome, Decimal(margin)).status == status
