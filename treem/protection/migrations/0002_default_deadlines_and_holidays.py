"""Loads the default time limits (Decree 56/2017/NĐ-CP for the emergency and plan limits; internal
practice, marked as such, for the rest) and the fixed-date public holidays of the Labour Code 2019,
Art. 112. Lunar holidays (Tết, Hùng Kings' day) and the days the Government moves each year are
entered as data on the settings page, year by year."""

from datetime import date

from django.db import migrations

DEFAULTS = {
    "emergency_hours": (12, "Nghị định 56/2017/NĐ-CP, Điều 31–32"),
    "initial_assessment_hours": (12, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    "assessment_working_days": (3, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    "plan_working_days": (5, "Nghị định 56/2017/NĐ-CP, Điều 29"),
    "approval_working_days": (2, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    "review_days": (30, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    "due_soon_hours": (24, "Quy định nội bộ"),
    "escalation_hours": (24, "Quy định nội bộ"),
}
EFFECTIVE_FROM = date(2017, 6, 1)  # Decree 56/2017 took effect with the Law on Children.

FIXED_HOLIDAYS = [
    (1, 1, "Tết Dương lịch"),
    (4, 30, "Ngày Chiến thắng"),
    (5, 1, "Ngày Quốc tế Lao động"),
    (9, 2, "Quốc khánh"),
]


def load(apps, schema_editor):
    DeadlineSetting = apps.get_model("protection", "DeadlineSetting")
    PublicHoliday = apps.get_model("protection", "PublicHoliday")
    for key, (value, note) in DEFAULTS.items():
        DeadlineSetting.objects.get_or_create(
            key=key,
            commune=None,
            effective_from=EFFECTIVE_FROM,
            defaults={"value": value, "note": note},
        )
    for year in (2025, 2026, 2027):
        for month, day, name in FIXED_HOLIDAYS:
            PublicHoliday.objects.get_or_create(date=date(year, month, day), defaults={"name": name})


def unload(apps, schema_editor):
    DeadlineSetting = apps.get_model("protection", "DeadlineSetting")
    PublicHoliday = apps.get_model("protection", "PublicHoliday")
    DeadlineSetting.objects.filter(
        commune=None, effective_from=EFFECTIVE_FROM, key__in=list(DEFAULTS)
    ).delete()
    dates = [
        date(y, m, d) for y in (2025, 2026, 2027) for m, d, _name in FIXED_HOLIDAYS
    ]
    PublicHoliday.objects.filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_cases_reports_workflow")]
    operations = [migrations.RunPython(load, unload)]
