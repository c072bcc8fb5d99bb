"""The portal's side of the contract with case management (`treem.protection.intake`).

    report_from_concern(concern=concern) -> Report   # routed to the commune, channel "portal";
                                                     # idempotent
    public_status(concern_id=pk) -> "received" | "in_progress" | "closed"

The import is guarded so the portal works before (or without) that module: concerns then stay
"received" and are listed to the commune's workers by the portal's own page.
"""

from __future__ import annotations

import importlib
from types import ModuleType

PUBLIC_STATUSES = ("received", "in_progress", "closed")


def intake_module() -> ModuleType | None:
    try:
        module = importlib.import_module("treem.protection.intake")
    except ImportError:
        return None
    if not hasattr(module, "report_from_concern"):
        return None
    return module


def intake_available() -> bool:
    return intake_module() is not None
