"""Việt Nam's working calendar as data, loaded from the `holidays` package.

What the package gives for Việt Nam (`holidays.country_holidays("VN")`, category "public" only):
- the holidays of the Labour Code 2019, Art. 112: 1/1, Tết Nguyên Đán (the eve and the first four
  days of the lunar year, lunar dates computed by the package), Hùng Kings' day (10/3 lunar), 30/4,
  1/5, 2/9 and the day next to it (from 2021);
- compensatory days for a holiday on a weekend (Art. 111(3), 112(3)), named "… (nghỉ bù)";
- the days the Government swapped ("Ngày nghỉ (thay cho ngày …)"), with the make-up working
  Saturday of each swap in `weekend_workdays`;
- from 2026, 24/11 "Ngày Văn hóa Việt Nam", which follows a Party resolution but has no enacted
  amendment of the Labour Code behind it yet.

A day whose name is not one of Art. 112's (or its compensatory or swapped day) is loaded as
unconfirmed and does not count until an official confirms it. The refresh is idempotent and never
overrides an official: rows an official added, removed or confirmed are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from treem.protection.models import PublicHoliday

YEARS = range(2012, 2036)
# Names (the package's Vietnamese labels) of the holidays of Labour Code 2019, Art. 112, and of
# Labour Code 2012, Art. 115, for older years.
ART_112_NAMES = {
    "Tết Dương lịch",
    "29 Tết",
    "Giao thừa Tết Nguyên Đán",
    "Tết Nguyên Đán",
    "Mùng hai Tết Nguyên Đán",
    "Mùng ba Tết Nguyên Đán",
    "Mùng bốn Tết Nguyên Đán",
    "Mùng năm Tết Nguyên Đán",
    "Mùng sáu Tết Nguyên Đán",
    "Ngày Giỗ Tổ Hùng Vương",
    "Ngày Chiến thắng",
    "Ngày Quốc tế Lao động",
    "Quốc khánh",
}
OBSERVED_SUFFIX = " (nghỉ bù)"
SWAP_PREFIX = "Ngày nghỉ (thay cho ngày"
MAKE_UP_NAME = "Ngày làm việc bù (Chính phủ hoán đổi ngày nghỉ)"


def package_source() -> str:
    import holidays

    return f"holidays {holidays.__version__}"


@dataclass(frozen=True)
class CalendarDay:
    date: date
    name: str
    kind: str
    confirmed: bool


def _is_enacted(name: str) -> bool:
    base = name.removesuffix(OBSERVED_SUFFIX)
    return base in ART_112_NAMES or name.startswith(SWAP_PREFIX)


def package_days(years=YEARS) -> list[CalendarDay]:
    """The days the package lists for `years`: holidays (confirmed when Art. 112 or a published
    swap stands behind them) and the make-up working Saturdays of the swaps."""
    import holidays

    years = list(years)
    calendar = holidays.country_holidays("VN", years=years, language="vi")
    days = []
    for day, names in sorted(calendar.items()):
        name = names.split(";")[0].strip()
        days.append(
            CalendarDay(
                date=day,
                name=name,
                kind=PublicHoliday.Kind.HOLIDAY,
                confirmed=all(_is_enacted(n.strip()) for n in names.split(";")),
            )
        )
    for day in sorted(getattr(calendar, "weekend_workdays", ()) or ()):
        if day.year in years:
            days.append(
                CalendarDay(
                    date=day, name=MAKE_UP_NAME, kind=PublicHoliday.Kind.WORKING_DAY, confirmed=True
                )
            )
    return days


@dataclass
class LoadResult:
    created: list[date]
    updated: list[date]
    withdrawn: list[date]
    kept_official: int

    @property
    def changed(self) -> list[date]:
        return sorted({*self.created, *self.updated, *self.withdrawn})


@transaction.atomic
def load_package_days(*, years=YEARS) -> LoadResult:
    """Bring the table in line with the package for `years`, leaving officials' rows alone.

    A package row the package no longer lists (a corrected date) is marked removed, never deleted.
    """
    source = package_source()
    wanted = {d.date: d for d in package_days(years)}
    years = list(years)
    existing = {
        h.date: h
        for h in PublicHoliday.objects.select_for_update().filter(
            date__year__gte=min(years), date__year__lte=max(years)
        )
    }
    result = LoadResult(created=[], updated=[], withdrawn=[], kept_official=0)
    now = timezone.now()
    for day, item in wanted.items():
        status = (
            PublicHoliday.Status.CONFIRMED if item.confirmed else PublicHoliday.Status.UNCONFIRMED
        )
        row = existing.get(day)
        if row is None:
            PublicHoliday.objects.create(
                date=day, name=item.name, kind=item.kind, status=status, source=source
            )
            result.created.append(day)
            continue
        if row.by_official:
            result.kept_official += 1
            continue
        if (row.name, row.kind, row.status) != (item.name, item.kind, status):
            row.name, row.kind, row.status = item.name, item.kind, status
            row.source = source
            row.changed_at = now
            row.save(update_fields=["name", "kind", "status", "source", "changed_at"])
            result.updated.append(day)
        elif row.source != source:
            row.source = source
            row.save(update_fields=["source"])
    for day, row in existing.items():
        if day not in wanted and not row.by_official and row.status != PublicHoliday.Status.REMOVED:
            row.status = PublicHoliday.Status.REMOVED
            row.changed_at = now
            row.save(update_fields=["status", "changed_at"])
            result.withdrawn.append(day)
    return result
