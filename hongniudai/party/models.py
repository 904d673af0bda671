"""The party-organisation tree, members and centre households."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hongniudai.common import text
from hongniudai.common.text import LimitedTextField
from hongniudai.common.tree import TreeNode
from hongniudai.places.models import AreaNode, Household, Resident


class OrgKind(models.TextChoices):
    TOWN_COMMITTEE = "town_committee", _("镇党委")
    GENERAL_BRANCH = "general_branch", _("片区大总支")
    PARK_JOINT_ORG = "park_joint_org", _("园区联合党组织")
    INDUSTRY_COMMITTEE = "industry_committee", _("行业综合党委")
    CHAIN_COMMITTEE = "chain_committee", _("产业链党委")
    BRANCH = "branch", _("党支部")
    PARTY_GROUP = "party_group", _("党小组")


class BranchType(models.TextChoices):
    VILLAGE = "village", _("村(社区)党支部")
    ENTERPRISE = "enterprise", _("企业党支部")
    JOINT = "joint", _("企业联合党支部")
    CHAMBER = "chamber", _("商会党支部")
    PARK_SERVICE_CENTRE = "park_service_centre", _("园区服务中心党支部")
    GOVERNMENT_ORGAN = "government_organ", _("机关党支部")


ORG_ALLOWED_CHILDREN: dict[str, tuple[str, ...]] = {
    OrgKind.TOWN_COMMITTEE: (
        OrgKind.GENERAL_BRANCH,
        OrgKind.PARK_JOINT_ORG,
        OrgKind.INDUSTRY_COMMITTEE,
        OrgKind.CHAIN_COMMITTEE,
        OrgKind.BRANCH,
    ),
    OrgKind.GENERAL_BRANCH: (OrgKind.BRANCH,),
    OrgKind.PARK_JOINT_ORG: (OrgKind.BRANCH,),
    OrgKind.INDUSTRY_COMMITTEE: (OrgKind.BRANCH,),
    OrgKind.CHAIN_COMMITTEE: (OrgKind.BRANCH,),
    OrgKind.BRANCH: (OrgKind.PARTY_GROUP,),
    OrgKind.PARTY_GROUP: (),
}


class PartyOrg(TreeNode):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices, db_index=True)
    branch_type = models.CharField(_("支部类别"), max_length=20, choices=BranchType.choices, blank=True)
    area = models.ForeignKey(
        AreaNode,
        verbose_name=_("所在地区"),
        on_delete=models.PROTECT,
        related_name="party_orgs",
        help_text=_("地域党组织对应的地区;企业党支部为所在园区或村"),
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    has_committee = models.BooleanField(_("设支部委员会"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    # What may change after creation (the kind and the parent are fixed): services, forms and the API read it.
    EDITABLE = ("name", "area", "branch_type", "founded_on", "has_committee", "sort_order")

    scope_area_path = "area__path"
    scope_org_path = "path"

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        if self.kind == OrgKind.BRANCH and self.branch_type:
            return self.get_branch_type_display()
        return self.get_kind_display()


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


class Post(models.TextChoices):
    NONE = "", _("无")
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    GROUP_LEADER = "group_leader", _("党小组长")


class Member(models.Model):
    resident = models.OneToOneField(
        Resident, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="party_member"
    )
    org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("所在党支部"),
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": OrgKind.BRANCH},
    )
    party_group = models.ForeignKey(
        PartyOrg,
        verbose_name=_("党小组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
        limit_choices_to={"kind": OrgKind.PARTY_GROUP},
    )
    status = models.CharField(_("党员类别"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("入党日期"), help_text=_("接收为预备党员的日期"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    post = models.CharField(_("党内职务"), max_length=20, choices=Post.choices, blank=True, default="")
    note = LimitedTextField(_("备注"), blank=True, max_length=text.NOTE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # What may change on a member's record (the resident is fixed): services, forms and the API read it.
    EDITABLE = ("org", "party_group", "status", "joined_on", "full_on", "post", "note")

    # A member hangs at their branch and at their party group: the group's grid's users see them.
    scope_area_path = ("org__area__path", "party_group__area__path")
    scope_org_path = ("org__path", "party_group__path")

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["id"]  # lists order explicitly; a join here would burden every related query

    def __str__(self) -> str:
        return self.resident.name


class CentreHousehold(models.Model):
    """党员中心户: a member in charge of a hamlet and the households linked to it."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="centre_households"
    )
    hamlet = models.OneToOneField(
        AreaNode,
        verbose_name=_("湾组"),
        on_delete=models.PROTECT,
        related_name="centre_household",
        limit_choices_to={"kind": "hamlet"},
    )
    linked_households = models.ManyToManyField(
        Household, verbose_name=_("联系户"), blank=True, related_name="centre_households"
    )
    since = models.DateField(_("担任日期"), null=True, blank=True)

    # What is set for a hamlet's centre household (the hamlet names it).
    EDITABLE = ("member", "linked_households", "since")

    scope_area_path = "hamlet__path"

    class Meta:
        verbose_name = _("党员中心户")
        verbose_name_plural = _("党员中心户")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.hamlet.name} · {self.member.resident.name}"
