"""Each field's validation error, as the registration service reports it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from treem.registry import services
from treem.registry.cleaning import GeoLookup, child_clean
from treem.registry.validation import parse_birth_date

from .conftest import TODAY

GOOD = {
    "full_name": "Nguyễn Văn An",
    "birth_date": "05/03/2018",
    "sex": "Nam",
    "commune": "26041",
}


@pytest.fixture
def geo(db):
    return GeoLookup.load("75")


def errors_for(geo, **changes):
    _values, errors = child_clean({**GOOD, **changes}, geo=geo, today=TODAY)
    return errors


def test_good_row_has_no_errors(geo):
    assert errors_for(geo) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"full_name": "Nguyễn Văn 2"}, "full_name"),
        ({"birth_date": ""}, "birth_date"),
        ({"birth_date": "31/02/2018"}, "birth_date"),
        ({"birth_date": "hôm qua"}, "birth_date"),
        ({"birth_date": "05/03/2030"}, "birth_date"),
        ({"birth_date": "05/03/1990"}, "birth_date"),
        ({"sex": "X"}, "sex"),
        ({"sex": ""}, "sex"),
        ({"ethnicity": "Elf"}, "ethnicity"),
        ({"ethnicity": "55"}, "nationality"),
        ({"id_number": "12345"}, "id_number"),
        ({"id_number": "999218123456"}, "id_number"),  # unknown province code
        ({"id_number": "075318123456"}, "id_number"),  # digit 3 = female, child is male
        ({"id_number": "075217123456"}, "id_number"),  # year 2017, born 2018
        ({"birth_registration": "maybe"}, "birth_registration"),
        ({"commune": ""}, "commune"),
        ({"commune": "99999"}, "commune"),
        ({"village": "Thôn Không Có"}, "village"),
        ({"current_commune": "00000"}, "current_commune"),
        ({"school_status": "sometimes"}, "school_status"),
        ({"school_status": "out_of_school", "grade": "3"}, "grade"),
        ({"school_status": "in_school", "grade": "Lớp 13"}, "grade"),
        ({"health_insurance_number": "ABC"}, "health_insurance_number"),
        ({"disability_type": "mobility"}, "disability_severity"),
        ({"disability_severity": "severe"}, "disability_type"),
        ({"disability_type": "wings", "disability_severity": "severe"}, "disability_type"),
        ({"nutrition_status": "hungry"}, "nutrition_status"),
        ({"legal_basis": "because"}, "legal_basis"),
    ],
)
def test_each_field_reports_its_own_error(geo, changes, field):
    errors = errors_for(geo, **changes)
    assert field in errors, errors
    assert all(isinstance(m, str) and m.endswith(".") for m in errors[field])


def test_valid_id_number_matching_sex_and_year(geo):
    assert errors_for(geo, id_number="0752 1812 3456") == {}
    assert errors_for(geo, id_number="075318123456", sex="Nữ") == {}


def test_health_insurance_both_formats(geo):
    assert errors_for(geo, health_insurance_number="TE1 75 0123456789") == {}
    assert errors_for(geo, health_insurance_number="7512345678") == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/03/2018", (dt.date(2018, 3, 5), dt.date(2018, 3, 5), "day")),
        ("5-3-2018", (dt.date(2018, 3, 5), dt.date(2018, 3, 5), "day")),
        ("2018-03-05", (dt.date(2018, 3, 5), dt.date(2018, 3, 5), "day")),
        (43164, (dt.date(2018, 3, 5), dt.date(2018, 3, 5), "day")),  # Excel serial
        ("43164", (dt.date(2018, 3, 5), dt.date(2018, 3, 5), "day")),
        ("03/2018", (dt.date(2018, 3, 1), dt.date(2018, 3, 31), "month")),
        ("2018", (dt.date(2018, 1, 1), dt.date(2018, 12, 31), "year")),
        (2018, (dt.date(2018, 1, 1), dt.date(2018, 12, 31), "year")),
        ("ngày 5 tháng 3 năm 2018", (dt.date(2018, 3, 5), dt.date(2018, 3, 5), "day")),
        ("tháng 2/2016", (dt.date(2016, 2, 1), dt.date(2016, 2, 29), "month")),
        (dt.datetime(2018, 3, 5, 0, 0), (dt.date(2018, 3, 5), dt.date(2018, 3, 5), "day")),
    ],
)
def test_birth_dates_in_every_form_people_write_them(value, expected):
    assert parse_birth_date(value) == expected


def test_register_refuses_commune_outside_jurisdiction(demo):
    with pytest.raises(ValidationError) as exc:
        services.child_register(
            actor=demo.users["canbo.a"],
            raw={**GOOD, "commune": demo.commune_b.code},
            decision="new",
            today=TODAY,
        )
    assert "commune" in exc.value.message_dict


def test_names_are_stored_nfc(register):
    import unicodedata

    child = register(full_name=unicodedata.normalize("NFD", "  Trần   Thị Ánh "))
    assert child.full_name == "Trần Thị Ánh"
    assert unicodedata.is_normalized("NFC", child.full_name)
    assert child.name_key == "tran thi anh"


def test_messages_are_translated_to_english(geo):
    from django.utils import translation

    with translation.override("en"):
        errors = errors_for(geo, birth_date="31/02/2018")
    assert errors["birth_date"][0].startswith("Cannot read the birth date")
