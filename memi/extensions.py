"""Extensions, created unbound; create_app() binds them to the app."""

import marshmallow as ma
from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sock import Sock
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

from memi.client_ip import client_ip

# A naming convention so that constraint names are the same on PostgreSQL and SQLite,
# and Alembic can compare and drop them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "Machine-readable error code"})
    message = ma.fields.String(metadata={"description": "Human-readable message"})
    details = ma.fields.Dict(metadata={"description": "Messages per field"})


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorBodySchema)


class MemiApi(Api):
    """flask-smorest Api whose errors are answered by our own JSON error handler (memi.api.errors),
    which only speaks for /api/v1 so HTML pages keep their own error pages."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


# Objects stay loaded after commit: views commit (search log, view count) and then render what they
# loaded, which must not cost one query per object.
db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING), session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_ip, default_limits=[], headers_enabled=True)
sock = Sock()
mail = Mail()
jwt = JWTManager()
api = MemiApi()
babel = Babel()


class MemiCompress(Compress):
    """Flask-Compress, which already leaves streamed responses alone (COMPRESS_STREAMS is off), told
    to leave a WebSocket's handshake alone too (memi.web.static_files configures it)."""

    def after_request(self, response):
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return response
        return super().after_request(response)


compress = MemiCompress()
