from django.apps import AppConfig


class OrgLifeConfig(AppConfig):
    name = "hongniudai.orglife"
    label = "orglife"
    verbose_name = "组织生活"

    def ready(self) -> None:
        from hongniudai.party import contributions

        from . import rollups  # registers the obligations rollup's rebuild

        contributions.on_org_changed(rollups.refresh_orgs)
        contributions.on_orgs_changing(rollups.orgs_changing)
