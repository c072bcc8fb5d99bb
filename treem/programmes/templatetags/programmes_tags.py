from django import template

register = template.Library()


@register.filter
def dong(value) -> str:
    """Whole đồng with Vietnamese digit grouping: 1.500.000."""
    if value is None or value == "":
        return "–"
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def dmy(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
