"""Settings for the load benchmark only (`bench/load.py`): production settings, plus a URLconf
with one bare endpoint beside the product's pages. Never used by the product."""

import os
from pathlib import Path

from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
