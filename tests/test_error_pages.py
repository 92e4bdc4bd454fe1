"""403 and 404 answer with Vietnamese pages in the site's layout, the menu included, and a way back home."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import User
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG = "11089", "11143"


@pytest.fixture
def officer(client):
    user = make_user("canbo", User.Role.COMMUNE_OFFICER, NGOC_KY)
    client.force_login(user)
    return user


def assert_site_page(page):
    assert settings.DEBUG is False  # the pages users see, not Django's debug pages
    assert 'class="site-header"' in page and 'lang="vi"' in page
    assert f'<a href="{reverse("home")}">{_("Back to the home page")}</a>' in page


def test_an_officer_opening_another_communes_page_gets_the_403_page_with_the_menu(client, officer):
    response = client.get(reverse("commune_profile", args=[TIEN_DONG]))
    assert response.status_code == 403
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Không có quyền truy cập</h1>" in page
    assert _("This unit is outside your scope.") in page  # the view's reason
    # The officer's menu, to carry on from here.
    assert 'class="main-menu"' in page
    assert f'href="{reverse("commune_profile", args=[NGOC_KY])}">{_("My commune")}</a>' in page


def test_an_unknown_address_gets_the_404_page_with_the_menu(client, officer):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert_site_page(page)
    assert "<h1>Không tìm thấy trang</h1>" in page
    assert 'class="main-menu"' in page
    assert "Resolver404" not in page


def test_a_visitor_not_logged_in_gets_the_404_page_too(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert_site_page(page)
    assert _("Page not found") in page and "Không tìm thấy trang" in page
    assert 'class="main-menu"' not in page
