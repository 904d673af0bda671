"""REST API for source governance, one module per topic: `matters` (the list, reporting, the
ladder), `records` (visits, the agreement, follow-ups, attachments, the timeline), `categories`
and `measures`; `common` holds what they share. The root router imports the viewsets from here."""

from .categories import MatterCategoryViewSet
from .matters import MatterViewSet
from .measures import MatterMeasuresViewSet

__all__ = ["MatterCategoryViewSet", "MatterMeasuresViewSet", "MatterViewSet"]
