"""A screening run over organisations built in the test: who is proposed, in which order, with which reasons; the
bureau's decisions entering and exiting members through the master file, audited; exits; the scope of each role."""

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts.choices import Role
from kechuang.core.exceptions import AccessDenied
from kechuang.core.models import AuditLog
from kechuang.orgs.models import PoolMembership
from kechuang.regions.models import Region
from kechuang.screening.models import Candidate, ScreeningRun
from kechuang.screening.services import candidate_decide, candidates_decide, screening_run
from tests.screening.conftest import figures, hte_certificate, member

D = datetime.date
pytestmark = pytest.mark.django_db


def proposals(run: ScreeningRun) -> dict[str, tuple]:
    return {c.organisation.name: (c.proposal, c.rank) for c in run.candidates.select_related("organisation")}


def test_a_run_proposes_the_organisations_meeting_the_criteria_ranked(county, pools, make_user):
    staff = make_user(Role.BUREAU_STAFF)
    run = screening_run(actor=staff, pool=pools["hte-reserve"], year=2024)
    # 甲 and 乙 are tech SMEs by their data; 丙 has no IP and no S&T staff; 丁 is outside the county.
    # Ranked by the highest reachable high-tech score: 乙 (growth 20 %: more growth points) before 甲.
    assert proposals(run) == {"鹿寨乙材料有限公司": ("entry", 1), "鹿寨甲科技有限公司": ("entry", 2)}
    assert run.screened == 3 and run.region.code == "450223" and run.run_by == staff
    # The digest is the SHA-256 of the criteria stored with the run (canonical JSON), so the run can be checked later.
    canonical = json.dumps(run.criteria, sort_keys=True, ensure_ascii=False)
    assert run.digest == hashlib.sha256(canonical.encode()).hexdigest() and len(run.digest) == 64
    assert run.criteria["criteria"]["registered_years"] == {"min": 1} and run.criteria["exit"]["max_years"] == 3
    first = run.candidates.get(organisation=county["second"])
    assert first.figures["hte_total_max"] > run.candidates.get(organisation=county["first"]).figures["hte_total_max"]
    assert [r["code"] for r in first.reasons] == ["tsme_or_hte", "no_valid_hte", "registered_years"]
    assert all(r["passed"] for r in first.reasons)
    assert "科技型中小企业评价得分 62 分" in first.reasons[0]["text"]
    # Whether tax is assessed on the books is not in the master file: the reason says to check it.
    assert "档案未登记“查账征收" in first.reasons[0]["text"] and "请核实" in first.reasons[0]["text"]
    assert AuditLog.objects.filter(content_type__model="screeningrun", object_id=str(run.pk)).count() == 1


def test_growth_pools_use_their_growth_criteria(county, pools):
    growth = screening_run(
        actor=None, pool=pools["high-growth-tsme"], year=2024, region=Region.objects.get(code="450223")
    )
    assert proposals(growth) == {"鹿寨乙材料有限公司": ("entry", 1)}  # 甲 grew 10 %; 丙 is no tech SME
    gazelle = screening_run(actor=None, pool=pools["gazelle"], year=2024, region=Region.objects.get(code="450223"))
    assert proposals(gazelle) == {"鹿寨丙机械有限公司": ("entry", 1)}  # exactly 20 % a year to 1,440 万元
    reasons = gazelle.candidates.get().reasons
    assert reasons[0]["text"].startswith("近两年销售收入年均复合增长 20.00%")


def test_ranking_follows_the_criteria_order(firm, pools):
    for name, growth in (("鹿寨一号科技有限公司", "13000000"), ("鹿寨二号科技有限公司", "15000000"),
                         ("鹿寨三号科技有限公司", "12500000")):  # fmt: skip
        firm(name, years={2023: ("10000000", "400000"), 2024: (growth, "600000")})
    run = screening_run(actor=None, pool=pools["high-growth-tsme"], year=2024, region=Region.objects.get(code="450223"))
    ranked = [c.organisation.name for c in run.candidates.order_by("rank")]
    assert ranked == ["鹿寨二号科技有限公司", "鹿寨一号科技有限公司", "鹿寨三号科技有限公司"]


def test_a_member_is_not_proposed_again_and_stays(county, pools):
    member(county["second"], pools["hte-reserve"], 2024)
    run = screening_run(actor=None, pool=pools["hte-reserve"], year=2024, region=Region.objects.get(code="450223"))
    stay = run.candidates.get(organisation=county["second"])
    assert (stay.proposal, stay.decision, stay.rank) == ("stay", "none", None)
    assert run.candidates.get(organisation=county["first"]).rank == 1


def test_confirming_an_entry_creates_the_membership_and_an_audit_row(county, pools, make_user):
    staff = make_user(Role.BUREAU_STAFF)
    run = screening_run(actor=staff, pool=pools["hte-reserve"], year=2024)
    candidate = run.candidates.get(organisation=county["second"])
    decided = candidate_decide(actor=staff, candidate=candidate, decision="confirmed")
    membership = PoolMembership.objects.get(organisation=county["second"], pool=pools["hte-reserve"])
    assert (membership.entry_year, membership.exit_year) == (2025, None)  # the year after the data year
    assert membership.entry_reason.startswith("科技型中小企业评价得分 62 分")
    assert "成立于 2020-06-01" in membership.entry_reason and len(membership.entry_reason) <= 255
    assert (decided.decision, decided.decided_by, decided.membership) == ("confirmed", staff, membership)
    assert AuditLog.objects.filter(content_type__model="poolmembership", object_id=str(membership.pk),
                                   action="create", actor=staff).exists()  # fmt: skip
    audit = AuditLog.objects.get(content_type__model="candidate", object_id=str(candidate.pk))
    assert (audit.action, audit.before["decision"], audit.after["decision"]) == ("approve", "pending", "confirmed")
    with pytest.raises(ValidationError, match="不能再确认"):
        candidate_decide(actor=staff, candidate=candidate, decision="confirmed")


def test_rejecting_needs_a_comment(county, pools, make_user):
    admin = make_user(Role.BUREAU_ADMIN)
    run = screening_run(actor=admin, pool=pools["hte-reserve"], year=2024)
    candidate = run.candidates.get(organisation=county["first"])
    with pytest.raises(ValidationError) as refused:
        candidate_decide(actor=admin, candidate=candidate, decision="rejected", comment="  ")
    assert refused.value.message_dict == {"comment": ["不予采纳时须填写意见，写明不采纳的理由"]}
    assert Candidate.objects.get(pk=candidate.pk).decision == "pending"
    candidate_decide(actor=admin, candidate=candidate, decision="rejected", comment="企业已迁出本县")
    candidate.refresh_from_db()
    assert (candidate.decision, candidate.comment) == ("rejected", "企业已迁出本县")
    assert not PoolMembership.objects.filter(organisation=county["first"]).exists()


def test_bulk_confirmation_decides_each_and_skips_the_decided(county, pools, make_user):
    staff = make_user(Role.BUREAU_STAFF)
    run = screening_run(actor=staff, pool=pools["hte-reserve"], year=2024)
    candidate_decide(actor=staff, candidate=run.candidates.get(organisation=county["first"]), decision="rejected",
                     comment="数据待核实")  # fmt: skip
    done, skipped = candidates_decide(actor=staff, candidates=run.candidates.all(), decision="confirmed")
    assert (done, skipped) == (1, 1)
    assert list(PoolMembership.objects.values_list("organisation__name", flat=True)) == ["鹿寨乙材料有限公司"]
    with pytest.raises(ValidationError, match="不予采纳时须填写意见"):
        candidates_decide(actor=staff, candidates=run.candidates.all(), decision="rejected")


def test_a_reserve_member_with_a_certificate_exits(county, pools, make_user):
    staff = make_user(Role.BUREAU_STAFF)
    membership = member(county["first"], pools["hte-reserve"], 2023)
    hte_certificate(county["first"], D(2024, 12, 1), "GR202445000123")
    run = screening_run(actor=staff, pool=pools["hte-reserve"], year=2024)
    leaving = run.candidates.get(organisation=county["first"])
    assert (leaving.proposal, leaving.decision) == ("exit", "pending")
    assert leaving.reasons[0]["text"] == "已认定高新技术企业（证书编号 GR202445000123，2024-12-01 发证）"
    candidate_decide(actor=staff, candidate=leaving, decision="confirmed")
    membership.refresh_from_db()
    assert (membership.exit_year, membership.exit_reason) == (2025, leaving.reasons[0]["text"])
    assert AuditLog.objects.filter(content_type__model="poolmembership", object_id=str(membership.pk),
                                   action="update").exists()  # fmt: skip


def test_a_member_failing_two_years_running_is_proposed_to_exit(firm, pools):
    county = Region.objects.get(code="450223")
    # Without IP or S&T staff no tech SME in 2023 nor in 2024; the other one met every criterion in 2023 (S&T staff
    # 30 %, R&D 6 %, growth 25 %) and lost its S&T staff in 2024.
    both = firm(
        "鹿寨两年不符科技有限公司", years={2023: ("1000000", "0"), 2024: ("1000000", "0")}, invention=False, st=0
    )
    once = firm("鹿寨一年不符科技有限公司", years={2024: ("1000000", "0")}, st=0)
    figures(once, 2022, "800000", "60000", st=30)
    figures(once, 2023, "1000000", "60000", st=30)
    for organisation in (both, once):
        member(organisation, pools["high-growth-tsme"], 2024)
    run = screening_run(actor=None, pool=pools["high-growth-tsme"], year=2024, region=county)
    assert proposals(run) == {"鹿寨两年不符科技有限公司": ("exit", None), "鹿寨一年不符科技有限公司": ("stay", None)}
    assert run.candidates.get(organisation=both).reasons[0]["text"] == "连续 2 年不符合入库条件（2023–2024 年度）"


def test_a_reserve_member_exits_after_three_years(county, pools):
    member(county["second"], pools["hte-reserve"], 2022)  # 2025 − 2022 = 3 years
    member(county["first"], pools["hte-reserve"], 2023)
    run = screening_run(actor=None, pool=pools["hte-reserve"], year=2024, region=Region.objects.get(code="450223"))
    assert proposals(run) == {"鹿寨乙材料有限公司": ("exit", None), "鹿寨甲科技有限公司": ("stay", None)}
    assert run.candidates.get(organisation=county["second"]).reasons[0]["text"] == "入库已满 3 年（2022 年入库）"


def test_a_member_without_figures_fails_with_the_reason(make_org, pools):
    quiet = make_org(name="鹿寨无数据科技有限公司", region="450223100")
    member(quiet, pools["gazelle"], 2025)
    run = screening_run(actor=None, pool=pools["gazelle"], year=2024, region=Region.objects.get(code="450223"))
    candidate = run.candidates.get()
    assert candidate.proposal == "exit"  # no figures for 2023 either: failing two years running
    assert candidate.reasons[1:] == [{"code": "figures", "passed": False, "text": "无2024年度已审核的年度数据"}]


def test_listing_reserve_is_not_screened(pools, make_user):
    with pytest.raises(ValidationError, match="须手工入库"):
        screening_run(actor=make_user(Role.BUREAU_ADMIN), pool=pools["listing-reserve"], year=2024)


@pytest.mark.parametrize("role", [Role.LEADER, Role.ENTERPRISE, Role.SYSADMIN, Role.EXPERT])
def test_only_the_bureau_runs(role, county, pools, make_user):
    with pytest.raises(AccessDenied):
        screening_run(actor=make_user(role, organisation=county["first"] if role == Role.ENTERPRISE else None),
                      pool=pools["hte-reserve"], year=2024)  # fmt: skip
    assert not ScreeningRun.objects.exists()


def test_a_run_stays_inside_the_actors_scope(county, pools, make_user):
    staff = make_user(Role.BUREAU_STAFF)
    with pytest.raises(AccessDenied):
        screening_run(actor=staff, pool=pools["hte-reserve"], year=2024, region=Region.objects.get(code="450222"))
    town = screening_run(actor=staff, pool=pools["hte-reserve"], year=2024, region=Region.objects.get(code="450223101"))
    assert proposals(town) == {"鹿寨乙材料有限公司": ("entry", 1)}  # 甲 is in 鹿寨镇 (450223100)
    # The system (no account) screens the neighbouring county too; the county's staff cannot see that run.
    outside = screening_run(actor=None, pool=pools["high-growth-tsme"], year=2024,
                            region=Region.objects.get(code="450222"))  # fmt: skip
    assert proposals(outside) == {"柳城丁机械有限公司": ("entry", 1)}
    leader = make_user(Role.LEADER)
    from kechuang.screening.selectors import run_list

    assert set(run_list(user=leader)) == {town}
    with pytest.raises(AccessDenied):
        candidate_decide(actor=leader, candidate=town.candidates.get(), decision="confirmed")
    with pytest.raises(AccessDenied):
        candidate_decide(actor=staff, candidate=outside.candidates.get(), decision="confirmed")


def test_a_tech_sme_registration_number_counts_as_a_tech_sme(county, pools):
    from kechuang.orgs.models import Certificate

    # 丙 has no IP and no S&T staff (it fails the evaluation) but is registered as a tech SME for 2025.
    Certificate.objects.create(organisation=county["third"], kind="tsme", number="2025450223A0000001", year=2025)
    run = screening_run(actor=None, pool=pools["hte-reserve"], year=2024, region=Region.objects.get(code="450223"))
    third = run.candidates.get(organisation=county["third"])
    assert third.proposal == "entry" and third.reasons[0]["text"].startswith("已取得科技型中小企业入库登记编号")
