"""Settings of the processes the fault tests start: the project's own, except that
e-mail goes to files the test counts and, for the one web server that shows what
happens without them, the database connection health checks can be switched off."""

import os

from casework.settings import *  # noqa: F403
from casework.settings import DATABASES

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["FAULTS_MAIL_DIR"]
DATABASES["default"]["CONN_HEALTH_CHECKS"] = os.environ.get("FAULTS_CONN_HEALTH_CHECKS") != "0"
