from django import template
from django.utils.translation import get_language

from treem.lib.allowance import format_coefficient

register = template.Library()


@register.filter
def dong(value) -> str:
    """1250000 → "1.250.000" (Vietnamese thousands separator), amounts in đồng."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.filter
def coefficient(value) -> str:
    """2.5 → "2,5" on Vietnamese pages (the decimal comma), "2.5" in English."""
    if not value:
        return "—"
    text = format_coefficient(value)
    return text.replace(".", ",") if (get_language() or "vi").startswith("vi") else text


@register.filter
def step_label(action: str) -> str:
    from treem.assistance.workflow import ACTION_LABELS

    return str(ACTION_LABELS.get(action, ""))


@register.filter
def can_run_lists(user) -> bool:
    """Whether the user may prepare every commune's list at once (asks `access`, the one door)."""
    from treem.assistance.access import can_run_province_lists

    return bool(getattr(user, "is_authenticated", False)) and can_run_province_lists(user)
