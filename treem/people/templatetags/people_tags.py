from django import template

from treem.accounts.policy import Action, can

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    """`{% if user|may:"people.staff.view" %}`: the policy's answer, for links and buttons."""
    return can(user, Action(action))
