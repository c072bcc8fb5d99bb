"""The commune report form, generated from the catalogue: one block per entered indicator with a
total row and, where the indicator declares them, rows by sex and by age group.

Cells are named `c|CODE|SEX|AGE|n` (numerator) and `c|CODE|SEX|AGE|d` (denominator); the same names
are the columns of the Excel template, so the page and the spreadsheet are one form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from treem.indicators.models import AgeGroup, Indicator, IndicatorValue, Sex, Unit
from treem.indicators.periods import Period

JUMP_WARNING = Decimal("0.5")  # a change of more than 50% from the last period is questioned


@dataclass
class Row:
    sex: str
    age_group: str
    label: str

    def key(self, code: str, part: str) -> str:
        return f"c|{code}|{self.sex}|{self.age_group}|{part}"


@dataclass
class Block:
    indicator: Indicator
    rows: list[Row]

    @property
    def has_denominator(self) -> bool:
        return self.indicator.unit != Unit.COUNT


@dataclass
class Checked:
    values: dict[tuple[str, str, str], tuple[Decimal, Decimal | None]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)


def blocks_for(indicators) -> list[Block]:
    blocks = []
    for ind in indicators:
        rows = [Row("", "", _("Tổng số"))]
        if "sex" in ind.disaggregations:
            rows += [Row(v, "", str(label)) for v, label in Sex.choices]
        if "age_group" in ind.disaggregations:
            rows += [Row("", v, str(label)) for v, label in AgeGroup.choices]
        blocks.append(Block(ind, rows))
    return blocks


def _number(raw: object) -> Decimal | None:
    if raw is None:
        return None
    text = str(raw).strip().replace(" ", "")
    if text == "":
        return None
    # Officials write 1.234 or 1.234,5 (Vietnamese) as often as 1234.5.
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def check(
    blocks: list[Block], data, *, previous: dict[str, Decimal | None], require_all: bool
) -> Checked:
    """Validate every cell; nothing is saved unless `errors` is empty."""
    out = Checked()
    for block in blocks:
        code = block.indicator.code
        parsed: dict[tuple[str, str], tuple[Decimal | None, Decimal | None]] = {}
        for row in block.rows:
            cells = {}
            for part in ("n", "d") if block.has_denominator else ("n",):
                key = row.key(code, part)
                try:
                    value = _number(data.get(key))
                except (InvalidOperation, ValueError):
                    out.errors[key] = _("Ô này phải là một số, ví dụ 1250 hoặc 97,5.")
                    continue
                if value is not None and value < 0:
                    out.errors[key] = _("Số liệu không được âm.")
                    continue
                cells[part] = value
            num, den = cells.get("n"), cells.get("d")
            parsed[(row.sex, row.age_group)] = (num, den)
            if num is None and den is None:
                continue
            if num is None:
                out.errors[row.key(code, "n")] = _("Nhập tử số hoặc để trống cả hai ô.")
                continue
            if block.has_denominator:
                if den is None:
                    out.errors[row.key(code, "d")] = _("Chỉ tiêu tỷ lệ cần có mẫu số.")
                    continue
                if num > den:
                    out.errors[row.key(code, "n")] = _(
                        "Tử số (%(num)s) lớn hơn mẫu số (%(den)s): kiểm tra lại hai ô này."
                    ) % {"num": num, "den": den}
                    continue
            out.values[(code, row.sex, row.age_group)] = (num, den)
        total = parsed.get(("", ""), (None, None))
        if require_all and total[0] is None:
            out.errors.setdefault(
                Row("", "", "").key(code, "n"), _("Chưa nhập số liệu tổng của chỉ tiêu này.")
            )
        for dim, values in (
            ("sex", [v for v, _l in Sex.choices]),
            ("age_group", [v for v, _l in AgeGroup.choices]),
        ):
            if dim not in block.indicator.disaggregations:
                continue
            keys = [(v, "") if dim == "sex" else ("", v) for v in values]
            filled = [parsed[k] for k in keys if parsed.get(k, (None, None))[0] is not None]
            if not filled or total[0] is None:
                continue
            first = block.rows[[(r.sex, r.age_group) for r in block.rows].index(keys[0])]
            if len(filled) != len(keys):
                out.errors.setdefault(
                    first.key(code, "n"),
                    _("Nhập đủ tất cả các dòng phân tổ hoặc để trống tất cả."),
                )
                continue
            for pos, part in ((0, "n"), (1, "d")):
                if part == "d" and not block.has_denominator:
                    continue
                parts_sum = sum((f[pos] or Decimal(0)) for f in filled)
                if total[pos] is not None and parts_sum != total[pos]:
                    out.errors.setdefault(
                        first.key(code, part),
                        _("Cộng các dòng phân tổ (%(sum)s) khác số tổng (%(total)s).")
                        % {"sum": parts_sum, "total": total[pos]},
                    )
        # A jump of more than half from the last period: a warning, the figure may be right.
        before = previous.get(code)
        if code in {k[0] for k in out.values} and before:
            num, den = out.values.get((code, "", ""), (None, None))
            now = _as_value(block.indicator, num, den)
            if now is not None and abs(now - before) > abs(before) * JUMP_WARNING:
                out.warnings[Row("", "", "").key(code, "n")] = _(
                    "Thay đổi hơn 50%% so với kỳ trước (%(before)s → %(now)s): hãy kiểm tra lại."
                ) % {"before": _fmt(before), "now": _fmt(now)}
    return out


def _fmt(value: Decimal) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _as_value(indicator: Indicator, num, den) -> Decimal | None:
    if num is None:
        return None
    if indicator.unit == Unit.COUNT:
        return num
    if not den:
        return None
    return num * (100 if indicator.unit == Unit.PERCENT else 1000) / den


def previous_values(commune_code: str, period: Period, indicators) -> dict[str, Decimal | None]:
    """The total of each indicator for the commune in the period before (final figures)."""
    out: dict[str, Decimal | None] = {}
    rows = IndicatorValue.objects.filter(
        unit_code=commune_code,
        period=period.previous().code,
        indicator__in=indicators,
        sex="",
        age_group="",
        is_final=True,
    ).select_related("indicator")
    for value in rows:
        out[value.indicator.code] = _as_value(value.indicator, value.numerator, value.denominator)
    return out


def initial_data(report) -> dict[str, str]:
    data = {}
    for v in report.values.select_related("indicator"):
        row = Row(v.sex, v.age_group, "")
        data[row.key(v.indicator.code, "n")] = _fmt(v.numerator)
        if v.denominator is not None:
            data[row.key(v.indicator.code, "d")] = _fmt(v.denominator)
    return data
