"""Pages of notices and of one's own messages."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kechuang.core.access import may, restrict
from kechuang.core.views import RecordFormView, RecordListView

from . import selectors, services
from .forms import NoticeForm
from .models import Notice
from .tables import NoticeTable


class NoticeListView(RecordListView):
    model = Notice
    table_class = NoticeTable
    title = _("通知公告")
    create_url_name = "notices:create"

    def queryset(self, action):
        return selectors.notice_list(user=self.request.user) if action == "view" else super().queryset(action)


@require_safe
def notice_detail(request, pk: int):
    notice = get_object_or_404(restrict(Notice, request.user), pk=pk)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "title": notice.title,
            "can_change": may(request.user, "change", notice),
        },
    )


class NoticeFormView(RecordFormView):
    model = Notice
    form_class = NoticeForm

    def save(self, form, obj):
        if obj is None:
            return services.notice_create(actor=self.request.user, **form.service_data())
        return services.notice_update(actor=self.request.user, notice=obj, data=form.service_data())


@require_safe
def message_list(request):
    items = selectors.messages_for(user=request.user)[:200]
    return render(request, "notices/message_list.html", {"items": items, "title": gettext("站内消息")})


@require_safe
def message_open(request, pk: int):
    message = get_object_or_404(selectors.messages_for(user=request.user), pk=pk)
    services.message_mark_read(user=request.user, message=message)
    return redirect(message.link or "notices:messages")
