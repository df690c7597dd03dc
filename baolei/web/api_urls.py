from rest_framework import routers
from rest_framework.routers import DefaultRouter

from baolei.accounts.api import AgencyViewSet, UserViewSet
from baolei.cadres import api as cadres
from baolei.cases.api import CaseViewSet
from baolei.clues.api import ClueViewSet, ReferralViewSet
from baolei.coordination import api as coordination
from baolei.ledger.api import LedgerItemViewSet
from baolei.network import api as network
from baolei.notices.api import NoticeViewSet
from baolei.people.api import PersonViewSet
from baolei.regions.api import CentreViewSet, RegionViewSet
from baolei.screening.api import NegativeListViewSet, RoundViewSet, ScreeningViewSet
from baolei.supervision import api as supervision
from baolei.vetting import api as vetting


class APIRootView(routers.APIRootView):
    """堡垒接口 v1：各资源列表均按当前用户的可见范围过滤。"""

    scope_exempt = "只列出资源的链接，不含任何记录"


router = DefaultRouter()
router.APIRootView = APIRootView
router.register("regions", RegionViewSet, basename="region")
router.register("governance-centres", CentreViewSet, basename="governance-centre")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("users", UserViewSet, basename="user")
router.register("people", PersonViewSet, basename="person")
router.register("ledger/items", LedgerItemViewSet, basename="ledger-item")
router.register("screening/rounds", RoundViewSet, basename="screening-round")
router.register("screening/organisations", ScreeningViewSet, basename="screening-organisation")
router.register("screening/negative-lists", NegativeListViewSet, basename="negative-list")
router.register("supervision/plans", supervision.PlanViewSet, basename="supervision-plan")
router.register(
    "supervision/assignments", supervision.AssignmentViewSet, basename="supervision-assignment"
)
router.register("supervision/teams", supervision.TeamViewSet, basename="supervision-team")
router.register("supervision/rounds", supervision.RoundViewSet, basename="supervision-round")
router.register("supervision/lagging", supervision.LaggingViewSet, basename="supervision-lagging")
router.register("supervision/problems", supervision.ProblemViewSet, basename="supervision-problem")
router.register("cases", CaseViewSet, basename="case")
router.register("clues/referrals", ReferralViewSet, basename="referral")
router.register("clues", ClueViewSet, basename="clue")
router.register("vetting/runs", vetting.RunViewSet, basename="vetting-run")
router.register("vetting/candidates", vetting.CandidateViewSet, basename="vetting-candidate")
router.register("coordination/meetings", coordination.MeetingViewSet, basename="meeting")
router.register("coordination/mechanisms", coordination.MechanismViewSet, basename="mechanism")
router.register("coordination/assessments", coordination.SchemeViewSet, basename="assessment")
router.register("cadres/appointments", cadres.AppointmentViewSet, basename="cadre-appointment")
router.register("cadres/campaigns", cadres.CampaignViewSet, basename="cadre-campaign")
router.register("cadres/evaluations", cadres.EvaluationViewSet, basename="cadre-evaluation")
router.register("cadres/adjustments", cadres.AdjustmentViewSet, basename="cadre-adjustment")
router.register("cadres/enrolments", cadres.EnrolmentViewSet, basename="cadre-enrolment")
router.register("cadres/training-bases", cadres.TrainingBaseViewSet, basename="training-base")
router.register(
    "cadres/training-sessions", cadres.TrainingSessionViewSet, basename="training-session"
)
# Beside GET/POST /api/v1/network/ itself (baolei/urls.py), which reads the graph and
# states a relation.
router.register("network/relations", network.RelationViewSet, basename="network-relation")
router.register("network/identities", network.IdentityViewSet, basename="network-identity")
router.register("me/notices", NoticeViewSet, basename="my-notice")

app_name = "api"
urlpatterns = router.urls
