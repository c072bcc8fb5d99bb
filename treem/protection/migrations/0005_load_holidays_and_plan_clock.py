"""Loads Việt Nam's calendar from the `holidays` package for 2012–2035 (lunar Tết and Hùng Kings'
day, the day next to National Day, compensatory days, published swaps and their make-up working
Saturdays; a day without an enacted law behind it as unconfirmed), cites Decree 56/2017 Art. 28
for the plan limit, drops the approval limit from the settings (it is law: Art. 28(4), 2 working
days), and sets the start of each case's current step from its history."""

from django.db import migrations

from treem.protection.calendar import MAKE_UP_NAME, YEARS, package_days, package_source

FIXED_NAMES = {"Tết Dương lịch", "Ngày Chiến thắng", "Ngày Quốc tế Lao động", "Quốc khánh"}


def forward(apps, schema_editor):
    DeadlineSetting = apps.get_model("protection", "DeadlineSetting")
    PublicHoliday = apps.get_model("protection", "PublicHoliday")
    Case = apps.get_model("protection", "Case")
    CaseEvent = apps.get_model("protection", "CaseEvent")

    DeadlineSetting.objects.filter(key="approval_working_days").delete()
    DeadlineSetting.objects.filter(key="plan_working_days", note__contains="Điều 29").update(
        note="Nghị định 56/2017/NĐ-CP, Điều 28 khoản 1"
    )

    # Rows entered by hand before (anything but the four fixed dates the first migration loaded)
    # are officials' decisions: the package never overrides them.
    PublicHoliday.objects.exclude(name__in=FIXED_NAMES).update(by_official=True)
    source = package_source()
    existing = {h.date: h for h in PublicHoliday.objects.all()}
    for item in package_days(YEARS):
        status = "confirmed" if item.confirmed else "unconfirmed"
        row = existing.get(item.date)
        if row is None:
            PublicHoliday.objects.create(
                date=item.date, name=item.name, kind=item.kind, status=status, source=source
            )
        elif not row.by_official:
            row.name, row.kind, row.status, row.source = item.name, item.kind, status, source
            row.save()
    assert MAKE_UP_NAME

    for case in Case.objects.exclude(status="closed").select_related("report"):
        event = (
            CaseEvent.objects.filter(case=case, to_status=case.status).order_by("-at", "-id").first()
        )
        case.step_started_at = event.at if event else case.report.received_at
        case.save(update_fields=["step_started_at"])


def backward(apps, schema_editor):
    PublicHoliday = apps.get_model("protection", "PublicHoliday")
    PublicHoliday.objects.filter(by_official=False).exclude(name__in=FIXED_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [("protection", "0004_holidays_as_data_separation_revisions")]
    operations = [migrations.RunPython(forward, backward)]
