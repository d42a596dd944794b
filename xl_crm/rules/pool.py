"""Ownership and the public pool (公海, DOMAIN section 16).

A customer nobody owns is in the pool; a Regular customer with no Open
deal that nobody has touched (nor been given) for more than PoolDays is
due back to it; every other customer is protected by its owner.
"""

from __future__ import annotations

from ..model.cells import Invalid, as_date, as_number, blank_on_invalid, is_blank
from ..model.settings import DEFAULT, Settings
from ..model.vocab import TIER


@blank_on_invalid
def pool_status(owner, tier, open_deals, last_contact, assigned_date, as_of,
                settings: Settings = DEFAULT) -> str | None:
    """Pool / Release / Owned; blank when a value it needs is unreadable or no date says since when.

    A blank tier counts as Regular, as in cadence_days.
    """
    if is_blank(owner):
        return "Pool"
    tier = TIER.parse(tier)
    if tier in ("VIP", "Key"):
        return "Owned"
    deals = as_number(open_deals)
    if deals is None:
        raise Invalid("open deals unknown")
    if deals > 0:
        return "Owned"
    dates = [d for d in (as_date(last_contact), as_date(assigned_date)) if d is not None]
    if not dates:
        raise Invalid("neither a last contact nor an assigned date")
    return "Release" if (as_date(as_of) - max(dates)).days > settings.pool_days else "Owned"
