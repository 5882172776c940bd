"""Rules of one patent or one other-IP record: number and type agree, classes, terms, validity on a day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.core.validators import is_valid_patent, patent_check_char
from kechuang.ip.choices import IPClass, OtherIPKind, PatentEnd, PatentStatus
from kechuang.ip.models import OtherIP, Patent, format_number, number_type
from kechuang.ip.selectors import valid_q
from kechuang.ip.services import derive, sequence_error, split_names

from .conftest import make_number

D = datetime.date


def patent(number="202010566088.9", **fields) -> Patent:
    from kechuang.core.validators import normalise_patent

    return Patent(number=normalise_patent(number), title="一种装置", application_date=D(2020, 5, 1), **fields)


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.clean()
    return caught.value.message_dict


def test_type_comes_from_the_fifth_digit_when_not_given():
    p = patent("ZL 2020 1 0566088.9")
    p.clean()
    assert (p.number, p.patent_type) == ("2020105660889", "invention")
    assert p.number_display == "202010566088.9"


def test_type_and_number_must_agree():
    p = patent(patent_type="utility")
    assert errors_of(p)["patent_type"] == [
        "申请号中的类型位为“1”（发明），与所选专利类型“实用新型”不一致，请核对申请号或专利类型"
    ]


def test_filing_year_must_match_the_number_except_for_pct_entries():
    p = patent(patent_type="invention")
    p.application_date = D(2019, 12, 30)
    assert "申请年份 2020" in errors_of(p)["application_date"][0]
    pct = Patent(number=make_number(2020, "pct_invention").replace(".", ""), title="x", application_date=D(2018, 3, 1))
    pct.clean()
    assert pct.patent_type == "pct_invention"


def test_old_nine_character_numbers_name_their_type_in_the_third_digit():
    body = "98112345"
    number = body + patent_check_char(body)
    assert is_valid_patent(number)
    assert number_type(number) == "invention"
    assert format_number(number) == f"{body}.{number[-1]}"


@pytest.mark.parametrize(
    ("patent_type", "ip_class", "category"),
    [
        ("invention", IPClass.I, "invention"),
        ("pct_invention", IPClass.I, "invention"),
        ("utility", IPClass.II, "utility"),
        ("pct_utility", IPClass.II, "utility"),
        ("design", IPClass.II, "design"),
    ],
)
def test_class_and_category(patent_type, ip_class, category):
    p = Patent(patent_type=patent_type)
    assert (p.ip_class, p.category) == (ip_class, category)


@pytest.mark.parametrize(
    ("kind", "ip_class"),
    [
        (OtherIPKind.SOFTWARE, "II"),
        (OtherIPKind.IC_LAYOUT, "I"),
        (OtherIPKind.PLANT_VARIETY, "I"),
        (OtherIPKind.CROP_VARIETY, "I"),
        (OtherIPKind.NATIONAL_DRUG, "I"),
        (OtherIPKind.TCM_VARIETY, "I"),
        (OtherIPKind.STANDARD, ""),
    ],
)
def test_other_ip_classes_follow_the_guidelines(kind, ip_class):
    assert OtherIP(kind=kind).ip_class == ip_class


@pytest.mark.parametrize(
    ("patent_type", "filed", "term_end"),
    [
        ("invention", D(2001, 5, 10), D(2021, 5, 10)),
        ("utility", D(2012, 2, 29), D(2022, 3, 1)),
        ("design", D(2021, 5, 31), D(2031, 5, 31)),
        ("design", D(2021, 6, 1), D(2036, 6, 1)),
    ],
)
def test_statutory_terms(patent_type, filed, term_end):
    assert Patent(patent_type=patent_type, application_date=filed).term_end() == term_end


def test_a_granted_patent_without_events_after_the_grant_ends_with_its_term():
    p = Patent(patent_type="utility", application_date=D(2010, 1, 5))
    derived = derive(p, [("pending", D(2010, 1, 5)), ("granted", D(2010, 9, 1))])
    assert derived == {"grant_date": D(2010, 9, 1), "ended_on": D(2020, 1, 5), "end_reason": PatentEnd.EXPIRED}
    p.__dict__.update(derived)
    assert p.is_valid_on(D(2020, 1, 4)) and not p.is_valid_on(D(2020, 1, 5))
    assert p.status_on(D(2020, 1, 5)) == "期限届满"


def test_status_in_words_on_a_day():
    p = Patent(patent_type="invention", application_date=D(2016, 3, 1))
    p.__dict__.update(derive(p, [("pending", D(2016, 3, 1)), ("granted", D(2018, 7, 3)), ("lapsed", D(2020, 3, 1))]))
    assert [p.status_on(d) for d in (D(2016, 2, 1), D(2017, 1, 1), D(2019, 1, 1), D(2020, 3, 1))] == [
        "未申请",
        "审查中",
        "有效",
        "失效",
    ]


def test_other_ip_rules():
    record = OtherIP(kind=OtherIPKind.SOFTWARE, number="2020sr 0123456", title=" 系统 ", date=D(2020, 3, 1))
    record.clean()
    assert (record.number, record.title) == ("2020SR0123456", "系统")
    assert (
        "2020SR0123456"
        in errors_of(OtherIP(kind=OtherIPKind.SOFTWARE, number="2020-123", date=D(2020, 1, 1)))["number"][0]
    )
    standard = errors_of(OtherIP(kind=OtherIPKind.STANDARD, number="T/GXAS 1-2020", date=D(2020, 1, 1)))
    assert set(standard) == {"standard_level", "standard_role"}
    wrong = errors_of(
        OtherIP(kind=OtherIPKind.PLANT_VARIETY, number="CNA1", date=D(2020, 1, 1), standard_level="group")
    )
    assert wrong["standard_level"] == ["只有类别为“标准”时才填写标准级别和参与方式，请清空"]
    ended = errors_of(OtherIP(kind=OtherIPKind.IC_LAYOUT, number="BS.1", date=D(2020, 1, 1), end_date=D(2020, 1, 1)))
    assert ended["end_date"] == ["终止日期应晚于登记/授权/发布日期"]


def test_lists_in_a_cell_split_on_every_separator():
    assert split_names(" 甲公司、乙公司；丙;丁,戊，己\n庚 ") == ["甲公司", "乙公司", "丙", "丁", "戊", "己", "庚"]
    assert split_names(None) == []


# --- property tests -----------------------------------------------------------------------------------------

bodies = st.tuples(st.integers(1985, 2026), st.sampled_from("12389"), st.integers(0, 9_999_999))


@given(bodies)
def test_every_generated_number_passes_and_any_other_check_character_fails(parts):
    year, digit, serial = parts
    body = f"{year}{digit}{serial:07d}"
    check = patent_check_char(body)
    assert is_valid_patent(f"{body}.{check}", today=D(2026, 11, 27))
    assert number_type(body + check) is not None
    for other in "0123456789X":
        if other != check:
            assert not is_valid_patent(body + other, today=D(2026, 11, 27))


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2026, 11, 1))
STATUSES = [s for s in PatentStatus.values if s != PatentStatus.PENDING]


@settings(max_examples=200, deadline=None)
@given(
    filed=days,
    patent_type=st.sampled_from(["invention", "utility", "design"]),
    later=st.lists(st.tuples(st.sampled_from(STATUSES), st.integers(1, 4000)), max_size=4),
    day=days,
)
def test_derived_dates_agree_with_the_events(filed, patent_type, later, day):
    """For any history the services accept: valid on a day exactly when granted by then and neither an end event
    nor the end of the term has come."""
    events = [("pending", filed), *((s, filed + datetime.timedelta(days=n)) for s, n in later)]
    if sequence_error(events, application_date=filed, today=D(2040, 1, 1)) is not None:
        return
    p = Patent(patent_type=patent_type, application_date=filed)
    p.__dict__.update(derive(p, events))
    granted = [d for s, d in events if s == "granted"]
    ends = [d for s, d in events if s in ("lapsed", "invalidated", "rejected")]
    expected = bool(granted) and granted[0] <= day and all(d > day for d in ends) and p.term_end() > day
    assert p.is_valid_on(day) == expected


@pytest.fixture
def org(make_org):
    return make_org()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filed=days, grant_after=st.integers(30, 2000), end_after=st.one_of(st.none(), st.integers(1, 4000)), day=days)
def test_query_and_model_agree(org, filed, grant_after, end_after, day):
    """The stored dates answer "valid on day D" in SQL exactly as the model does (the organisation is shared by
    the examples; each example's patent is removed)."""
    from kechuang.ip.services import OwnerSpec, patent_create

    granted = filed + datetime.timedelta(days=grant_after)
    if granted > D(2026, 11, 1):
        return
    events = []
    if end_after is not None and granted + datetime.timedelta(days=end_after) <= D(2026, 11, 1):
        events = [("lapsed", granted + datetime.timedelta(days=end_after))]
    p = patent_create(
        actor=None,
        owners=[OwnerSpec(name=org.name, organisation=org)],
        number=make_number(filed.year),
        title="一种装置",
        application_date=filed,
        grant_date=granted,
        events=events,
    )
    assert Patent.objects.filter(valid_q(day), pk=p.pk).exists() == p.is_valid_on(day)
    p.delete()
