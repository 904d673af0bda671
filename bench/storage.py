"""The production static storage without source-map rewriting (see `bench/settings_collect.py`)."""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _no_source_maps(patterns: Any) -> tuple[Any, ...]:
    out = []
    for extension, rules in patterns:
        kept = tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))
        if kept:
            out.append((extension, kept))
    return tuple(out)


class ManifestWithoutSourceMaps(CompressedManifestStaticFilesStorage):
    patterns = _no_source_maps(CompressedManifestStaticFilesStorage.patterns)
