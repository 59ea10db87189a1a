"""Every table, one per module; importing this package registers them all on Base.metadata."""

from backend.db.models.applicant_profile import ApplicantProfile, EmploymentStatus, Sex
from backend.db.models.application import HOLDING_STATES, OPEN_STATES, Application, ApplicationState, InterviewOutcome
from backend.db.models.application_event import ApplicationEvent
from backend.db.models.auth_token import AuthToken, TokenPurpose
from backend.db.models.document import Document, DocumentKind, ObjectDeletion
from backend.db.models.matching_round import MatchingRound, RoundAssignment, RoundEdit, RoundState
from backend.db.models.notification import DeliveryState, Notification
from backend.db.models.offer import Offer, OfferState
from backend.db.models.offer_event import OfferEvent
from backend.db.models.offer_language import CefrLevel, OfferLanguage
from backend.db.models.organisation import NACE_SECTIONS, Organisation
from backend.db.models.placement import Placement, PlacementState
from backend.db.models.placement_event import PlacementEvent
from backend.db.models.region import Region
from backend.db.models.region_quota import RegionQuota
from backend.db.models.statistics_refresh import StatisticsRefresh
from backend.db.models.user import Locale, Role, User, coordinator_regions

__all__ = [
    "HOLDING_STATES",
    "NACE_SECTIONS",
    "OPEN_STATES",
    "ApplicantProfile",
    "Application",
    "ApplicationEvent",
    "ApplicationState",
    "AuthToken",
    "CefrLevel",
    "DeliveryState",
    "Document",
    "DocumentKind",
    "EmploymentStatus",
    "InterviewOutcome",
    "Locale",
    "MatchingRound",
    "Notification",
    "ObjectDeletion",
    "Offer",
    "OfferEvent",
    "OfferLanguage",
    "OfferState",
    "Organisation",
    "Placement",
    "PlacementEvent",
    "PlacementState",
    "Region",
    "RegionQuota",
    "Role",
    "RoundAssignment",
    "RoundEdit",
    "RoundState",
    "Sex",
    "StatisticsRefresh",
    "TokenPurpose",
    "User",
    "coordinator_regions",
]
