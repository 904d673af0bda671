from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "hongniudai.benefits"
    label = "benefits"
    verbose_name = "利益联结"

    def ready(self) -> None:
        from hongniudai.common import rollups as common

        from . import contributions, rollups  # models are ready only now; registers the rollup's rebuild

        contributions.register()
        common.listen(common.PAID_TO_HOUSEHOLDS, rollups.refresh)
        common.listen(common.VOUCHER_REVERSED, rollups.voucher_reversed)
