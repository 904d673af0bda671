from __future__ import annotations

from typing import Any

import pytest

from hongniudai.governance import services as gov_services
from hongniudai.governance.models import Channel, Matter
from tests.governance.conftest import gov  # noqa: F401  (the town with 张家冲's centre household)


@pytest.fixture
def report(gov: Any) -> Any:  # noqa: F811
    """Report a matter at 张家冲 (its centre household 张圣福 handles it)."""

    def report(title: str = "张家冲山林界址纠纷") -> Matter:
        return gov_services.report_matter(
            actor=gov.users["zhangshengfu"],
            category=gov.forest,
            title=title,
            description="李某忠与赵某发因山林界址多次扯皮",
            channel=Channel.CENTRE_HOUSEHOLD,
            place=gov.hemeifan.hamlet,
        )

    return report
