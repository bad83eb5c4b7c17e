"""Flask extensions, created unbound and bound to an application in create_app."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
class CampaignLoginManager(LoginManager):
    """Flask-Login, with the remember cookie marked Secure whenever the request came over
    HTTPS, as the session cookie is."""

    def _set_cookie(self, response):
        super()._set_cookie(response)
        if not request.is_secure:
            return
        name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        cookies = response.headers.getlist("Set-Cookie")
        response.headers.remove("Set-Cookie")
        for cookie in cookies:
            if cookie.startswith(f"{name}=") and "; Secure" not in cookie:
                cookie += "; Secure"
            response.headers.add("Set-Cookie", cookie)


login_manager = CampaignLoginManager()
limiter = Limiter(key_func=get_remote_address)
babel = Babel()
