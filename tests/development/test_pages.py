"""The development pages: roster, new case, case page with its step forms, due list, rules."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hongniudai.accounts.models import Role, User
from hongniudai.audit.models import AuditEvent
from hongniudai.development.models import DevelopmentCase, DevelopmentRule, Stage
from tests import factories as f

from .conftest import D, open_case, walk_to, xlsx_text
from .url_scope import fashuihe_case, fashuihe_rule


def test_roster_shows_stage_counts_filters_and_is_scoped(town, applicant):
    walk_to(town, open_case(town, applicant), "activist")
    open_case(town, f.resident(town.xuqiao.household, "黄二", birth=D(1990, 1, 1)))
    fashuihe_case(town)
    client = town.client_for("xuqiao")
    response = client.get(reverse("development:case_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "黄小明" in html and "黄二" in html and "施小军" not in html
    assert "入党积极分子" in html and "发展党员" in html
    counts = response.context["counts"]
    assert dict((v, n) for v, _label, n in counts)[Stage.ACTIVIST] == 1
    assert dict((v, n) for v, _label, n in counts)[Stage.APPLICANT] == 1
    html = client.get(reverse("development:case_list"), {"stage": "activist"}).content.decode()
    assert "黄小明" in html and "黄二" not in html
    html = client.get(reverse("development:case_list"), {"q": "hxm"}).content.decode()  # pinyin initials
    assert "黄小明" in html and "黄二" not in html
    admin_html = town.client_for("admin").get(reverse("development:case_list")).content.decode()
    assert "施小军" in admin_html


def test_roster_export(town, applicant):
    walk_to(town, open_case(town, applicant), "candidate")
    fashuihe_case(town)
    response = town.client_for("xuqiao").get(reverse("development:case_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "发展党员花名册" in response["Content-Disposition"] or "%E5%8F%91" in response["Content-Disposition"]
    text = xlsx_text(response)
    assert "黄小明" in text and "发展对象" in text and "2025-02-10" in text and "施小军" not in text
    assert applicant.id_masked in text
    assert AuditEvent.objects.filter(action="export", target_repr__startswith="发展党员花名册").exists()


def test_new_case_form_searches_and_opens(town, applicant):
    client = town.client_for("xuqiao")
    f.resident(town.fashuihe.household, "黄外村", birth=D(1990, 1, 1))
    response = client.get(reverse("development:resident_options"), {"resident_q": "黄"})
    html = response.content.decode()
    assert "黄小明" in html and "黄外村" not in html and "黄文华" not in html  # a member already
    response = client.get(reverse("development:case_create"), {"resident_q": "hxm"})
    assert response.status_code == 200 and "黄小明" in response.content.decode()
    response = client.post(
        reverse("development:case_create"),
        {"resident": applicant.pk, "org": town.xuqiao.branch.pk, "applied_on": "2026-01-05", "note": ""},
    )
    case = DevelopmentCase.objects.get(resident=applicant)
    assert response.status_code == 302 and response["Location"] == reverse("development:case_detail", args=[case.pk])


def test_new_case_form_shows_the_age_refusal(town):
    young = f.resident(town.xuqiao.household, "黄小丽", birth=D(2010, 1, 1))
    response = town.client_for("xuqiao").post(
        reverse("development:case_create"),
        {"resident": young.pk, "org": town.xuqiao.branch.pk, "applied_on": "2026-01-05"},
    )
    assert response.status_code == 200
    assert "申请入党的最低年龄" in response.content.decode() and "《中国共产党章程》第一条" in response.content.decode()
    assert not DevelopmentCase.objects.exists()


def test_case_page_offers_only_valid_steps_and_records_them(town, applicant):
    case = open_case(town, applicant)
    client = town.client_for("xuqiao")
    response = client.get(reverse("development:case_detail", args=[case.pk]))
    assert response.status_code == 200
    kinds = [sf.kind for sf in response.context["step_forms"]]
    assert kinds == ["talk", "end"]
    assert "派人谈话" in response.content.decode()  # due next
    response = client.post(
        reverse("development:case_step", args=[case.pk]), {"kind": "talk", "talk-on": "2024-03-01"}, follow=True
    )
    html = response.content.decode()
    assert "已登记" in html and "收到入党申请后谈话的时限" in html  # the warning, shown and kept on the timeline
    case.refresh_from_db()
    assert case.talked_on == D(2024, 3, 1)
    assert [sf.kind for sf in response.context["step_forms"]] == ["activist", "end"]


def test_case_page_shows_a_refusal_on_the_form(town, applicant):
    case = walk_to(town, open_case(town, applicant), "activist")
    response = town.client_for("xuqiao").post(
        reverse("development:case_step", args=[case.pk]), {"kind": "candidate", "candidate-on": "2024-12-01"}
    )
    assert response.status_code == 400
    assert "入党积极分子培养考察的最短时间" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.ACTIVIST


def test_out_of_scope_case_is_404_and_gridworker_is_403_on_writes(town, applicant):
    other = fashuihe_case(town)
    xuqiao = town.client_for("xuqiao")
    assert xuqiao.get(reverse("development:case_detail", args=[other.pk])).status_code == 404
    assert xuqiao.post(reverse("development:case_step", args=[other.pk]), {"kind": "talk"}).status_code == 404
    case = open_case(town, applicant)
    grid = town.client_for("gridworker")
    # The grid worker's scope is one grid: the village branch's cases are not theirs to see.
    assert grid.get(reverse("development:case_detail", args=[case.pk])).status_code == 404
    # A sent-down cadre of the village sees the case but may not record steps: 403.
    f.user("cadre", Role.SENT_DOWN_CADRE, area=town.xuqiao.area)
    cadre = Client()
    cadre.force_login(User.objects.get(username="cadre"))
    response = cadre.get(reverse("development:case_detail", args=[case.pk]))
    assert response.status_code == 200 and response.context["step_forms"] == []
    url = reverse("development:case_step", args=[case.pk])
    assert cadre.post(url, {"kind": "talk", "talk-on": "2024-01-20"}).status_code == 403
    assert grid.post(url, {"kind": "talk", "talk-on": "2024-01-20"}).status_code == 404
    assert grid.get(reverse("development:case_create")).status_code == 403
    assert grid.get(reverse("development:rule_create")).status_code == 403
    assert xuqiao.get(reverse("development:rule_create")).status_code == 403


def test_due_page_per_branch(town, applicant):
    open_case(town, applicant)
    fashuihe_case(town)
    response = town.client_for("admin").get(reverse("development:due_list"))
    html = response.content.decode()
    assert response.status_code == 200 and "徐桥村党支部" in html and "发水河村党支部" in html and "已逾期" in html
    html = (
        town.client_for("admin").get(reverse("development:due_list"), {"org": town.xuqiao.branch.pk}).content.decode()
    )
    assert "黄小明" in html and "施小军" not in html
    html = town.client_for("xuqiao").get(reverse("development:due_list")).content.decode()
    assert "黄小明" in html and "施小军" not in html


def test_rules_page_and_local_override(town):
    admin = town.client_for("admin")
    response = admin.get(reverse("development:rule_list"))
    html = response.content.decode()
    assert response.status_code == 200 and "《中国共产党发展党员工作细则》第十三条" in html and "18周岁" in html
    response = admin.post(
        reverse("development:rule_create"),
        {"code": "approval_within", "area": town.town.pk, "value": "4", "unit": "months", "severity": "warn"},
    )
    assert response.status_code == 200 and "不能放宽" in response.content.decode()
    response = admin.post(
        reverse("development:rule_create"),
        {"code": "approval_within", "area": town.town.pk, "value": "2", "unit": "months", "severity": "warn"},
    )
    assert response.status_code == 302
    rule = DevelopmentRule.objects.get(area=town.town, code="approval_within")
    html = town.client_for("xuqiao").get(reverse("development:rule_list"), {"org": town.xuqiao.branch.pk}).content
    assert "宋河镇从严规定" in html.decode() and "2个月" in html.decode()
    response = admin.post(
        reverse("development:rule_edit", args=[rule.pk]), {"value": "1", "unit": "months", "severity": "refuse"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.value, rule.severity) == (1, "refuse")
    assert admin.post(reverse("development:rule_edit", args=[rule.pk]), {"delete": "1"}).status_code == 302
    assert not DevelopmentRule.objects.filter(pk=rule.pk).exists()


def test_local_rule_of_another_village_is_404(town):
    rule = fashuihe_rule(town)
    assert town.client_for("xuqiao").get(reverse("development:rule_edit", args=[rule.pk])).status_code == 404
    assert town.client_for("admin").get(reverse("development:rule_edit", args=[rule.pk])).status_code == 200
