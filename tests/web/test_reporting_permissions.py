"""Who may open which page of the yearly reporting round (年报填报) and of the ``pools`` import.

Written by hand from the role semantics (see tests/web/test_permissions.py for the conventions), not computed from
``MATRIX``: the bureau administrator and staff open, edit and review rounds in their county; the leader reads and
exports the lists but reviews nothing; an organisation's users see the rounds that cover their organisation and
their own figures, may submit them, but see no other organisation and review nothing; experts and the three
administrators see nothing of it.

Round R asks 鹿寨县 (450223) for last year's figures; round RB asks 柳城县 (450222). Organisation A (鹿寨镇) has
submitted figures for that year and a draft for the year before; A2 (鹿寨县) has nothing; B (柳城县) has the same
as A. Enterprise and provider users belong to A; bureau users to 鹿寨县. The cells (Y . 4) mean what
``tests/permission_table.py`` says; only the refused list of rounds may answer 200, showing nothing.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.notices.models import Message
from kechuang.orgs.models import AnnualFigures, Organisation, PoolMembership, ReportingRound
from tests.permission_table import (
    ROLE_VALUES,
    Endpoint,
    check_anonymous,
    check_cell,
    parse,
    row_names,
    sides,
    signed_in,
    snapshot,
    user_for,
)

from .conftest import LAST_YEAR, xlsx_rows

EXPECTED = """
                              sys sec aud adm stf ldr ent exp prv
rounds.list                    .   .   .   Y   Y   Y   Y   .   Y
rounds.export                  .   .   .   Y   Y   .   .   .   .
rounds.create.get              .   .   .   Y   Y   .   .   .   .
rounds.create.post             .   .   .   Y   Y   .   .   .   .
rounds.edit.get                .   .   .   Y   Y   .   .   .   .
rounds.edit.post               .   .   .   Y   Y   .   .   .   .
rounds.detail                  .   .   .   Y   Y   Y   Y   .   Y
rounds.reported.export         .   .   .   Y   Y   Y   .   .   .
rounds.missing.export          .   .   .   Y   Y   Y   .   .   .
rounds.review.post             .   .   .   Y   Y   .   .   .   .
roundB.detail                  .   .   .   4   4   4   4   .   4
roundB.edit.get                .   .   .   4   4   4   4   .   4
roundB.edit.post               .   .   .   4   4   4   4   .   4
roundB.review.post             .   .   .   4   4   4   4   .   4

figures.detail                 .   .   .   Y   Y   Y   Y   .   Y
figures.submit.post            .   .   .   Y   Y   .   Y   .   Y
figures.approve.post           .   .   .   Y   Y   .   .   .   .
figures.return.post            .   .   .   Y   Y   .   .   .   .
figuresB.detail                .   .   .   4   4   4   4   .   4
figuresB.submit.post           .   .   .   4   4   4   4   .   4
figuresB.approve.post          .   .   .   4   4   4   4   .   4
figuresB.return.post           .   .   .   4   4   4   4   .   4

pools.import.get               .   .   .   Y   Y   .   .   .   .
pools.template                 .   .   .   Y   Y   .   .   .   .
"""


EXPECT = parse(EXPECTED)
ENDPOINT_NAMES = row_names(EXPECT)
TODAY = timezone.localdate()


@dataclass
class World:
    a: Organisation
    a2: Organisation
    b: Organisation
    round: ReportingRound
    round_b: ReportingRound
    submitted: AnnualFigures  # A's, for the round's year
    draft: AnnualFigures  # A's, the year before
    submitted_b: AnnualFigures
    draft_b: AnnualFigures


@pytest.fixture
def world(make_org, regions, bureau, make_user) -> World:
    a = make_org(name="鹿寨甲科技有限公司", region="450223100")
    a2 = make_org(name="鹿寨乙材料有限公司", region="450223")
    b = make_org(name="柳城丙机械有限公司", region="450222")
    rounds = []
    for region in (regions["450223"], regions["450222"]):
        rounds.append(
            ReportingRound.objects.create(
                region=region, year=LAST_YEAR, opens_on=TODAY - datetime.timedelta(days=1), deadline=TODAY
            )
        )
    figures = {}
    for org in (a, b):
        for year, status in ((LAST_YEAR, "submitted"), (LAST_YEAR - 1, "draft")):
            figures[(org.pk, status)] = AnnualFigures.objects.create(
                organisation=org, year=year, staff_total=30, basis="统计年报口径", review_status=status, source="report"
            )
    return World(
        a=a,
        a2=a2,
        b=b,
        round=rounds[0],
        round_b=rounds[1],
        submitted=figures[(a.pk, "submitted")],
        draft=figures[(a.pk, "draft")],
        submitted_b=figures[(b.pk, "submitted")],
        draft_b=figures[(b.pk, "draft")],
    )


def db_state() -> dict:
    return snapshot(ReportingRound, AnnualFigures, PoolMembership, Message)


def _status(figures: AnnualFigures) -> str:
    return AnnualFigures.objects.get(pk=figures.pk).review_status


def _round_form(**changes) -> dict:
    return {"opens_on": TODAY.isoformat(), "deadline": TODAY.isoformat(), "instructions": "按时填报", **changes}


def _rounds_listed(response, w: World) -> set[str]:
    return sides({r.pk for r in response.context["page"].object_list}, a=w.round.pk, b=w.round_b.pk)


def _xlsx_names(response) -> set[str]:
    return {row[0] for row in xlsx_rows(response)[1:]}


def _round_url(name: str, side: str = "round"):
    return lambda w: reverse(f"orgs:{name}", args=[getattr(w, side).pk])


def _figures_url(name: str, record: str):
    return lambda w: reverse(f"orgs:{name}", args=[getattr(w, record).pk])


ENDPOINTS: dict[str, Endpoint] = {
    "rounds.list": Endpoint(lambda w: "/orgs/rounds/", shows=_rounds_listed),
    "rounds.export": Endpoint(
        lambda w: "/orgs/rounds/?export=xlsx",
        shows=lambda r, w: sides(_xlsx_names(r), a=str(w.round), b=str(w.round_b)),
    ),
    "rounds.create.get": Endpoint(lambda w: "/orgs/rounds/new/"),
    "rounds.create.post": Endpoint(
        lambda w: "/orgs/rounds/new/",
        data=lambda w: _round_form(year=LAST_YEAR - 1),
        done=lambda w: ReportingRound.objects.filter(region__code="450223", year=LAST_YEAR - 1).exists(),
    ),
    "rounds.edit.get": Endpoint(_round_url("round_edit")),
    "rounds.edit.post": Endpoint(
        _round_url("round_edit"),
        data=lambda w: _round_form(status="closed"),
        done=lambda w: ReportingRound.objects.get(pk=w.round.pk).status == "closed",
    ),
    "rounds.detail": Endpoint(
        _round_url("round_detail"),
        shows=lambda r, w: sides(r.content.decode(), a=w.a.name, b=w.b.name),
    ),
    "rounds.reported.export": Endpoint(
        lambda w: f"{w.round.get_absolute_url()}?export=reported",
        shows=lambda r, w: sides(_xlsx_names(r), a=w.a.name, a2=w.a2.name, b=w.b.name),
    ),
    "rounds.missing.export": Endpoint(
        lambda w: f"{w.round.get_absolute_url()}?export=missing",
        shows=lambda r, w: sides(_xlsx_names(r), a=w.a2.name, reported=w.a.name, b=w.b.name),
    ),
    "rounds.review.post": Endpoint(
        _round_url("round_review"),
        data=lambda w: {"figures": [w.submitted.pk], "action": "approve"},
        done=lambda w: _status(w.submitted) == "approved",
    ),
    "roundB.detail": Endpoint(_round_url("round_detail", "round_b")),
    "roundB.edit.get": Endpoint(_round_url("round_edit", "round_b")),
    "roundB.edit.post": Endpoint(_round_url("round_edit", "round_b"), data=lambda w: _round_form(status="closed")),
    "roundB.review.post": Endpoint(
        _round_url("round_review", "round_b"), data=lambda w: {"figures": [w.submitted_b.pk], "action": "approve"}
    ),
    "figures.detail": Endpoint(_figures_url("figures_detail", "submitted")),
    "figures.submit.post": Endpoint(
        _figures_url("figures_submit", "draft"), data=lambda w: {}, done=lambda w: _status(w.draft) == "submitted"
    ),
    "figures.approve.post": Endpoint(
        _figures_url("figures_approve", "submitted"),
        data=lambda w: {"comment": "已核对"},
        done=lambda w: _status(w.submitted) == "approved",
    ),
    "figures.return.post": Endpoint(
        _figures_url("figures_return", "submitted"),
        data=lambda w: {"comment": "请补充研发费用明细"},
        done=lambda w: _status(w.submitted) == "returned",
    ),
    "figuresB.detail": Endpoint(_figures_url("figures_detail", "submitted_b")),
    "figuresB.submit.post": Endpoint(_figures_url("figures_submit", "draft_b"), data=lambda w: {}),
    "figuresB.approve.post": Endpoint(_figures_url("figures_approve", "submitted_b"), data=lambda w: {}),
    "figuresB.return.post": Endpoint(_figures_url("figures_return", "submitted_b"), data=lambda w: {"comment": "x"}),
    "pools.import.get": Endpoint(lambda w: "/imports/pools/"),
    "pools.template": Endpoint(lambda w: "/imports/pools/template/"),
}


def test_table_and_endpoints_agree():
    assert set(ENDPOINT_NAMES) == set(ENDPOINTS)


@pytest.mark.parametrize("role", ROLE_VALUES)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_role_on_endpoint(name, role, world, make_user):
    check_cell(
        signed_in(user_for(role, make_user, world.a)),
        ENDPOINTS[name],
        EXPECT[(name, role)],
        world,
        db_state=db_state,
        shown=lambda endpoint, response, w: endpoint.shows(response, w),
        may_show_nothing=lambda endpoint: endpoint is ENDPOINTS["rounds.list"],
    )


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_anonymous_is_sent_to_sign_in(name, world):
    check_anonymous(ENDPOINTS[name], world, db_state=db_state)
