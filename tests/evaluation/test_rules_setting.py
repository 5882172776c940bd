"""The rules the policy text leaves open are settings: an installation's rule file in EVALUATION_RULES_DIR replaces
the shipped one, may change numbers only, and what it says is what the evaluations apply."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from kechuang.evaluation import hte
from kechuang.evaluation.rules import RULES_DIR, ruleset
from tests.evaluation.test_hte import condition, firm


@pytest.fixture
def rules_dir(tmp_path, settings):
    settings.EVALUATION_RULES_DIR = str(tmp_path)
    ruleset.cache_clear()
    yield tmp_path
    ruleset.cache_clear()


def shipped(name: str) -> str:
    return (RULES_DIR / name).read_text(encoding="utf-8")


def test_an_installation_file_replaces_the_shipped_rules_and_is_applied(rules_dir):
    (rules_dir / "hte-2016.yaml").write_text(
        shipped("hte-2016.yaml").replace("min_days: 365", "min_days: 366"), encoding="utf-8"
    )
    rules = ruleset("hte")
    assert rules.conditions("registered_1y")["min_days"] == 366
    record = firm(registration_date=datetime.date(2024, 6, 1), application_date=datetime.date(2025, 6, 1))  # 365 days
    assert condition(hte.evaluate([record], rules)[0], "registered_1y")["passed"] is False
    assert ruleset("tsme").source == shipped("tsme-2017.yaml")  # no file of its own: the shipped one


def test_without_the_setting_the_shipped_rules_hold(settings):
    settings.EVALUATION_RULES_DIR = ""
    ruleset.cache_clear()
    try:
        record = firm(registration_date=datetime.date(2024, 6, 1), application_date=datetime.date(2025, 6, 1))
        assert condition(hte.evaluate([record], ruleset("hte"))[0], "registered_1y")["passed"] is True
    finally:
        ruleset.cache_clear()


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("kind: hte", "kind: tsme"),  # another kind
        lambda text: text.replace("      - {band: E, points: [0, 0]}\n", ""),  # a band less
        lambda text: text.replace("registered_1y: {min_days: 365}", "registered_1y: {days: 365}"),  # a renamed key
        lambda text: text + "\n  : [",  # not YAML
    ],
)
def test_a_file_that_changes_more_than_numbers_is_refused_by_name(rules_dir, change):
    (rules_dir / "hte-2016.yaml").write_text(change(shipped("hte-2016.yaml")), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"EVALUATION_RULES_DIR: .*hte-2016\.yaml"):
        ruleset("hte")
