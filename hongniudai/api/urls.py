"""The REST API (v1), its token endpoint and its OpenAPI documentation. Included at the site root."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import DefaultRouter

from hongniudai.accounts import api as account_api
from hongniudai.benefits.api import ROUTES as BENEFIT_ROUTES
from hongniudai.care.soup.api import ROUTES as SOUP_ROUTES
from hongniudai.care.stations.api import ROUTES as STATION_ROUTES
from hongniudai.collective.api import ROUTES as COLLECTIVE_ROUTES
from hongniudai.development.api import ROUTES as DEVELOPMENT_ROUTES
from hongniudai.distribution.api import ROUTES as DISTRIBUTION_ROUTES
from hongniudai.enterprises.api import ROUTES as ENTERPRISE_ROUTES
from hongniudai.governance.api import MatterCategoryViewSet, MatterMeasuresViewSet, MatterViewSet
from hongniudai.land.api import ROUTES as LAND_ROUTES
from hongniudai.ledger.api import ROUTES as LEDGER_ROUTES
from hongniudai.ledger.api_reports import ROUTES as LEDGER_REPORT_ROUTES
from hongniudai.orglife.api import ROUTES as ORGLIFE_ROUTES
from hongniudai.party.api import CentreHouseholdViewSet, MemberViewSet, PartyOrgViewSet
from hongniudai.places.api import AreaViewSet, HouseholdViewSet, RegistrationReviewViewSet, ResidentViewSet
from hongniudai.production.api import ROUTES as PRODUCTION_ROUTES
from hongniudai.projects.api import ROUTES as PROJECT_ROUTES
from hongniudai.returnees.api import ROUTES as RETURNEE_ROUTES
from hongniudai.users import api as user_api
from hongniudai.users import api_rules as user_rules_api
from hongniudai.vanguard.api import ROUTES as VANGUARD_ROUTES
from hongniudai.volunteers.api import ROUTES as VOLUNTEER_ROUTES
from hongniudai.watch.cameras.alerts_api import CameraAlertView
from hongniudai.watch.cameras.api import ROUTES as CAMERA_ROUTES
from hongniudai.watch.patrols.api import ROUTES as PATROL_ROUTES
from hongniudai.watch.patrols.api_campaigns import ROUTES as CAMPAIGN_ROUTES

from . import views

router = DefaultRouter()
# User administration (issue 21): accounts and their roles, role ends, towns' rules, invitations.
router.register("users", user_api.ManagedUserViewSet, basename="user")
router.register("roles", user_rules_api.RoleAssignmentViewSet, basename="role")
router.register("town-account-rules", user_rules_api.TownAccountRulesViewSet, basename="town-account-rules")
router.register("invitations", user_rules_api.InvitationViewSet, basename="invitation")
router.register("areas", AreaViewSet, basename="area")
router.register("households", HouseholdViewSet, basename="household")
router.register("residents", ResidentViewSet, basename="resident")
router.register("registration-reviews", RegistrationReviewViewSet, basename="registration-review")
router.register("party-orgs", PartyOrgViewSet, basename="party-org")
router.register("members", MemberViewSet, basename="member")
router.register("centre-households", CentreHouseholdViewSet, basename="centre-household")
# Source governance: matters and their sub-routes, categories, measures.
router.register("matters", MatterViewSet, basename="matter")
router.register("matter-categories", MatterCategoryViewSet, basename="matter-category")
router.register("matter-measures", MatterMeasuresViewSet, basename="matter-measures")
# Party life and enterprise party work: each package lists its own routes.
for _prefix, _viewset, _basename in (
    DEVELOPMENT_ROUTES + ORGLIFE_ROUTES + ENTERPRISE_ROUTES + VANGUARD_ROUTES + LEDGER_ROUTES + LEDGER_REPORT_ROUTES
):
    router.register(_prefix, _viewset, basename=_basename)
# The collective economy (issue 16): each package lists its own routes.
for _prefix, _viewset, _basename in (
    COLLECTIVE_ROUTES + LAND_ROUTES + PRODUCTION_ROUTES + DISTRIBUTION_ROUTES + RETURNEE_ROUTES + BENEFIT_ROUTES
):
    router.register(_prefix, _viewset, basename=_basename)
# Resident services (issue 17)
for _prefix, _viewset, _basename in STATION_ROUTES + SOUP_ROUTES + VOLUNTEER_ROUTES:
    router.register(_prefix, _viewset, basename=_basename)
# The watch (issue 18).
for _prefix, _viewset, _basename in CAMERA_ROUTES + PATROL_ROUTES + CAMPAIGN_ROUTES:
    router.register(_prefix, _viewset, basename=_basename)
# Projects (issue 19).
for _prefix, _viewset, _basename in PROJECT_ROUTES:
    router.register(_prefix, _viewset, basename=_basename)

api_patterns: list[URLPattern | URLResolver] = [
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/me/", account_api.MeView.as_view(), name="me"),
    path("v1/me/tokens/", account_api.MyTokensView.as_view(), name="my_tokens"),
    path("v1/me/tokens/<int:pk>/", account_api.MyTokenView.as_view(), name="my_token"),
    path("v1/me/password/", account_api.MyPasswordView.as_view(), name="my_password"),
    path("v1/me/sign-out-elsewhere/", account_api.SignOutElsewhereView.as_view(), name="sign_out_elsewhere"),
    # The watch (issue 18): the camera platforms' alerts, before the router's cameras/<pk>/.
    path("v1/cameras/alerts/", CameraAlertView.as_view(), name="camera_alerts"),
    path("v1/", include(router.urls)),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(), name="docs"),
    path("redoc/", views.RedocView.as_view(), name="redoc"),
]

urlpatterns = [
    path("api/", include((api_patterns, "api"), namespace="api")),
]
