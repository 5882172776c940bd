"""List and export columns of the accounts app."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.tables import Column, Table


class UserTable(Table):
    title = _("用户")
    columns = (
        Column("username", _("账号"), link=True),
        Column("full_name", _("姓名")),
        Column("role", _("角色"), value=lambda u: u.get_role_display()),
        Column("region", _("所属区划"), value=lambda u: u.region.name if u.region else ""),
        Column("organisation", _("所属单位"), value=lambda u: u.organisation.name if u.organisation else ""),
        Column("registration_status", _("注册状态"), value=lambda u: u.get_registration_status_display()),
        Column("is_active", _("启用")),
        Column("is_locked", _("锁定中")),
        Column("last_login", _("最近登录")),
    )


class LoginLogTable(Table):
    title = _("登录日志")
    columns = (
        Column("time", _("时间")),
        Column("username", _("账号")),
        Column("success", _("成功")),
        Column("reason", _("说明")),
        Column("ip", _("IP 地址")),
        Column("user_agent", _("浏览器")),
    )


class OperationLogTable(Table):
    title = _("操作日志")
    columns = (
        Column("time", _("时间")),
        Column("username", _("账号")),
        Column("method", _("方法")),
        Column("path", _("地址")),
        Column("status", _("状态码")),
        Column("params", _("参数")),
        Column("ip", _("IP 地址")),
        Column("request_id", _("请求编号")),
    )
