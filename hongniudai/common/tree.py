"""Materialised paths for the two trees (area tree and party-organisation tree).

Each node stores `path`: its ancestors' ids and its own, each zero-padded to STEP digits and
followed by "/", e.g. "/00000001/00000005/". A subtree is `path__startswith=node.path`; all
children of a node have paths of the same length, so counts per child group by a prefix.
"""

from __future__ import annotations

from typing import Any

from django.db import models

STEP = 8
SEGMENT = STEP + 1


def child_path(parent_path: str, pk: int) -> str:
    return f"{parent_path or '/'}{pk:0{STEP}d}/"


def path_length_at_depth(depth: int) -> int:
    """Length of the path of a node at `depth` (root depth 1)."""
    return 1 + depth * SEGMENT


def ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


class TreeNode(models.Model):
    parent: Any = None  # declared in subclasses with the right target
    path = models.CharField(max_length=255, unique=True, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=1)

    class Meta:
        abstract = True

    def is_descendant_of(self, other: TreeNode) -> bool:
        return self.path.startswith(other.path)
