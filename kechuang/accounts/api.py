"""API of the signed-in user."""

from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

router = Router(tags=[_("账号")])


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    region_code: str | None
    organisation_id: int | None

    @staticmethod
    def resolve_role_label(obj):
        return obj.get_role_display()

    @staticmethod
    def resolve_region_code(obj):
        return obj.region.code if obj.region_id else None


@router.get("/me", response=MeOut, summary=_("当前用户"))
def me(request):
    return request.user
