from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesAppConfig):
    """django-axes, named in the data administration in Vietnamese (its own name is the bare "Axes")."""

    verbose_name = _("Login protection")
