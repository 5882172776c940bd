"""Excel kinds talents, commissioners and service-logs: template round trips, every error at once, --update
idempotence, exports in the import format with identity numbers shown only to those who may read them."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from kechuang.accounts.choices import Role
from kechuang.core.importkit import ImportRefused, get_schema, run_import, write_template
from kechuang.core.models import AuditLog
from kechuang.talent.models import Commissioner, Person, ServiceLog, Title

from .conftest import make_id

pytestmark = pytest.mark.django_db

A = make_id(birth="19800312", serial=11)
B = make_id(birth="19920101", serial=12, male=False)


def template_rows(kind: str, data_rows) -> bytes:
    buffer = io.BytesIO()
    write_template(get_schema(kind), buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for row in data_rows:
        workbook["数据"].append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(path) -> list[list]:
    workbook = load_workbook(path, read_only=True)
    return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


def audit_text() -> str:
    return str(list(AuditLog.objects.values_list("before", "after", "object_repr")))


@pytest.fixture
def org(make_org):
    return make_org("鹿寨县恒达汽车配件有限公司", region="450223100")


def talents_file(org) -> bytes:
    return template_rows(
        "talents",
        [
            [A, "韦志强", org.uscc, org.name, "", "机械工程", "本科", "是", "柳州市高层次人才、八桂学者", "13807720001",
             "高级工程师", "2019-12-20", "工程师", "2012/12/1", "", ""],
            [B, "覃丽", "", "", "黄冕镇", "林学", "硕士", "否", "", "", "", "", "", "", "助理工程师", "2016年11月5日"],
        ],
    )  # fmt: skip


def test_talents_template_round_trip(bureau, org):
    report = run_import("talents", actor=bureau, raw=talents_file(org), filename="t.xlsx")
    assert (report.rows, report.created) == (2, 2)
    wei = Person.objects.get(name="韦志强")
    assert (wei.id_number, wei.organisation, wei.region, wei.education, wei.is_researcher) == (
        A, org, None, "bachelor", True,
    )  # fmt: skip
    assert wei.programmes == ["柳州市高层次人才", "八桂学者"]
    assert sorted(wei.titles.values_list("level", "name")) == [("intermediate", "工程师"), ("senior", "高级工程师")]
    qin = Person.objects.get(name="覃丽")
    assert (qin.place.code, qin.gender, qin.titles.get().name) == ("450223104", "female", "助理工程师")
    assert A not in audit_text() and B not in audit_text()
    assert AuditLog.objects.filter(content_type__model="title").count() == 3


def test_talents_update_and_a_second_run_changes_nothing(bureau, org):
    raw = talents_file(org)
    run_import("talents", actor=bureau, raw=raw, filename="t.xlsx")
    with pytest.raises(ImportRefused, match="已存在"):
        run_import("talents", actor=bureau, raw=raw, filename="t.xlsx")
    audits = AuditLog.objects.count()
    again = run_import("talents", actor=bureau, raw=raw, filename="t.xlsx", update=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2) and AuditLog.objects.count() == audits
    changed = xlsx(
        [
            ["身份证号码", "姓名", "所在区划", "高级职称", "高级职称取得日期"],
            [B, "覃丽", "黄冕镇", "高级工程师", "2024-12-01"],
        ]
    )
    report = run_import("talents", actor=bureau, raw=changed, filename="c.xlsx", update=True)
    assert (report.created, report.updated) == (0, 1)
    qin = Person.objects.get(name="覃丽")
    assert sorted(qin.titles.values_list("level", flat=True)) == ["junior", "senior"]  # the blank levels stay


def test_talents_errors_are_all_reported_and_nothing_is_written(bureau, org, make_org):
    far = make_org("柳城企业", region="450222")
    before = (Person.objects.count(), AuditLog.objects.count())
    raw = xlsx([
        ["身份证号码", "姓名", "所在单位统一社会信用代码", "所在区划", "学历", "高级职称", "高级职称取得日期"],
        ["4502**********0011", "甲", "", "鹿寨镇", "", "", ""],
        [A[:17] + ("0" if A[17] != "0" else "1"), "乙", "", "鹿寨镇", "", "", ""],
        [A, "丙", "", "", "", "", ""],
        [make_id(), "丁", far.uscc, "", "", "", ""],
        [make_id(), "戊", "", "鹿寨镇", "中专", "高级工程师", ""],
        [make_id(), "己", "", "450222", "", "", ""],
        [A.replace("X", "x") if "X" in A else " " + A, "庚", "", "鹿寨镇", "", "", ""],
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("talents", actor=make_user_staff(bureau), raw=raw, filename="bad.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("第2行 身份证号码：身份证号码已脱敏") for m in messages)
    assert any(m.startswith("第3行 身份证号码：校验码错误") for m in messages)
    assert "第4行 所在区划：没有所在单位的人员须填写所在区划" in messages
    assert any(m.startswith("第5行 所在单位统一社会信用代码：该单位不存在或不在您的管辖范围内") for m in messages)
    assert any(m.startswith("第6行 学历：") for m in messages)
    assert "第6行 高级职称取得日期：职称名称和取得日期要一起填写" in messages
    assert "第7行 所在区划：不在您的管辖范围内" in messages
    assert any(m.startswith("第8行 身份证号码：与第4行重复") for m in messages)
    assert (Person.objects.count(), AuditLog.objects.count()) == before


def make_user_staff(bureau):
    """The bureau administrator's colleague (bureau staff of 鹿寨县) — a second actor with the same scope."""
    from kechuang.accounts.models import User

    staff = User(username="luzhai-staff", role=Role.BUREAU_STAFF, region=bureau.region)
    staff.set_password("Kc-test-2026!")
    staff.save()
    return staff


def test_export_writes_full_numbers_only_for_those_who_may_read_them(bureau, org, make_user, tmp_path):
    run_import("talents", actor=bureau, raw=talents_file(org), filename="t.xlsx")
    full, masked = tmp_path / "full.xlsx", tmp_path / "masked.xlsx"
    call_command("export", "talents", str(full), "--user", bureau.username)
    leader = make_user(Role.LEADER)
    call_command("export", "talents", str(masked), "--user", leader.username)
    full_rows, masked_rows = sheet_rows(full), sheet_rows(masked)
    assert {r[0] for r in full_rows[1:]} == {A, B}
    assert {r[0] for r in masked_rows[1:]} == {A[:4] + "*" * 10 + A[-4:], B[:4] + "*" * 10 + B[-4:]}
    # The full export imports back unchanged; the masked one is refused with the reason and what to do.
    report = run_import("talents", actor=bureau, raw=full.read_bytes(), filename="full.xlsx", update=True)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    with pytest.raises(ImportRefused) as refused:
        run_import("talents", actor=bureau, raw=masked.read_bytes(), filename="masked.xlsx", update=True)
    assert all("已脱敏" in m and "有权查看完整身份证号码的账号导出" in m for m in refused.value.messages)
    assert len(refused.value.messages) == 2


def test_enterprise_exports_its_own_people_masked(bureau, org, make_user, make_org, tmp_path):
    run_import("talents", actor=bureau, raw=talents_file(org), filename="t.xlsx")
    path = tmp_path / "own.xlsx"
    call_command("export", "talents", str(path), "--user", make_user(Role.ENTERPRISE, organisation=org).username)
    rows = sheet_rows(path)[1:]
    assert [(r[0], r[1]) for r in rows] == [(A[:4] + "*" * 10 + A[-4:], "韦志强")]


# --- commissioners and service logs ----------------------------------------------------------------------------


@pytest.fixture
def people(bureau, org):
    run_import("talents", actor=bureau, raw=talents_file(org), filename="t.xlsx")
    return Person.objects.get(name="韦志强"), Person.objects.get(name="覃丽")


def roster_file(org) -> bytes:
    return template_rows(
        "commissioners",
        [
            [A, "韦志强", 2020, "县级", "中渡镇", "大兆村", "", "鹿寨县农业技术推广中心", "桑蚕"],
            [B, "覃丽", 2020, "市级", "450223104", "幽兰村", org.uscc, "", "油茶种植"],
            [B, "", 2019, "", "黄冕镇", "幽兰村", "", "柳州市农业科学研究中心", ""],
        ],
    )


def logs_file() -> bytes:
    return template_rows(
        "service-logs",
        [
            [A, "韦志强", "2020-04-16", "大兆村", "现场指导", 2, "", "指导桑园春季管理"],
            [A, "", "2020-05-20", "大兆村", "技术培训", "", 36, "桑蚕养殖技术培训"],
            [B, "覃丽", "2019-11-02", "幽兰村", "示范推广", 1, "", "油茶低产林改造示范"],
        ],
    )


def test_commissioners_and_logs_round_trip(bureau, org, people, tmp_path):
    report = run_import("commissioners", actor=bureau, raw=roster_file(org), filename="c.xlsx")
    assert report.created == 3
    qin2020 = Commissioner.objects.get(person=people[1], year=2020)
    assert (qin2020.level, qin2020.township.code, qin2020.sending_unit, qin2020.sending_unit_name) == (
        "city", "450223104", org, "",
    )  # fmt: skip
    report = run_import("service-logs", actor=bureau, raw=logs_file(), filename="s.xlsx")
    assert report.created == 3
    training = ServiceLog.objects.get(kind="training")
    assert (training.days, training.trainees, training.commissioner.person) == (1, 36, people[0])
    for kind in ("commissioners", "service-logs"):
        path = tmp_path / f"{kind}.xlsx"
        call_command("export", kind, str(path), "--user", bureau.username)
        again = run_import(kind, actor=bureau, raw=path.read_bytes(), filename=path.name, update=True)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3), kind
    audits = AuditLog.objects.count()
    assert run_import("service-logs", actor=bureau, raw=logs_file(), filename="s.xlsx", update=True).unchanged == 3
    assert AuditLog.objects.count() == audits


def test_commissioner_and_log_errors(bureau, org, people, far_township):
    run_import("commissioners", actor=bureau, raw=roster_file(org), filename="c.xlsx")
    raw = xlsx([
        ["身份证号码", "姓名", "选派年度", "服务乡镇", "服务村", "派出单位统一社会信用代码", "派出单位名称"],
        [A, "韦志刚", 2021, "中渡镇", "大兆村", "", "x"],
        [make_id(), "", 2021, "中渡镇", "大兆村", "", "x"],
        [A, "", 2021, "鹿寨县", "大兆村", "", "x"],
        [A, "", 2022, far_township.code, "某村", "", "x"],
        [A, "", 2023, "中渡镇", "大兆村", "91450223MA5N7B2T5X", ""],
        [A, "", 2020, "中渡镇", "大兆村", "", "x"],
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("commissioners", actor=make_user_staff(bureau), raw=raw, filename="bad.xlsx")
    messages = refused.value.messages
    assert "第2行 姓名：姓名“韦志刚”与该身份证号码登记的姓名“韦志强”不一致" in messages
    assert any(m.startswith("第3行 身份证号码：人才库中没有该身份证号码的人员") for m in messages)
    assert any(m.startswith("第4行 服务乡镇：服务乡镇应选择乡镇") for m in messages)
    assert "第5行 服务乡镇：不在您的管辖范围内" in messages
    assert any(m.startswith("第6行 派出单位统一社会信用代码：派出单位不在系统中") for m in messages)
    assert any(m.startswith("第7行 身份证号码+选派年度：该记录已存在") for m in messages)
    logs = xlsx([
        ["身份证号码", "服务日期", "服务地点（村）", "服务类型", "培训人数", "服务内容"],
        [A, "2019-04-16", "大兆村", "现场指导", "", "x"],
        [A, "2020-04-16", "大兆村", "现场指导", 12, "x"],
        [A, "2020-04-17", "大兆村", "培训", "", "x"],
    ])  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        run_import("service-logs", actor=bureau, raw=logs, filename="bad.xlsx")
    messages = refused.value.messages
    assert any(m.startswith("第2行 服务日期：该人员2019年未登记为科技特派员") for m in messages)
    assert "第3行 培训人数：只有“技术培训”填写培训人数；现场指导请填 0 或留空" in messages
    assert any(m.startswith("第4行 服务类型：") for m in messages)
    assert not ServiceLog.objects.exists()


def test_import_needs_the_import_right(make_user, org, people):
    from kechuang.core.exceptions import AccessDenied

    for kind, raw in (
        ("talents", talents_file(org)),
        ("commissioners", roster_file(org)),
        ("service-logs", logs_file()),
    ):
        with pytest.raises(AccessDenied):
            run_import(kind, actor=make_user(Role.LEADER), raw=raw, filename="x.xlsx")


def test_titles_of_an_import_are_checked_against_the_birth_year(bureau):
    raw = xlsx(
        [
            ["身份证号码", "姓名", "所在区划", "中级职称", "中级职称取得日期"],
            [A, "韦志强", "鹿寨镇", "工程师", "1990-01-01"],
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        run_import("talents", actor=bureau, raw=raw, filename="t.xlsx")
    assert any("早于该人员16周岁" in m for m in refused.value.messages)
    assert not Title.objects.exists()
