"""A course's budget line: linked to a plan's budget line through treem.core.budget_lines (the
programmes app registers the source; people never imports programmes); the free-text note of old
rows stays."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from treem.core import budget_lines
from treem.people import services
from treem.people.models import Course, TrainingTopic

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def line(demo, users):
    from treem.programmes.models import BudgetLine, Plan

    plan = Plan.objects.create(
        title="Kế hoạch thực hiện công tác trẻ em năm 2025",
        number="144/KH-UBND",
        level="province",
        province=demo.province,
        year_from=2025,
        year_to=2025,
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    return BudgetLine.objects.create(
        plan=plan,
        year=2025,
        label="Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ cấp xã",
        source="provincial",
        activity="training",
        province=demo.province,
        estimate=120_000_000,
    )


@pytest.fixture
def old_course(demo, users):
    return services.course_create(
        actor=users.specialist,
        title="Tập huấn kỹ năng bảo vệ trẻ em 2025",
        topic=TrainingTopic.objects.first(),
        organiser=demo.organisations["so_y_te"],
        starts_on=D(2025, 5, 5),
        ends_on=D(2025, 5, 6),
        place="Hội trường Sở Y tế",
        hours=16,
        budget_line="KH 144, mục 3.2",
    )


def test_the_programmes_app_registers_its_budget_lines(line):
    assert budget_lines.available()
    refs = budget_lines.choices(line.province_id, [2025])
    assert [r.id for r in refs] == [line.pk]
    assert "144/KH-UBND" in refs[0].label and "Tập huấn" in refs[0].label
    assert budget_lines.describe([line.pk])[line.pk].url.endswith(f"/{line.pk}/")


def test_an_old_course_is_linked_and_keeps_its_note(old_course, line, specialist_client):
    url = reverse("people:course_detail", args=[old_course.pk])
    assert "KH 144, mục 3.2" in specialist_client.get(url).content.decode()
    response = specialist_client.post(
        reverse("people:course_budget", args=[old_course.pk]),
        {"budget_line_ref": line.pk, "version": old_course.version},
    )
    assert response.status_code == 302
    old_course.refresh_from_db()
    assert old_course.budget_line_ref == line.pk
    assert old_course.budget_line == "KH 144, mục 3.2"
    page = specialist_client.get(url).content.decode()
    assert "Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ cấp xã" in page
    assert "KH 144, mục 3.2" in page


def test_a_line_of_another_year_is_refused(demo, users, line):
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            actor=users.specialist,
            title="Tập huấn 2026",
            topic=TrainingTopic.objects.first(),
            organiser=demo.organisations["so_y_te"],
            starts_on=D(2026, 5, 5),
            ends_on=D(2026, 5, 6),
            place="Sở Y tế",
            hours=8,
            budget_line_ref=line.pk,
        )
    assert "budget_line_ref" in exc.value.message_dict
    assert not Course.objects.filter(title="Tập huấn 2026").exists()


def test_a_stale_link_is_refused(old_course, line, users):
    services.course_budget_link(
        actor=users.specialist, course=old_course, budget_line_ref=line.pk, expected_version=1
    )
    with pytest.raises(ValidationError):
        services.course_budget_link(
            actor=users.specialist, course=old_course, budget_line_ref=None, expected_version=1
        )
    assert Course.objects.get(pk=old_course.pk).budget_line_ref == line.pk


def test_a_deleted_line_leaves_the_course_and_its_note(old_course, line, users, specialist_client):
    services.course_budget_link(
        actor=users.specialist, course=old_course, budget_line_ref=line.pk, expected_version=1
    )
    line.delete()
    page = specialist_client.get(reverse("people:course_detail", args=[old_course.pk]))
    text = page.content.decode()
    assert "không còn trong kế hoạch" in text
    assert "KH 144, mục 3.2" in text


def test_without_a_source_no_line_is_offered_and_the_note_is_kept(old_course, users):
    from treem.programmes import budget_source

    budget_lines.unregister_source()
    try:
        assert budget_lines.choices("75", [2025]) == []
        with pytest.raises(ValidationError):
            services.course_budget_link(
                actor=users.specialist, course=old_course, budget_line_ref=1, expected_version=1
            )
    finally:
        budget_source.register()
