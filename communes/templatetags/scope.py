from django import template

from communes import scope

register = template.Library()


@register.filter
def can(user, action):
    """{% if user|can:"enter" %}: scope.can(), the roles' one table, asked by the templates."""
    return scope.can(user, action)
