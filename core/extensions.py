"""Flask extensions, created unbound and initialised per application in the factory.

The rate limiter is made per application instead (see ``core.auth.ratelimit``).
"""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
