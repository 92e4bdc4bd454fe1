import functools

from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import text
from .db import Folded, vietnamese


class UnitKind(models.TextChoices):
    PROVINCE = "tinh", _("Province")
    CITY = "thanh_pho", _("City")
    DISTRICT = "huyen", _("District")
    TOWN = "thi_xa", _("Town")
    URBAN_DISTRICT = "quan", _("Urban district")
    COMMUNE = "xa", _("Commune")
    WARD = "phuong", _("Ward")
    TOWNSHIP = "thi_tran", _("Township")
    SPECIAL_ZONE = "dac_khu", _("Special zone")


@functools.cache
def _kind_label(kind, language):
    """The label of a unit kind in `language` (the active one, which the caller passes as the cache key)."""
    return str(dict(UnitKind.choices).get(kind, kind))


def kind_labels():
    """{kind: its label in the active language}, for naming many units with no lookup each."""
    return {kind: _kind_label(kind, get_language()) for kind in UnitKind.values}


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


COMMUNE_KINDS = [UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE]


def branch_ids(root):
    """The ids of `root` and of the units below it that are not communes (a recursive CTE)."""
    table = Unit._meta.db_table
    # UNION (not UNION ALL) ends the recursion even if bad data ever forms a cycle.
    return RawSQL(
        f"""WITH RECURSIVE branch(id) AS (
                SELECT id FROM {table} WHERE id = %s
                UNION
                SELECT child.id FROM {table} child JOIN branch ON child.parent_id = branch.id
                WHERE child.level <> %s
            ) SELECT id FROM branch""",
        [root.pk if isinstance(root, Unit) else root, UnitLevel.COMMUNE],
    )


def existed_between(start, end, unit=""):
    """Q: the unit (the relation `unit` leads to, or the row itself) existed at some time between `start` and
    `end`, dates or expressions (F("period__end")): established by the end, not dissolved before the start.
    Unit.existed_between says the same of a unit in memory."""
    prefix = f"{unit}__" if unit else ""
    started = Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})
    not_ended = Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": start})
    return started & not_ended


class UnitQuerySet(models.QuerySet):
    def subtree(self, root):
        """The unit and all units below it, at any depth, in one query.

        Commune-level units are the leaves of the tree: the recursion walks only the units above them (a
        province's districts, a few hundred at most) and the communes are then found by their parent, with
        its index, instead of recursing through ten thousand of them.
        """
        branch = branch_ids(root)
        return self.filter(Q(pk__in=branch) | Q(parent__in=branch))

    def above_communes(self, root):
        """`root` and the units of its subtree that are not communes (a province's districts)."""
        return self.filter(pk__in=branch_ids(root))

    def communes_in(self, root):
        """The commune-level units of `root`'s subtree (`root` itself if it is one)."""
        if root.level == UnitLevel.COMMUNE:
            return self.filter(pk=root.pk)
        return self.filter(parent__in=branch_ids(root)).communes()

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)

    def communes_below_units_between(self, root):
        """The communes that hang below a unit between `root` and its communes (a province's districts)."""
        return self.filter(parent__in=branch_ids(root)).exclude(parent=root).communes()

    def existing_between(self, start, end):
        """Units that existed at some time between the two dates (not yet dissolved or merged)."""
        return self.filter(existed_between(start, end))

    def search(self, query):
        """Name or code contains the query, ignoring case and accents: "tien dong" finds Tiên Động."""
        query = (query or "").strip()
        if not query:
            return self
        return self.annotate(folded_name=Folded("name")).filter(
            Q(folded_name__contains=text.fold(query)) | Q(code__startswith=query)
        )

    def alphabetical(self):
        return self.order_by(vietnamese("name"), "code")


class UnitManager(models.Manager.from_queryset(UnitQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Unit(models.Model):
    """An administrative unit: a province, a district or a commune-level unit, in a tree of any depth."""

    Kind = UnitKind
    Level = UnitLevel

    code = models.CharField(
        _("unit code"),
        max_length=12,
        unique=True,
        help_text=_("Administrative unit code from the statistical classification."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Stored rather than derived from kind: a "thành phố" can be a province or a district.
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    valid_from = models.DateField(_("established on"), null=True, blank=True)
    valid_until = models.DateField(_("dissolved or merged on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_units",
        verbose_name=_("merged into"),
    )

    objects = UnitManager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = [vietnamese("name"), "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=UnitLevel.COMMUNE, kind__in=COMMUNE_KINDS)
                | (~Q(level=UnitLevel.COMMUNE) & ~Q(kind__in=COMMUNE_KINDS)),
                name="unit_level_matches_kind",
                violation_error_message=_("The unit's level does not match its kind."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="unit_not_merged_into_itself",
                violation_error_message=_("A unit cannot be merged into itself."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="unit_valid_dates_ordered",
                violation_error_message=_("The dissolution date must be after the establishment date."),
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(valid_until__isnull=False),
                name="unit_merged_has_end_date",
                violation_error_message=_("A merged unit must have a merger date."),
            ),
        ]
        indexes = [
            # A page of communes in their usual order reads 50 of them in this order instead of sorting
            # ten thousand by the Vietnamese collation.
            models.Index(vietnamese("name"), "code", name="unit_vietnamese_order"),
            # The recursion through the units above communes (subtree) leaves the communes out.
            models.Index(
                fields=["parent"], condition=~Q(level=UnitLevel.COMMUNE), name="unit_above_communes"
            ),
        ]

    def __str__(self):
        # Pages name thousands of units: the kind's label is translated once per language, not per unit.
        return f"{_kind_label(self.kind, get_language())} {self.name}"

    def natural_key(self):
        return (self.code,)

    def existed_between(self, start, end):
        """The rule of existed_between() (the queries' form), for a unit already read."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_until is None or self.valid_until >= start
        )

    @functools.cached_property
    def has_communes_below_units_between(self):
        """Whether any commune, at any time, hung below a unit between this one and its communes (a district
        of a province before 2025). Asked once an instance, and a request reads its units anew: a page asks it
        for each period it shows."""
        return Unit.objects.communes_below_units_between(self).exists()

    def clean(self):
        if self.parent_id and self.parent.level == UnitLevel.COMMUNE:
            raise ValidationError({"parent": _("A commune-level unit has no units below it.")})
        if self.parent_id and self.pk and Unit.objects.subtree(self).filter(pk=self.parent_id).exists():
            raise ValidationError(
                {"parent": _("A unit cannot be placed under one of its own subordinate units.")}
            )


class UserManager(auth_models.UserManager):
    def get_queryset(self):
        # Every request reads the user's unit (their scope): with the user, as the session loads them.
        return super().get_queryset().select_related("unit")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser has no unit, which only an administrator may lack: createsuperuser failed without this.
        extra_fields.setdefault("role", self.model.Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who uses the dashboard; what they may see and do is scoped to their unit's subtree."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "admin", _("System administrator")
        DISTRICT_STAFF = "district_staff", _("Home Affairs Office staff")
        COMMUNE_OFFICER = "commune_officer", _("Commune officer")
        LEADER = "leader", _("Leader")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEADER)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("unit")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(unit__isnull=False),
                name="user_has_unit_unless_admin",
                violation_error_message=_("Every user except administrators must belong to a unit."),
            ),
        ]
