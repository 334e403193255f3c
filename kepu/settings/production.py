"""Production: secrets and the database must come from the environment."""

from .base import *  # noqa: F403
from .base import require

DEBUG = False
SECRET_KEY = require("KEPU_SECRET_KEY")
require("DATABASE_URL")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
