"""Every table, one per module; importing this package registers them all on Base.metadata."""

from backend.db.models.auth_token import AuthToken, TokenPurpose
from backend.db.models.notification import DeliveryState, Notification
from backend.db.models.organisation import NACE_SECTIONS, Organisation
from backend.db.models.region import Region
from backend.db.models.region_quota import RegionQuota
from backend.db.models.user import Locale, Role, User, coordinator_regions

__all__ = [
    "NACE_SECTIONS",
    "AuthToken",
    "DeliveryState",
    "Locale",
    "Notification",
    "Organisation",
    "Region",
    "RegionQuota",
    "Role",
    "TokenPurpose",
    "User",
    "coordinator_regions",
]
