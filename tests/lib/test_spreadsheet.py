import datetime

import pytest

from treem.lib.spreadsheet import safe_cell, safe_row


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_text_that_could_start_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


def test_plain_values_are_unchanged():
    day = datetime.date(2026, 1, 2)
    assert safe_row(["Nguyễn Văn An", -3, 2.5, day, None]) == ["Nguyễn Văn An", -3, 2.5, day, None]
