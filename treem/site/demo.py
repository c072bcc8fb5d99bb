"""Demo data for `manage.py seed_demo`: Đồng Nai, its real communes, organisations, one user per
role and villages for two communes. Deterministic: the same names, codes and passwords every time,
so tests and screenshots are stable. Each app may add its own demo data in `<app>/demo.py` with a
`seed(context: DemoContext) -> None` function; the command calls them in INSTALLED_APPS order.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from treem.accounts.models import Organisation, Role, User
from treem.accounts.services import organisation_create, user_create
from treem.core.demo import COMMUNE_A, COMMUNE_B, DEMO_PASSWORD, PROVINCE_CODE, DemoContext
from treem.geo.models import Commune, Province, Village
from treem.lib.text import fold

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "DemoContext", "demo_context", "demo_seed"]
# A fixed TOTP key for the demo administrator only, so the demo can be entered with any
# authenticator app (or `manage.py demo_totp`). Never used outside seed_demo.
DEMO_ADMIN_TOTP_HEX = "3132333435363738393031323334353637383930"


DEMO_USERS = [
    # username, full name, role, organisation key, jurisdiction: province, a, b or villages_a
    ("admin", "Trần Quốc Bảo", Role.SYSTEM_ADMIN, "so_y_te", "province"),
    ("chuyenvien", "Nguyễn Thị Thu Hà", Role.PROVINCE_SPECIALIST, "so_y_te", "province"),
    ("lanhdao", "Lê Văn Thành", Role.PROVINCE_LEADER, "ubnd_tinh", "province"),
    ("chutich.a", "Phạm Minh Tuấn", Role.COMMUNE_CHAIRMAN, "ubnd_a", "a"),
    ("canbo.a", "Võ Thị Hồng Nhung", Role.COMMUNE_WORKER, "ubnd_a", "a"),
    ("chutich.b", "Đặng Văn Hùng", Role.COMMUNE_CHAIRMAN, "ubnd_b", "b"),
    ("canbo.b", "Huỳnh Thị Mai", Role.COMMUNE_WORKER, "ubnd_b", "b"),
    ("ctv.a", "Bùi Thị Lan", Role.VILLAGE_COLLABORATOR, "ubnd_a", "villages_a"),
    ("doitac", "Đỗ Đức Long", Role.PARTNER_OFFICER, "cong_an_a", "a"),
    ("bientap", "Ngô Thanh Tâm", Role.PORTAL_EDITOR, "so_y_te", "province"),
    ("kiemduyet", "Dương Thị Ngọc", Role.PORTAL_MODERATOR, "so_y_te", "province"),
]


def _organisations(ctx: DemoContext) -> None:
    p, a, b = ctx.province, ctx.commune_a, ctx.commune_b
    specs = {
        "so_y_te": (
            "Sở Y tế %s" % p.name.replace("Thành phố ", ""),
            Organisation.Kind.PROVINCIAL_DEPARTMENT,
            None,
        ),
        "ubnd_tinh": ("UBND %s" % p.name, Organisation.Kind.PROVINCIAL_COMMITTEE, None),
        "hoi_phu_nu": ("Hội Liên hiệp Phụ nữ %s" % p.name, Organisation.Kind.WOMENS_UNION, None),
        "ubnd_a": ("UBND %s" % a.name, Organisation.Kind.COMMUNE_COMMITTEE, a),
        "ubnd_b": ("UBND %s" % b.name, Organisation.Kind.COMMUNE_COMMITTEE, b),
        "cong_an_a": ("Công an %s" % a.name, Organisation.Kind.POLICE, a),
        "truong_a": (
            "Trường Tiểu học %s" % a.name.replace("Phường ", ""),
            Organisation.Kind.SCHOOL,
            a,
        ),
        "tram_y_te_a": ("Trạm Y tế %s" % a.name, Organisation.Kind.HEALTH_STATION, a),
        "tram_y_te_b": ("Trạm Y tế %s" % b.name, Organisation.Kind.HEALTH_STATION, b),
    }
    for key, (name, kind, commune) in specs.items():
        org = Organisation.objects.filter(province=p, commune=commune, name=name).first()
        if org is None:
            org = organisation_create(actor=None, name=name, kind=kind, province=p, commune=commune)
        ctx.organisations[key] = org


def _villages(ctx: DemoContext) -> None:
    specs = {
        "a": (
            ctx.commune_a,
            Village.Kind.KHU_PHO,
            ["Khu phố 1", "Khu phố 2", "Khu phố 3", "Khu phố 4"],
        ),
        "b": (
            ctx.commune_b,
            Village.Kind.AP,
            ["Ấp An Bình", "Ấp Quảng Đà", "Ấp Thanh Hóa", "Ấp Sông Mây"],
        ),
    }
    for key, (commune, kind, names) in specs.items():
        villages = []
        for name in names:
            village, _ = Village.objects.get_or_create(
                commune=commune, name_folded=fold(name), defaults={"name": name, "kind": kind}
            )
            villages.append(village)
        ctx.villages[key] = villages


def _users(ctx: DemoContext) -> None:
    for username, full_name, role, org_key, scope in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@treem.example",
                role=role,
                organisation=ctx.organisations[org_key],
                province=None if scope == "villages_a" else ctx.province,
                commune={"a": ctx.commune_a, "b": ctx.commune_b}.get(scope),
                villages=ctx.villages["a"][:2] if scope == "villages_a" else None,
            )
        ctx.users[username] = user
    admin = ctx.users["admin"]
    if not TOTPDevice.objects.filter(user=admin, confirmed=True).exists():
        TOTPDevice.objects.create(user=admin, name="demo", key=DEMO_ADMIN_TOTP_HEX, confirmed=True)


def demo_context() -> DemoContext:
    return DemoContext(
        province=Province.objects.get(code=PROVINCE_CODE),
        commune_a=Commune.objects.get(code=COMMUNE_A),
        commune_b=Commune.objects.get(code=COMMUNE_B),
    )


def demo_seed(*, with_apps: bool = True) -> DemoContext:
    """Create the demo data, or complete it if part exists. Requires `load_geography` first.

    `with_apps=False` seeds only the foundation (places, organisations, users): the test suite
    starts from that and each app's tests add what they need.
    """
    if settings.PRODUCTION:
        raise RuntimeError("seed_demo refuses to run with TREEM_ENV=production")
    with transaction.atomic():
        ctx = demo_context()
        _organisations(ctx)
        _villages(ctx)
        _users(ctx)
    if not with_apps:
        return ctx
    for config in apps.get_app_configs():
        if not config.name.startswith("treem.") or config.name in ("treem.core", "treem.site"):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        with transaction.atomic():
            module.seed(ctx)
    return ctx
