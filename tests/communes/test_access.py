"""The one answer to "may this user do this to this unit": the roles' capabilities and their reach."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communes import scope
from communes.models import Unit, User
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG, TU_KY = "11089", "11143", "298"


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        (User.Role.COMMUNE_OFFICER, NGOC_KY, {scope.READ, scope.ENTER}),
        (User.Role.DISTRICT_STAFF, TU_KY, set(scope.CAPABILITIES[User.Role.DISTRICT_STAFF])),
        (User.Role.LEADER, TU_KY, {scope.READ, scope.REPORT, scope.DASHBOARDS}),
    ],
)
def test_each_role_may_do_its_capabilities_to_the_units_of_its_scope(role, unit, allowed):
    user = make_user("someone", role, unit)
    own, other = Unit.objects.get(code=NGOC_KY), Unit.objects.get(code=TIEN_DONG)
    for action in (scope.READ, scope.ENTER, scope.APPRAISE, scope.REPORT, scope.DASHBOARDS):
        assert scope.may(user, action, own) is (action in allowed), action
    # An officer reaches nothing of another commune; the district reaches all of its communes.
    assert scope.may(user, scope.READ, other) is (role != User.Role.COMMUNE_OFFICER)


def test_unit_for_user_says_not_found_or_refused():
    officer = make_user("officer", User.Role.COMMUNE_OFFICER, NGOC_KY)
    assert scope.unit_for_user(officer, NGOC_KY, scope.ENTER).code == NGOC_KY
    with pytest.raises(Http404):
        scope.unit_for_user(officer, "no-such-unit")
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        scope.unit_for_user(officer, TIEN_DONG)
    with pytest.raises(PermissionDenied, match="Phòng Nội vụ"):
        scope.unit_for_user(officer, NGOC_KY, scope.APPRAISE)


def test_the_users_own_unit_is_in_scope_without_a_query(django_assert_num_queries):
    staff = make_user("staff", User.Role.DISTRICT_STAFF, TU_KY)
    own, commune = Unit.objects.get(code=TU_KY), Unit.objects.get(code=NGOC_KY)
    with django_assert_num_queries(0):
        assert scope.may(staff, scope.APPRAISE, own)
    with django_assert_num_queries(1):
        assert scope.may(staff, scope.APPRAISE, commune)
    # The role still comes first: a leader's own unit is not one whose figures they enter.
    leader = make_user("leader", User.Role.LEADER, TU_KY)
    assert not scope.may(leader, scope.ENTER, own)
