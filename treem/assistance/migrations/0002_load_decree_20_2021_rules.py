"""The rules of Decree 20/2021/NĐ-CP for children, as data: policies, groups (Art. 5), coefficients
by age band (Art. 6), the standard amounts (360,000 đ from 07/2021, Decree 20/2021 Art. 4; 500,000 đ
from 07/2024, Decree 76/2024/NĐ-CP) and the settings. Values not checked against the gazette text
are loaded with verified=False, and the screen says so."""

from django.db import migrations

D20 = "Nghị định 20/2021/NĐ-CP"

POLICIES = [
    ("monthly_allowance", "Trợ cấp xã hội hằng tháng", "monthly_cash", f"{D20}, Điều 5, 6", True),
    (
        "health_insurance",
        "Cấp thẻ bảo hiểm y tế miễn phí",
        "in_kind",
        f"{D20}, Điều 9 (số điều chưa đối chiếu)",
        False,
    ),
    (
        "education_support",
        "Hỗ trợ giáo dục, đào tạo và giáo dục nghề nghiệp",
        "in_kind",
        f"{D20}, Điều 10 (số điều chưa đối chiếu)",
        False,
    ),
]

COMMON = ["declaration", "birth_certificate"]
GROUPS = [
    (
        "no_support",
        "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng (mồ côi, bị bỏ rơi, cha mẹ mất tích, "
        "đang chấp hành án phạt tù…); người từ 16 đến 22 tuổi thuộc diện này đang đi học",
        f"{D20}, Điều 5 khoản 1",
        COMMON + ["circumstance_proof"],
        [(0, 4, False, "2.5"), (4, 16, False, "1.5"), (16, 22, True, "1.5")],
    ),
    (
        "disability_especially_severe",
        "Trẻ em khuyết tật đặc biệt nặng; người từ 16 tuổi khuyết tật đặc biệt nặng",
        f"{D20}, Điều 5 khoản 6; Luật Người khuyết tật",
        COMMON + ["disability_certificate"],
        [(0, 16, False, "2.5"), (16, None, False, "2.0")],
    ),
    (
        "disability_severe",
        "Trẻ em khuyết tật nặng; người từ 16 tuổi khuyết tật nặng",
        f"{D20}, Điều 5 khoản 6; Luật Người khuyết tật",
        COMMON + ["disability_certificate"],
        [(0, 16, False, "2.0"), (16, None, False, "1.5")],
    ),
    (
        "hiv_poor",
        "Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo",
        f"{D20}, Điều 5 khoản 4",
        COMMON + ["hiv_certificate", "poverty_certificate"],
        [(0, 4, False, "2.5"), (4, 16, False, "2.0")],
    ),
    (
        "under3_poor_mountain",
        "Trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở xã, thôn đặc biệt khó khăn vùng đồng bào "
        "dân tộc thiểu số và miền núi",
        f"{D20}, Điều 5 khoản 7",
        COMMON + ["poverty_certificate"],
        [(0, 3, False, "1.5")],
    ),
    (
        "single_parent_poor",
        "Người đơn thân nghèo đang nuôi con dưới 16 tuổi, hoặc từ 16 đến 22 tuổi đang đi học "
        "(hệ số tính theo mỗi con)",
        f"{D20}, Điều 5 khoản 3",
        COMMON + ["poverty_certificate"],
        [(0, 16, False, "1.0"), (16, 22, True, "1.0")],
    ),
]

STANDARDS = [
    (360000, "2021-07-01", f"{D20}, Điều 4", True),
    (500000, "2024-07-01", "Nghị định 76/2024/NĐ-CP, Điều 1", True),
]

SETTINGS = [
    (
        "deciding_level",
        "district",
        "2021-07-01",
        f"{D20}, Điều 8: Chủ tịch UBND cấp huyện quyết định",
        True,
    ),
    (
        "deciding_level",
        "commune",
        "2025-07-01",
        "Chính quyền địa phương hai cấp từ 01/7/2025: Chủ tịch UBND cấp xã quyết định "
        "(chưa đối chiếu văn bản phân cấp)",
        False,
    ),
    (
        "posting_working_days",
        "2",
        "2021-07-01",
        f"{D20}, Điều 8 khoản 2: niêm yết công khai kết quả xét duyệt (số ngày chưa đối chiếu)",
        False,
    ),
    (
        "highest_amount_only",
        "1",
        "2021-07-01",
        f"{D20}, Điều 6: thuộc nhiều diện chỉ hưởng một mức cao nhất (khoản chưa đối chiếu; "
        "không tìm thấy văn bản gốc để đối chiếu)",
        False,
    ),
]


def load(apps, schema_editor):
    Policy = apps.get_model("assistance", "Policy")
    Group = apps.get_model("assistance", "BeneficiaryGroup")
    Band = apps.get_model("assistance", "CoefficientBand")
    Standard = apps.get_model("assistance", "StandardAmount")
    Setting = apps.get_model("assistance", "Setting")
    policies = {}
    for code, name, kind, basis, verified in POLICIES:
        policies[code], _ = Policy.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "legal_basis": basis, "verified": verified},
        )
    for code, name, basis, documents, bands in GROUPS:
        group, _ = Group.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "legal_basis": basis,
                "verified": True,
                "required_documents": documents,
            },
        )
        group.policies.add(policies["monthly_allowance"], policies["health_insurance"])
        for age_from, age_to, studying, coefficient in bands:
            Band.objects.get_or_create(
                group=group,
                age_from=age_from,
                age_to=age_to,
                requires_studying=studying,
                effective_from="2021-07-01",
                defaults={
                    "coefficient": coefficient,
                    "legal_basis": f"{D20}, Điều 6",
                    "verified": True,
                },
            )
    for amount, date, basis, verified in STANDARDS:
        Standard.objects.get_or_create(
            province=None,
            effective_from=date,
            defaults={"amount": amount, "legal_basis": basis, "verified": verified},
        )
    for key, value, date, basis, verified in SETTINGS:
        Setting.objects.get_or_create(
            key=key,
            effective_from=date,
            defaults={"value": value, "legal_basis": basis, "verified": verified},
        )


def unload(apps, schema_editor):
    apps.get_model("assistance", "CoefficientBand").objects.filter(
        effective_from="2021-07-01", group__code__in=[g[0] for g in GROUPS]
    ).delete()
    apps.get_model("assistance", "BeneficiaryGroup").objects.filter(
        code__in=[g[0] for g in GROUPS]
    ).delete()
    apps.get_model("assistance", "Policy").objects.filter(code__in=[p[0] for p in POLICIES]).delete()
    apps.get_model("assistance", "StandardAmount").objects.filter(
        province=None, effective_from__in=[s[1] for s in STANDARDS]
    ).delete()
    apps.get_model("assistance", "Setting").objects.filter(
        key__in=[s[0] for s in SETTINGS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_rules_dossiers_payments")]

    operations = [migrations.RunPython(load, unload)]
