"""Top-level routes. There is no Django admin: every read and write goes through restrict() and services."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.i18n import set_language

from kechuang.api import api


@login_not_required
def healthz(request):
    """Liveness for load balancers and the benchmarks: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("kechuang.core.urls")),
    path("accounts/", include("kechuang.accounts.urls")),
    path("regions/", include("kechuang.regions.urls")),
    path("orgs/", include("kechuang.orgs.urls")),
    path("notices/", include("kechuang.notices.urls")),
    path("ip/", include("kechuang.ip.urls")),
    path("talent/", include("kechuang.talent.urls")),
    path("carriers/", include("kechuang.carriers.urls")),
    path("achievements/", include("kechuang.achievements.urls")),
    path("activities/", include("kechuang.activities.urls")),
    path("plans/", include("kechuang.plans.urls")),
    path("reports/", include("kechuang.reports.urls")),
    path("evaluation/", include("kechuang.evaluation.urls")),
    path("screening/", include("kechuang.screening.urls")),
    path("scoring/", include("kechuang.scoring.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api.urls),
]

handler403 = "kechuang.core.views.permission_denied"
handler404 = "kechuang.core.views.page_not_found"
