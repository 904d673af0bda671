"""Settings for the benchmark's `collectstatic` step only: the settings named by
BENCH_BASE_SETTINGS with a manifest storage that leaves source-map comments alone.

Some vendored files name a `.map` file that is not shipped (leaflet.js), which makes the
production storage's post-processing fail. The server itself then runs with the unchanged
production storage, reading the manifest written here.
"""

import importlib
import os

_base = importlib.import_module(os.environ.get("BENCH_BASE_SETTINGS", "hongniudai.settings.prod"))
globals().update({k: v for k, v in vars(_base).items() if k.isupper()})

STORAGES = {
    **_base.STORAGES,
    "staticfiles": {"BACKEND": "bench.storage.ManifestWithoutSourceMaps"},
}
