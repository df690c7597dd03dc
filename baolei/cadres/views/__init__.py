"""Cadre pages, split by part of the work; urls.py reaches them all through this package."""

from baolei.cadres.views.adjustments import (
    AdjustmentActionView,
    AdjustmentListView,
    AdjustmentView,
)
from baolei.cadres.views.evaluations import (
    CampaignCreateView,
    CampaignListView,
    CampaignView,
    EvaluateView,
    SecretaryChoicesView,
)
from baolei.cadres.views.roster import (
    AppointView,
    CadreView,
    ProposeView,
    RosterImportView,
    RosterView,
    VillageTeamView,
)
from baolei.cadres.views.training import (
    AttendView,
    BaseCreateView,
    BaseListView,
    BaseView,
    EducationView,
    EnrolmentActionView,
    EnrolView,
    SessionCreateView,
    SessionView,
)

__all__ = [
    "SecretaryChoicesView",
    "RosterView",
    "RosterImportView",
    "AppointView",
    "CadreView",
    "VillageTeamView",
    "ProposeView",
    "AdjustmentListView",
    "AdjustmentView",
    "AdjustmentActionView",
    "CampaignListView",
    "CampaignCreateView",
    "CampaignView",
    "EvaluateView",
    "EducationView",
    "EnrolView",
    "EnrolmentActionView",
    "BaseListView",
    "BaseCreateView",
    "BaseView",
    "SessionCreateView",
    "SessionView",
    "AttendView",
]
