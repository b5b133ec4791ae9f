"""Production settings plus the API floor's bare view (never deployed)."""

from casework.settings import *  # noqa: F403

ROOT_URLCONF = "casework.bench.urls"
