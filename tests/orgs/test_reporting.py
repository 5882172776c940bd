"""The yearly reporting round (年报填报): review status of yearly figures, rounds, who has reported, reminders.

Services and selectors against the database; the pages and the API have their own tests (tests/web, tests/api).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kechuang.core.access import AccessDenied
from kechuang.core.importkit import run_import
from kechuang.core.models import AuditLog
from kechuang.notices.models import Message
from kechuang.orgs import selectors, services
from kechuang.orgs.choices import OrgKind, OrgStatus, ReviewStatus, RoundStatus
from kechuang.orgs.models import AnnualFigures, ReportingRound

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1
DAY = datetime.timedelta(days=1)
DRAFT, SUBMITTED, RETURNED, APPROVED = (
    ReviewStatus.DRAFT,
    ReviewStatus.SUBMITTED,
    ReviewStatus.RETURNED,
    ReviewStatus.APPROVED,
)
FIGURES = {"staff_total": 80, "st_staff": 12, "sales_revenue": Decimal("25000000.00"), "basis": "企业财务报表口径"}


@pytest.fixture
def firm(make_org):
    return make_org(name="鹿寨甲科技有限公司", region="450223100", contact="张三", phone="0772-6812345")


@pytest.fixture
def firm_user(make_user, firm):
    return make_user("enterprise", organisation=firm)


@pytest.fixture
def reporting_round(bureau):
    return services.round_create(
        actor=bureau, year=LAST_YEAR, opens_on=TODAY - 5 * DAY, deadline=TODAY + 10 * DAY, instructions="请如实填报"
    )


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def audit_of(instance):
    content_type = ContentType.objects.get_for_model(type(instance))
    return AuditLog.objects.filter(content_type=content_type, object_id=str(instance.pk)).order_by("id")


def save(actor, organisation, year=LAST_YEAR, **data):
    return services.figures_save(actor=actor, organisation=organisation, year=year, data={**FIGURES, **data})


# --- the review status of yearly figures --------------------------------------------------------------------


def test_figures_the_bureau_enters_are_approved_on_save(bureau, firm):
    figures = save(bureau, firm)
    assert (figures.review_status, figures.reviewer, figures.review_comment) == (APPROVED, bureau, "")
    assert figures.reviewed_at is not None
    stamped = figures.reviewed_at
    again = save(bureau, firm)  # the same values: no new review, not even a new review time
    assert again.reviewed_at == stamped


def test_figures_the_system_writes_are_approved_without_a_reviewer(firm):
    figures = save(None, firm)
    assert (figures.review_status, figures.reviewer) == (APPROVED, None)


def test_an_enterprise_saves_a_draft_that_counts_only_once_approved(firm, firm_user, bureau):
    figures = save(firm_user, firm)
    assert (figures.review_status, figures.source, figures.submitted_at) == (DRAFT, "report", None)
    assert not selectors.approved_figures().exists()
    save(firm_user, firm, staff_total=81)
    assert AnnualFigures.objects.get().review_status == DRAFT  # drafts stay drafts until submitted


def test_the_whole_round_trip(firm, firm_user, bureau):
    """Enterprise fills in → submits → bureau returns with a comment → enterprise fixes → resubmits → approved."""
    figures = save(firm_user, firm, basis="")
    with pytest.raises(ValidationError) as refused:
        services.figures_submit(actor=firm_user, figures=figures)
    assert "统计口径" in refused.value.message_dict["basis"][0]
    figures = save(firm_user, firm)
    figures = services.figures_submit(actor=firm_user, figures=figures)
    assert figures.review_status == SUBMITTED and figures.submitted_at is not None

    with pytest.raises(ValidationError, match="退回意见"):
        services.figures_return(actor=bureau, figures=figures, comment="  ")
    figures = services.figures_return(actor=bureau, figures=figures, comment="研发费用明显偏高，请核对")
    assert (figures.review_status, figures.reviewer, figures.review_comment) == (
        RETURNED,
        bureau,
        "研发费用明显偏高，请核对",
    )
    returned = Message.objects.get(user=firm_user)
    assert returned.title == f"{LAST_YEAR}年度数据被退回，请修改后重新提交"
    assert "研发费用明显偏高，请核对" in returned.body and returned.link == figures.detail_url()

    figures = save(firm_user, firm, rd_expense=Decimal("800000.00"))
    assert figures.review_status == RETURNED  # fixed, but not yet handed in again
    figures = services.figures_submit(actor=firm_user, figures=figures)
    figures = services.figures_approve(actor=bureau, figures=figures, comment="已核对")
    assert (figures.review_status, figures.review_comment) == (APPROVED, "已核对")
    assert list(selectors.approved_figures()) == [figures]
    approved = Message.objects.filter(user=firm_user).latest("pk")
    assert approved.title == f"{LAST_YEAR}年度数据已审核通过" and approved.body.endswith("已核对")

    statuses = [(row.before or {}).get("review_status") for row in audit_of(figures)]
    assert statuses == [None, DRAFT, DRAFT, SUBMITTED, RETURNED, RETURNED, SUBMITTED]
    last = audit_of(figures).last()
    assert (last.actor, last.after["review_status"], last.after["reviewer"]) == (bureau, APPROVED, bureau.pk)


def test_an_enterprise_change_to_approved_figures_sends_them_back_for_review(firm, firm_user, bureau):
    figures = save(bureau, firm)
    unchanged = save(firm_user, firm, source="report")  # same values as stored: still approved
    assert unchanged.review_status == APPROVED
    changed = save(firm_user, firm, staff_total=90)
    assert changed.review_status == SUBMITTED and changed.submitted_at is not None
    assert not selectors.approved_figures().filter(pk=figures.pk).exists()


def test_a_bureau_correction_of_submitted_figures_approves_them_and_tells_the_enterprise(firm, firm_user, bureau):
    figures = services.figures_submit(actor=firm_user, figures=save(firm_user, firm))
    corrected = save(bureau, firm, staff_total=79)
    assert (corrected.review_status, corrected.reviewer) == (APPROVED, bureau)
    assert Message.objects.filter(user=firm_user, link=figures.detail_url()).count() == 1


def test_an_enterprise_cannot_approve_or_return_even_its_own(firm, firm_user):
    figures = services.figures_submit(actor=firm_user, figures=save(firm_user, firm))
    with pytest.raises(AccessDenied):
        services.figures_approve(actor=firm_user, figures=figures)
    with pytest.raises(AccessDenied):
        services.figures_return(actor=firm_user, figures=figures, comment="自己退回")
    assert AnnualFigures.objects.get().review_status == SUBMITTED


@pytest.mark.parametrize("role", ["bureau_admin", "bureau_staff", "leader"])
def test_a_bureau_outside_the_region_cannot_review_or_see_the_round(role, make_user, firm, firm_user, reporting_round):
    figures = services.figures_submit(actor=firm_user, figures=save(firm_user, firm))
    outsider = make_user(role, region="450222")  # 柳城县
    with pytest.raises(AccessDenied):
        services.figures_approve(actor=outsider, figures=figures)
    assert not selectors.round_list(user=outsider).exists()
    assert not selectors.round_reported(user=outsider, reporting_round=reporting_round).exists()
    assert not selectors.round_missing(user=outsider, reporting_round=reporting_round).exists()


def test_the_leader_reads_but_does_not_review(make_user, firm, firm_user, reporting_round):
    figures = services.figures_submit(actor=firm_user, figures=save(firm_user, firm))
    leader = make_user("leader")
    assert list(selectors.round_reported(user=leader, reporting_round=reporting_round)) == [figures]
    with pytest.raises(AccessDenied):
        services.figures_approve(actor=leader, figures=figures)


@pytest.mark.parametrize(
    ("status", "submit", "approve", "return_"),
    [
        (DRAFT, "ok", "只能审核已提交", "只能退回已提交或已审核"),
        (SUBMITTED, "已提交，正在等待", "ok", "ok"),
        (RETURNED, "ok", "只能审核已提交", "只能退回已提交或已审核"),
        (APPROVED, "已审核通过，无需提交", "只能审核已提交", "ok"),
    ],
)
def test_which_transition_is_allowed_from_which_status(status, submit, approve, return_, firm, firm_user, bureau):
    figures = save(None, firm)
    AnnualFigures.objects.filter(pk=figures.pk).update(review_status=status)
    for outcome, action in (
        (submit, lambda f: services.figures_submit(actor=firm_user, figures=f)),
        (approve, lambda f: services.figures_approve(actor=bureau, figures=f)),
        (return_, lambda f: services.figures_return(actor=bureau, figures=f, comment="请核对")),
    ):
        fresh = AnnualFigures.objects.get(pk=figures.pk)
        if outcome == "ok":
            with transaction.atomic():
                action(fresh)
                transaction.set_rollback(True)
        else:
            with pytest.raises(ValidationError, match=outcome):
                action(fresh)


def test_review_many_approves_the_submitted_and_skips_the_rest(make_org, make_user, bureau, reporting_round):
    submitted, draft = (make_org(name=name, region="450223100") for name in ("鹿寨乙公司", "鹿寨丙公司"))
    for org, submit in ((submitted, True), (draft, False)):
        user = make_user("enterprise", organisation=org)
        figures = save(user, org)
        if submit:
            services.figures_submit(actor=user, figures=figures)
    chosen = AnnualFigures.objects.all()
    with pytest.raises(ValidationError, match="退回意见"):
        services.figures_review_many(actor=bureau, figures=chosen, action="return")
    assert services.figures_review_many(actor=bureau, figures=chosen, action="approve") == (1, 1)
    assert dict(AnnualFigures.objects.values_list("organisation__name", "review_status")) == {
        "鹿寨乙公司": APPROVED,
        "鹿寨丙公司": DRAFT,
    }


# --- approved figures: the only ones that count -------------------------------------------------------------


def test_approved_figures_selector_keeps_the_approved_within_the_scope(make_org, make_user, bureau):
    mine, far = make_org(name="鹿寨一", region="450223100"), make_org(name="柳城一", region="450222")
    approved = save(None, mine)
    save(None, far)
    draft = save(make_user("enterprise", organisation=mine), mine, year=LAST_YEAR - 1)
    assert draft.review_status == DRAFT
    assert set(selectors.approved_figures()) == set(AnnualFigures.objects.approved()) and draft not in set(
        selectors.approved_figures()
    )
    assert list(selectors.approved_figures(user=bureau)) == [approved]
    assert not selectors.approved_figures(user=make_user("expert")).exists()


# --- rounds -------------------------------------------------------------------------------------------------


def test_a_round_belongs_to_the_bureaus_region_and_is_announced(firm_user, reporting_round, bureau):
    assert (reporting_round.region.code, reporting_round.status, reporting_round.opened_by) == (
        "450223",
        RoundStatus.OPEN,
        bureau,
    )
    assert str(reporting_round) == f"鹿寨县{LAST_YEAR}年度年报填报"
    announced = Message.objects.get(user=firm_user)
    assert announced.title == f"请填报鹿寨县{LAST_YEAR}年度年报填报" and "请如实填报" in announced.body
    assert announced.link == reporting_round.get_absolute_url()
    assert audit_of(reporting_round).get().actor == bureau


def test_round_rules_name_the_field(bureau, reporting_round, make_user):
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=bureau, year=LAST_YEAR - 1, opens_on=TODAY, deadline=TODAY - DAY)
    assert refused.value.message_dict["deadline"] == ["截止日期不能早于开始日期"]
    with pytest.raises(ValidationError) as refused:
        services.round_create(actor=bureau, year=TODAY.year + 1, opens_on=TODAY, deadline=TODAY)
    assert "还没有到" in refused.value.message_dict["year"][0]
    with pytest.raises(ValidationError, match="已经发起过"):
        services.round_create(actor=bureau, year=LAST_YEAR, opens_on=TODAY, deadline=TODAY)
    with pytest.raises(AccessDenied):
        services.round_create(actor=make_user("enterprise"), year=LAST_YEAR - 1, opens_on=TODAY, deadline=TODAY)
    with pytest.raises(AccessDenied):
        services.round_create(actor=make_user("bureau_admin", region=None), year=2020, opens_on=TODAY, deadline=TODAY)
    assert ReportingRound.objects.count() == 1


def test_who_sees_a_round(reporting_round, make_org, make_user, firm_user):
    far_firm = make_user("enterprise", organisation=make_org(name="柳城企业", region="450222"))
    assert list(selectors.round_list(user=firm_user)) == [reporting_round]  # a township firm under the county round
    assert list(selectors.round_list(user=make_user("leader"))) == [reporting_round]
    assert list(selectors.round_list(user=make_user("bureau_staff", region="450200"))) == [reporting_round]  # 柳州市
    assert list(selectors.round_list(user=make_user("bureau_staff", region="450222"))) == []  # 柳城县
    for user in (far_firm, make_user("expert"), make_user("sysadmin", region=None)):
        assert not selectors.round_list(user=user).exists()


@pytest.fixture
def county(make_org, make_user, bureau, reporting_round):
    """Enterprises of 鹿寨县 in every state for the round's year, and some that the round does not ask."""
    orgs = {
        name: make_org(name=name, region=region, **extra)
        for name, region, extra in (
            ("已提交", "450223100", {}),
            ("草稿", "450223101", {}),
            ("未填", "450223", {}),
            ("科技局录入", "450223102", {}),
            ("被退回", "450223100", {}),
            ("去年才报", "450223100", {}),
            ("已注销", "450223100", {"status": OrgStatus.DEREGISTERED}),
            ("鹿寨高校", "450223100", {"kind": OrgKind.UNIVERSITY}),
            ("柳城企业", "450222", {}),
        )
    }
    users = {name: make_user("enterprise", organisation=org) for name, org in orgs.items()}
    for name in ("已提交", "被退回"):
        services.figures_submit(actor=users[name], figures=save(users[name], orgs[name]))
    save(users["草稿"], orgs["草稿"])
    save(bureau, orgs["科技局录入"])
    save(None, orgs["去年才报"], year=LAST_YEAR - 1)
    save(None, orgs["柳城企业"])
    services.figures_return(
        actor=bureau, figures=AnnualFigures.objects.get(organisation=orgs["被退回"]), comment="请补充"
    )
    return orgs, users


def test_reported_and_not_reported_lists(county, bureau, reporting_round):
    reported = selectors.round_reported(user=bureau, reporting_round=reporting_round)
    assert {(f.organisation.name, f.review_status) for f in reported} == {
        ("已提交", SUBMITTED),
        ("被退回", RETURNED),
        ("科技局录入", APPROVED),
    }
    missing = selectors.round_missing(user=bureau, reporting_round=reporting_round)
    assert [(o.name, o.has_draft) for o in missing] == [("未填", False), ("去年才报", False), ("草稿", True)]
    assert selectors.round_counts(user=bureau, reporting_round=reporting_round) == {
        "submitted": 1,
        "returned": 1,
        "approved": 1,
        "reported": 3,
        "missing": 3,
        "population": 6,
    }
    only = selectors.round_reported(user=bureau, reporting_round=reporting_round, status=RETURNED)
    assert [f.organisation.name for f in only] == ["被退回"]


def test_not_reported_is_one_query(county, bureau, reporting_round, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [
            (o.name, o.region.name, o.has_draft)
            for o in selectors.round_missing(user=bureau, reporting_round=reporting_round)
        ]
    assert len(rows) == 3


def test_a_township_round_asks_only_its_township(county, make_user, regions):
    township_bureau = make_user("bureau_admin", region="450223100")
    township_round = services.round_create(actor=township_bureau, year=LAST_YEAR, opens_on=TODAY, deadline=TODAY)
    counts = selectors.round_counts(user=township_bureau, reporting_round=township_round)
    assert (counts["reported"], counts["missing"]) == (2, 1)  # 已提交、被退回; 去年才报


def test_an_enterprise_sees_only_its_own_row(county, reporting_round):
    _orgs, users = county
    reported = selectors.round_reported(user=users["已提交"], reporting_round=reporting_round)
    assert [f.organisation.name for f in reported] == ["已提交"]
    assert not selectors.round_missing(user=users["已提交"], reporting_round=reporting_round).exists()


def test_the_organisation_page_lists_its_open_rounds(county, reporting_round, bureau):
    orgs, users = county
    shown = selectors.rounds_for_organisation(user=users["草稿"], organisation=orgs["草稿"])
    assert [(item["round"], item["figures"].review_status) for item in shown] == [(reporting_round, DRAFT)]
    services.round_close(actor=bureau, reporting_round=reporting_round)
    assert selectors.rounds_for_organisation(user=users["草稿"], organisation=orgs["草稿"]) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=st.lists(st.sampled_from(["none", *ReviewStatus.values]), min_size=0, max_size=8))
def test_reported_and_missing_always_add_up_to_the_population(states, make_org, bureau):
    with transaction.atomic():
        reporting_round = ReportingRound.objects.create(
            region=bureau.region, year=LAST_YEAR, opens_on=TODAY, deadline=TODAY
        )
        for i, state in enumerate(states):
            org = make_org(name=f"企业{i}", region="450223100")
            if state != "none":
                AnnualFigures.objects.create(organisation=org, year=LAST_YEAR, review_status=state)
        counts = selectors.round_counts(user=bureau, reporting_round=reporting_round)
        assert counts["population"] == len(states)
        assert counts["reported"] == sum(s in (SUBMITTED, RETURNED, APPROVED) for s in states)
        assert counts["missing"] == sum(s in ("none", DRAFT) for s in states)
        for status in (SUBMITTED, RETURNED, APPROVED):
            assert counts[status] == states.count(status)
        transaction.set_rollback(True)


# --- reminders ----------------------------------------------------------------------------------------------


def test_reminders_go_once_to_those_that_have_not_submitted(county, reporting_round):
    _orgs, users = county
    Message.objects.all().delete()  # the round's announcement
    before_deadline = reporting_round.deadline - 2 * DAY
    assert services.round_reminders_send(today=before_deadline - 5 * DAY, days=3) == 0  # too early
    sent = services.round_reminders_send(today=before_deadline, days=3)
    reminded = set(Message.objects.values_list("user__organisation__name", flat=True))
    # Nothing, a draft, or returned figures: all still owe a submission. Outside the round's population: nothing.
    assert reminded == {"草稿", "未填", "被退回", "去年才报"} and sent == 4
    message = Message.objects.get(user=users["未填"])
    assert message.title == f"年报填报截止提醒：鹿寨县{LAST_YEAR}年度年报填报"
    assert (message.deadline, message.link) == (reporting_round.deadline, reporting_round.get_absolute_url())
    assert services.round_reminders_send(today=before_deadline, days=3) == 0
    assert services.round_reminders_send(today=reporting_round.deadline, days=3) == 0  # once per user and round
    assert Message.objects.count() == 4


def test_no_reminders_for_closed_or_past_rounds(county, reporting_round, bureau):
    Message.objects.all().delete()
    assert services.round_reminders_send(today=reporting_round.deadline + DAY, days=3) == 0
    services.round_close(actor=bureau, reporting_round=reporting_round)
    assert services.round_reminders_send(today=reporting_round.deadline, days=3) == 0


def test_remind_command_counts_both_kinds(county, reporting_round, capsys):
    Message.objects.all().delete()
    ReportingRound.objects.filter(pk=reporting_round.pk).update(deadline=timezone.localdate() + DAY)
    call_command("remind", "--days", "3")
    out = capsys.readouterr().out
    assert "已生成 4 条提醒" in out and "其中年报填报提醒 4 条" in out
    call_command("remind", "--days", "3")
    assert "已生成 0 条提醒" in capsys.readouterr().out


# --- uploads: the figures import follows the same rules -----------------------------------------------------


def figures_file(org, staff_total=80, basis="统计年报口径"):
    return xlsx([["统一社会信用代码", "年度", "职工总数", "统计口径"], [org.uscc, LAST_YEAR, staff_total, basis]])


def test_an_enterprise_uploads_a_draft_for_its_own_organisation_only(firm, firm_user, make_org):
    run_import("figures", actor=firm_user, raw=figures_file(firm), filename="a.xlsx")
    figures = AnnualFigures.objects.get()
    assert (figures.review_status, figures.source, figures.basis) == (DRAFT, "report", "统计年报口径")
    again = run_import("figures", actor=firm_user, raw=figures_file(firm), filename="a.xlsx", update=True)
    assert again.unchanged == 1
    other = make_org(name="鹿寨另一家", region="450223100")
    with pytest.raises(ValidationError, match="该单位不存在或不在您的管辖范围内"):
        run_import("figures", actor=firm_user, raw=figures_file(other), filename="b.xlsx")


def test_an_upload_over_approved_figures_goes_back_to_review_only_when_it_changes_them(firm, firm_user):
    approved = save(None, firm, staff_total=80, basis="统计年报口径", source="report")
    same = run_import("figures", actor=firm_user, raw=figures_file(firm), filename="a.xlsx", update=True)
    assert same.unchanged == 1 and AnnualFigures.objects.get().review_status == APPROVED
    run_import("figures", actor=firm_user, raw=figures_file(firm, staff_total=95), filename="b.xlsx", update=True)
    changed = AnnualFigures.objects.get(pk=approved.pk)
    assert (changed.review_status, changed.staff_total) == (SUBMITTED, 95) and changed.submitted_at is not None


def test_a_bureau_upload_is_approved_and_a_second_one_changes_nothing(firm, firm_user, bureau):
    services.figures_submit(actor=firm_user, figures=save(firm_user, firm))
    run_import("figures", actor=bureau, raw=figures_file(firm, staff_total=70), filename="a.xlsx", update=True)
    figures = AnnualFigures.objects.get()
    assert (figures.review_status, figures.reviewer, figures.staff_total) == (APPROVED, bureau, 70)
    rows = AuditLog.objects.count()
    again = run_import("figures", actor=bureau, raw=figures_file(firm, staff_total=70), filename="a.xlsx", update=True)
    assert (again.updated, again.unchanged, AuditLog.objects.count()) == (0, 1, rows)
    new_org_file = xlsx([["统一社会信用代码", "年度"], [firm.uscc, LAST_YEAR - 1]])
    run_import("figures", actor=bureau, raw=new_org_file, filename="b.xlsx")
    created = AnnualFigures.objects.get(year=LAST_YEAR - 1)
    assert (created.review_status, created.reviewer, created.basis) == (APPROVED, bureau, "")
