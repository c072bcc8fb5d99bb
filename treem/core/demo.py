"""What every app's demo data is built from.

`manage.py seed_demo` (in `treem.site`, which knows every app) creates the province, communes,
organisations, users and villages, then calls each app's `<app>/demo.py: seed(ctx)` with this
context in INSTALLED_APPS order. The context type lives in the kernel so any app can name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the kernel does not import the apps above it
    from treem.accounts.models import Organisation, User
    from treem.geo.models import Commune, Province, Village

DEMO_PASSWORD = "Treem-demo-2026"  # noqa: S105 - demo data only; seed_demo refuses production
PROVINCE_CODE = "75"  # Đồng Nai
COMMUNE_A = "26041"  # Phường Trấn Biên
COMMUNE_B = "26248"  # Xã Trảng Bom


@dataclass
class DemoContext:
    province: Province
    commune_a: Commune
    commune_b: Commune
    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    villages: dict[str, list[Village]] = field(default_factory=dict)
