from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import path
from django.utils.translation import gettext_lazy as _

from cchc.admin_filters import check_every_admin
from indicators import views
from indicators.dashboards import views as dashboards
from indicators.excel import views as exchange_views
from reports import views as reports_views


def favicon(request):
    # The icon's URL is looked up per request: with debug off it comes from collectstatic's manifest, which
    # does not exist yet when `migrate` (or anything else) first imports these URLs. Not permanent: the hashed
    # name changes whenever the icon does.
    return HttpResponseRedirect(static("favicon.svg"))


# The data administration names the product, not Django ("Trang quản trị cho Django").
admin.site.site_header = _("CCHC monitoring: data administration")
admin.site.site_title = _("CCHC data administration")
admin.site.index_title = _("Data of the system")
check_every_admin(admin.site)

handler400 = "cchc.middleware.bad_request"

urlpatterns = [
    path("", dashboards.overview, name="home"),
    path("xep-hang/", dashboards.ranking, name="ranking"),
    path("ho-so-tre-han/", dashboards.overdue, name="overdue"),
    path("so-hoa/", dashboards.digitization, name="digitization"),
    path("thanh-toan-truc-tuyen/", dashboards.online_payment, name="online_payment"),
    path("xa/<str:code>/", dashboards.commune_profile, name="commune_profile"),
    path("bao-cao/<str:unit_code>/<str:period_code>/", views.report, name="report"),
    path("bao-cao-word/<str:unit_code>/<str:period_code>/", reports_views.download, name="report_docx"),
    path("nop-bao-cao/", dashboards.submissions, name="submissions"),
    path("excel/", exchange_views.exchange, name="exchange"),
    path("excel/mau/", exchange_views.download_template, name="exchange_template"),
    path("excel/xuat/", exchange_views.download_export, name="exchange_export"),
    path("excel/nhap/", exchange_views.upload, name="exchange_import"),
    path("excel/nhap/xac-nhan/", exchange_views.confirm, name="exchange_import_confirm"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages (the admin's) that do not name an icon.
    path("favicon.ico", favicon),
]
