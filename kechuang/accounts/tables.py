"""List and export columns of the accounts app."""

from kechuang.core.tables import Column, Table


class UserTable(Table):
    title = "用户"
    columns = (
        Column("username", "账号", link=True),
        Column("full_name", "姓名"),
        Column("role", "角色", value=lambda u: u.get_role_display()),
        Column("region", "所属区划", value=lambda u: u.region.name if u.region else ""),
        Column("organisation", "所属单位", value=lambda u: u.organisation.name if u.organisation else ""),
        Column("registration_status", "注册状态", value=lambda u: u.get_registration_status_display()),
        Column("is_active", "启用"),
        Column("is_locked", "锁定中"),
        Column("last_login", "最近登录"),
    )


class LoginLogTable(Table):
    title = "登录日志"
    columns = (
        Column("time", "时间"),
        Column("username", "账号"),
        Column("success", "成功"),
        Column("reason", "说明"),
        Column("ip", "IP 地址"),
        Column("user_agent", "浏览器"),
    )


class OperationLogTable(Table):
    title = "操作日志"
    columns = (
        Column("time", "时间"),
        Column("username", "账号"),
        Column("method", "方法"),
        Column("path", "地址"),
        Column("status", "状态码"),
        Column("params", "参数"),
        Column("ip", "IP 地址"),
        Column("request_id", "请求编号"),
    )
