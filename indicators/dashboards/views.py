"""The dashboard pages. Every page answers as HTML, or as JSON, CSV or xlsx with ?format=."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from communes import scope
from communes.models import Unit
from communes.scope import visible_units

from .. import figures, selectors, workflow
from ..formatting import format_number
from ..views import period_or_404
from . import pages
from .tables import csv_response, json_response, xlsx_response

FORMATS = {"json", "csv", "xlsx"}
# Rows of a table on one screen: a province's 10,000 communes are paged, a district's 23 fit on one page.
PER_PAGE = 50
# More pages than any table fills (five million rows); a larger ?page= would overflow SQL's OFFSET.
MAX_PAGES = 100_000


def _scope(request, public=False):
    """The root unit the page is about and the units the viewer may see below it, None when they see all
    of them; refuses what they may not.

    A visitor of a public page may open any unit. Anybody else may open a unit they see, and a commune
    officer also their district, whose ranking they are shown without opening its communes one by one.
    """
    user = request.user
    if not user.is_authenticated:
        if not public:
            raise _LoginRequired
        return _requested_unit(request) or scope.home_unit(user), None
    home = scope.home_unit(user)
    root = _requested_unit(request) or home
    if not scope.can(user, scope.DASHBOARDS) and root == home:
        return root, visible_units(user)
    if root is None:
        raise PermissionDenied(str(scope.OUTSIDE))
    reason = scope.why_not(user, scope.READ, root)
    if reason:
        raise PermissionDenied(reason)
    return root, None  # a scope is a subtree: holding `root`, it holds all of `root`'s units


def _requested_unit(request):
    code = request.GET.get("unit")
    return get_object_or_404(Unit, code=code) if code else None


class _LoginRequired(Exception):
    pass


def _period(request, periods):
    """The period of ?period=, or the latest with data of `periods` (latest first)."""
    code = request.GET.get("period")
    if not code:
        period = periods[0] if periods else None
    else:
        listed = next((period for period in periods if period.code == code), None)
        period = listed or period_or_404(code)
    if period:
        period.look_for_comparable_among(periods)  # the pages that compare then find it with no query
    return period


def respond(
    request, page, period, root, slug, periods, template="indicators/dashboard.html", units=False, **context
):
    fmt = request.GET.get("format")
    filename = f"{slug}-{root.code}-{period.code}"
    if fmt == "json":
        return json_response(page.payload(period, root))
    if fmt == "csv":
        return csv_response(page.table, filename)
    if fmt == "xlsx":
        return xlsx_response(page.table, filename, page.title)
    sort = request.GET.get("sort", "")
    # The overview pages through its communes (a table of their own); the other pages, their data table.
    table = page.table if page.listing else page.table.sorted_by(sort)
    listing = page.listing().sorted_by(sort) if page.listing else table
    shown = _page_of(request, listing.rows)
    rows = shown.object_list
    context |= page.context | {
        "page": page,
        "period": period,
        "root": root,
        "periods": periods,
        "table": table,
        "listing": listing,
        "shown": shown,
        "showing": _showing(shown, units=units),
        "per_page": PER_PAGE,
        "table_body": table.body(rows if listing is table else None),
        "listing_body": None if listing is table else listing.body(rows),
        "figures": page.charts(rows) if page.charts else [],
        "headline": page.headline() if page.headline else "",
        **(page.shown_context(rows) if page.shown_context else {}),
    }
    return render(request, template, context)


def _page_of(request, rows):
    """The page of ?page= (the first when it is not a number); a page past the end is not found.

    The page is read before the rows are counted: lines count themselves as they are read (figures.Lines).
    """
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    if not 1 <= number <= MAX_PAGES:
        raise Http404(_("There is no such page."))
    start = (number - 1) * PER_PAGE
    shown = rows[start : start + PER_PAGE]
    if number > 1 and not shown:
        raise Http404(_("There is no such page."))
    return Page(shown, number, Paginator(rows, PER_PAGE))


def _showing(shown, units=False):
    values = {
        "first": format_number(shown.start_index()),
        "last": format_number(shown.end_index()),
        "total": format_number(shown.paginator.count),
    }
    if units:
        return _("Showing %(first)s–%(last)s of %(total)s units") % values
    return _("Showing %(first)s–%(last)s of %(total)s communes") % values


def _show(request, build, slug, template, needs, public=False, units=False, work=None):
    """Login, scope and period, then the page `build(root, period, visible)` in the format asked for.

    `needs`: the capability the page asks of a logged-in viewer (scope.DASHBOARDS, or scope.READ for the
    pages commune officers read too); `public`: visitors who are not logged in may read it; `units`: its
    table counts units, not communes; `work(request, root)`: what the viewer has to do now, above the figures.
    """
    try:
        root, visible = _scope(request, public=public)
    except _LoginRequired:
        return redirect_to_login(request.get_full_path())
    if request.user.is_authenticated and not scope.can(request.user, needs):
        raise PermissionDenied(str(scope.REFUSED[needs]))
    periods = list(figures.periods_with_data(root)) if root else []
    period = _period(request, periods)
    context = work(request, root) if work and root and request.GET.get("format") not in FORMATS else {}
    if period is None or root is None:
        return render(request, "indicators/no_data.html", context)
    page = build(root, period, visible)
    return respond(request, page, period, root, slug, periods, template, units=units, **context)


def _appraisal_work(request, root):
    """The Home Affairs Office's to-do list on its home page; nothing for leaders and visitors."""
    if not request.user.is_authenticated or not workflow.is_district_staff(request.user):
        return {}
    return {"work": selectors.appraisal_work(request.user, root)}


def overview(request):
    user = request.user
    if user.is_authenticated and not scope.can(user, scope.DASHBOARDS) and user.unit:
        # The same page in the same format (?format=json stays JSON), of the officer's commune.
        target = reverse("commune_profile", kwargs={"code": user.unit.code})
        query = request.GET.copy()
        query.pop("unit", None)
        return redirect(f"{target}?{query.urlencode()}" if query else target)
    template = "indicators/overview.html"
    return _show(request, pages.overview, "overview", template, scope.DASHBOARDS, work=_appraisal_work)


def ranking(request):
    public = getattr(settings, "CCHC_PUBLIC_RANKING", False)
    return _show(request, pages.ranking, "xep-hang", "indicators/ranking.html", scope.READ, public=public)


def overdue(request):
    return _show(request, pages.overdue, "ho-so-tre-han", "indicators/dashboard.html", scope.DASHBOARDS)


def digitization(request):
    return _show(request, pages.digitization, "so-hoa", "indicators/dashboard.html", scope.DASHBOARDS)


def online_payment(request):
    slug, template = "thanh-toan-truc-tuyen", "indicators/dashboard.html"
    return _show(request, pages.online_payment, slug, template, scope.DASHBOARDS)


def submissions(request):
    template = "indicators/submissions.html"
    return _show(request, pages.submission_list, "nop-bao-cao", template, scope.READ, units=True)


def commune_profile(request, code):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    unit = scope.unit_for_user(request.user, code)
    # What whoever enters this unit's figures has to do now (its officers, the Home Affairs Office), even
    # before it has any figure to show.
    due = []
    if request.GET.get("format") not in FORMATS and scope.may(request.user, scope.ENTER, unit):
        due = selectors.reports_due(unit)
    periods = list(figures.periods_with_data(unit))
    period = _period(request, periods)
    if period is None:
        return render(request, "indicators/no_data.html", {"unit": unit, "due": due})
    page = pages.profile(unit, period, None)
    return respond(request, page, period, unit, "xa", periods, "indicators/profile.html", unit=unit, due=due)
