from django import template

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
    return format_coefficient(value) if value else "—"


@register.filter
def step_label(action: str) -> str:
    from treem.assistance.workflow import ACTION_LABELS

    return str(ACTION_LABELS.get(action, ""))
