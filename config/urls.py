from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import URLPattern, URLResolver, include, path, re_path

admin.site.site_header = "三项 · 行政执法三项制度平台"
admin.site.site_title = "三项 管理"
admin.site.index_title = "基础数据管理"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("accounts/", include("sanxiang.accounts.urls")),
    path("agencies/", include("sanxiang.agencies.urls")),
    path("deadlines/", include("sanxiang.deadlines.urls")),
    path("audit/", include("sanxiang.audit.urls")),
    path("parties/", include("sanxiang.parties.urls")),
    path("cases/", include("sanxiang.cases.urls")),
    path("inspections/", include("sanxiang.inspections.urls")),
    path("coercion/", include("sanxiang.coercion.urls")),
    path("payments/", include("sanxiang.payments.urls")),
    path("documents/", include("sanxiang.documents.urls")),
    path("evidence/", include("sanxiang.evidence.urls")),
    path("access/", include("sanxiang.access.urls")),
    path("review/", include("sanxiang.review.urls")),
    path("work/", include("sanxiang.worklist.urls")),
    path("publications/", include("sanxiang.disclosure.urls_staff")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("sanxiang.api.urls")),
    path("complaints/", include("sanxiang.complaints.urls")),
    path("", include("sanxiang.disclosure.urls")),
]
if settings.SERVE_STATIC:
    # The embedded demo: the vendored assets from the apps' static folders, whether DEBUG is off or on.
    urlpatterns = [re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}), *urlpatterns]
