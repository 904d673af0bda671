"""REST API of source governance (being split by topic)."""

from .matters import MatterCategoryViewSet, MatterMeasuresViewSet, MatterViewSet

__all__ = ["MatterCategoryViewSet", "MatterMeasuresViewSet", "MatterViewSet"]
