"""The editable fields of governance's records are declared once, beside the model, and the page,
the API and the audit snapshot all follow that declaration."""

from __future__ import annotations

from hongniudai.governance.api.records import AgreementSerializer
from hongniudai.governance.forms import AgreementForm
from hongniudai.governance.forms_admin import CalendarDayForm, CategoryAttributeForm, CategoryForm, DeadlineRuleForm
from hongniudai.governance.models import Agreement, CalendarDay, Category, CategoryAttribute, DeadlineRule
from hongniudai.governance.services import settings


def test_the_forms_and_the_api_edit_what_the_models_declare() -> None:
    assert set(AgreementForm.base_fields) == set(Agreement.EDITABLE)
    assert set(AgreementSerializer.Meta.fields) == {"matter", *Agreement.EDITABLE, "created_at"}
    assert set(CategoryForm.base_fields) == {"code", *Category.EDITABLE}
    assert set(CategoryAttributeForm.base_fields) == {"options", *CategoryAttribute.EDITABLE} - {"values"}
    assert set(DeadlineRuleForm.base_fields) == {"category", "level", *DeadlineRule.EDITABLE}
    assert set(CalendarDayForm.base_fields) == {"date", *CalendarDay.EDITABLE}
    assert settings.CATEGORY_FIELDS == ("code", *Category.EDITABLE)
