"""Default training topics, forms of award and the council's voting rule, as editable data.

The certificate of merit of the provincial chairman is Law 06/2022/QH15, Art. 74; the commune
chairman's certificate (giấy khen) Art. 75. The voting share is the default of Treem, to be checked
against the province's council regulation and changed with a new row and date if it differs.
"""

import datetime
from decimal import Decimal

from django.db import migrations

TOPICS = [
    ("ky-nang-bao-ve-tre-em", "Kỹ năng bảo vệ trẻ em", ["commune_official", "village_collaborator"]),
    ("quan-ly-truong-hop", "Quản lý trường hợp (quy trình hỗ trợ, can thiệp)", ["commune_official"]),
    ("phong-ngua-xam-hai", "Phòng ngừa xâm hại trẻ em", ["village_collaborator"]),
    ("ky-luat-tich-cuc", "Kỷ luật tích cực", []),
    ("tham-van-tre-em", "Tham vấn, hỗ trợ tâm lý trẻ em", []),
]
FORMS = [
    (
        "bang-khen-ubnd-tinh",
        "Bằng khen của Chủ tịch UBND tỉnh",
        "province",
        "BẰNG KHEN",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN",
    ),
    (
        "giay-khen-ubnd-xa",
        "Giấy khen của Chủ tịch UBND xã",
        "commune",
        "GIẤY KHEN",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN",
    ),
    (
        "bang-khen-bo-truong",
        "Bằng khen của Bộ trưởng Bộ Y tế",
        "ministry",
        "BẰNG KHEN",
        "BỘ TRƯỞNG BỘ Y TẾ",
    ),
]


def forward(apps, schema_editor):
    Topic = apps.get_model("people", "TrainingTopic")
    Form = apps.get_model("people", "AwardForm")
    Rule = apps.get_model("people", "VotingRule")
    for code, name, required in TOPICS:
        Topic.objects.get_or_create(code=code, defaults={"name": name, "required_for": required})
    for code, name, level, title, issuer in FORMS:
        Form.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "certificate_title": title,
                "issuer_title": issuer,
            },
        )
    if not Rule.objects.exists():
        Rule.objects.create(
            name="Tán thành từ 70% tổng số thành viên Hội đồng",
            threshold=Decimal("0.700"),
            effective_from=datetime.date(2017, 7, 31),
            source="Giá trị mặc định của Treem; cần đối chiếu quy chế Hội đồng Thi đua - Khen "
            "thưởng tỉnh",
        )


def backward(apps, schema_editor):
    apps.get_model("people", "VotingRule").objects.all().delete()
    apps.get_model("people", "AwardForm").objects.filter(code__in=[f[0] for f in FORMS]).delete()
    apps.get_model("people", "TrainingTopic").objects.filter(
        code__in=[t[0] for t in TOPICS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_workforce_training_commendation")]
    operations = [migrations.RunPython(forward, backward)]
