"""Messages of Django and django-simple-history that their catalogues leave in English or word badly in
Vietnamese. Named here so that `make messages` keeps them in the project's catalogue, which Django reads
before theirs (LOCALE_PATHS). Nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO = [
    gettext_noop("Enter a whole number."),  # Django says "số tổng thể"
    gettext_noop("Enter a number."),
    # Django's leaves a space before the full stop.
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Show counts"),  # the admin's filters; not translated
    gettext_noop("Hide counts"),
]

SIMPLE_HISTORY = [
    gettext_noop("History"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    ngettext_lazy("entry", "entries", "count"),
    gettext_noop("Object"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("Close"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("You may edit it again below"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("Deleted %(type_name)s"),
]
