"""The WebSocket at /api/v1/ws and the live frames it carries.

Clients authenticate at the upgrade with an access token (`?token=`) or, from our own pages, with the
session cookie and a same-origin `Origin` header; anything else is refused before the upgrade.
Client frames: {"type": "message", "chat_id": 1, "body": "Hi"}. Server frames: {"type": "message",
"message": {...}} to every connected participant, {"type": "notification", ...} for the user's own
notifications, {"type": "error", "error": {"code", "message"}} for anything that went wrong, which
never closes the socket. Messages are stored (committed) before they are delivered.
A socket opened with an access token is closed (1008, after an "unauthorized" error frame) when the
token expires; any socket is closed when its user is blocked, or when its session (the browser's, or
the one its token was issued to) or all the user's sessions end: at once (a CLOSE frame through the
broker, naming the sessions that ended) and, should that be missed, at the next WS_RECHECK_SECONDS check.

Open sockets are capped per process (SocketSlots): WS_MAX_PER_USER per user and WS_MAX_PER_IP per client
address (beyond: a "too_many_sockets" error frame, then close code 4008), and WS_MAX_PER_WORKER in all,
kept below the worker's connection slots so plain requests (and /healthz) are always served (beyond: an
"unavailable" error frame, then close code 1013, "try again later"). The counts are per process: with
several workers a user may hold WS_MAX_PER_USER sockets in each.
"""

import json
import logging
import threading
import time
from collections import Counter

from flask import current_app, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import decode_token
from flask_login import current_user
from jwt import PyJWTError
from simple_websocket import ConnectionClosed

from memi import events
from memi.auth.services import live_session, load_token_user
from memi.chat import services
from memi.chat.broker import get_broker
from memi.chat.frames import error_frame
from memi.client_ip import client_ip
from memi.errors import DomainError, Forbidden, Unauthorized
from memi.extensions import db, sock
from memi.locale import user_locale
from memi.users.models import User
from memi.web.request import INVALID_TEXT, InvalidText, clean_text

log = logging.getLogger("memi.ws")
CLOSE = "_close"
TOKEN_EXPIRED = _l("Your access token has expired; connect again with a fresh one.")
CLOSE_TOO_MANY = 4008  # this user or address already holds its share of sockets
CLOSE_TRY_LATER = 1013  # this worker holds all the sockets it may
TOO_MANY_FOR_USER = _l("Too many open connections for this account; close one and try again.")
TOO_MANY_FOR_IP = _l("Too many open connections from this address; close one and try again.")
SERVER_BUSY = _l("The server is busy; try again in a moment.")
# ---- after-commit pushes ----------------------------------------------------------------------


def _publish(user_id, frame):
    try:
        get_broker().publish(user_id, frame)
    except Exception:  # a broker hiccup must not turn a committed request into an error
        log.exception("publishing to user %s failed", user_id)


def _push_message(_sender, frame=None, sender_id=None, recipient_id=None, **_):
    if frame is None:
        return
    for user_id in {sender_id, recipient_id}:
        _publish(user_id, {"type": "message", "message": frame})


def _push_notification(_sender, user_id=None, frame=None, **_):
    if frame is not None:
        _publish(user_id, {"type": "notification", **frame})


def _close_sockets(_sender, user_id=None, session_ids=None, **_):
    # session_ids None: every socket of the user; else only those of these sessions.
    _publish(user_id, {"type": CLOSE, "sessions": session_ids})


def register():
    """The after-commit pushes (memi.listeners.register_listeners connects them)."""
    events.message_sent.connect(_push_message)
    events.notification_created.connect(_push_notification)
    events.sessions_ended.connect(_close_sockets)


# ---- socket caps -------------------------------------------------------------------------------


class SocketSlots:
    """The open sockets of this process, counted per user, per client address and in all."""

    def __init__(self):
        self._lock = threading.Lock()
        self._users = Counter()
        self._ips = Counter()
        self.total = 0

    def acquire(self, user_id, ip, config):
        """None if the socket may stay open (and it is counted), else (close code, reason)."""
        with self._lock:
            if self.total >= config["WS_MAX_PER_WORKER"]:
                return CLOSE_TRY_LATER, SERVER_BUSY
            if self._users[user_id] >= config["WS_MAX_PER_USER"]:
                return CLOSE_TOO_MANY, TOO_MANY_FOR_USER
            if self._ips[ip] >= config["WS_MAX_PER_IP"]:
                return CLOSE_TOO_MANY, TOO_MANY_FOR_IP
            self._users[user_id] += 1
            self._ips[ip] += 1
            self.total += 1
            return None

    def release(self, user_id, ip):
        with self._lock:
            self._users[user_id] -= 1
            if self._users[user_id] <= 0:
                del self._users[user_id]
            self._ips[ip] -= 1
            if self._ips[ip] <= 0:
                del self._ips[ip]
            self.total -= 1

    def of_user(self, user_id):
        with self._lock:
            return self._users.get(user_id, 0)


def socket_slots(app=None):
    """The app's socket counts (one app per process: the counts are per process)."""
    app = app or current_app._get_current_object()
    return app.extensions.setdefault("memi_socket_slots", SocketSlots())


def _close_text(reason):
    """The reason as a close frame may carry it: at most 123 bytes of UTF-8 (a translation can run longer)."""
    return str(reason).encode()[:123].decode(errors="ignore")


def _refuse(ws, code, reason):
    try:
        ws.send(json.dumps(error_frame("unavailable" if code == CLOSE_TRY_LATER else "too_many_sockets", reason)))
        ws.close(reason=code, message=_close_text(reason))
    except Exception:  # the client may already be gone
        log.debug("refusing a socket failed", exc_info=True)


# ---- the socket -------------------------------------------------------------------------------


class _Accept:
    """Captures flask-sock's WebSocket wrapper so our view can refuse before the upgrade and only
    then hand over to flask-sock (see ws_endpoint)."""

    view = None

    def route(self, _path, **_kwargs):
        def capture(fn):
            _Accept.view = fn
            return fn

        return capture


def authenticate():
    """(user, via_cookie, expires_at, session_id) for the upgrade request, or raises Unauthorized /
    Forbidden. `expires_at` is the access token's `exp` (a Unix time), None for a session cookie;
    `session_id` the session it belongs to (None for an access token from before sessions)."""

    token = request.args.get("token")
    if token:
        try:
            payload = decode_token(token)
        except (PyJWTError, Exception) as exc:  # expired, bad signature, malformed
            raise Unauthorized(_l("This token is not valid.")) from exc
        if payload.get("type") != "access":
            raise Unauthorized(_l("Use an access token."))
        user = load_token_user(payload.get("sub"), payload.get("epoch"), payload.get("sid"))
        return user, False, payload.get("exp"), payload.get("sid")
    if current_user.is_authenticated:
        origin = request.headers.get("Origin", "")
        allowed = {request.host_url.rstrip("/"), current_app.config["BASE_URL"]}
        if origin not in allowed:
            raise Forbidden(_l("Cross-origin WebSocket connections are not allowed."))
        user = current_user._get_current_object()
        return user, True, None, user.session_id
    raise Unauthorized(_l("Authenticate with ?token=<access token> or a session cookie."))


@sock.route("/api/v1/ws", bp=_Accept())
def _socket_session(ws, user_id, epoch, via_cookie, expires_at=None, ip="unknown", session_id=None, locale=None):
    slots = socket_slots()
    refused = slots.acquire(user_id, ip, current_app.config)
    if refused is not None:
        log.info("socket of user %s from %s refused: %s", user_id, ip, refused[1])
        _refuse(ws, *refused)
        return
    try:
        _run_socket(ws, user_id, epoch, via_cookie, expires_at, session_id, locale)
    except ConnectionClosed:
        pass
    except Exception:
        # Close the socket properly (an HTTP error page must not be written onto an upgraded connection).
        log.exception("socket of user %s failed", user_id)
        try:
            ws.close(reason=1011, message="Something went wrong on our side.")
        except Exception:
            log.debug("closing a failed socket failed", exc_info=True)
    finally:
        slots.release(user_id, ip)


def _run_socket(ws, user_id, epoch, via_cookie, expires_at, session_id=None, locale=None):
    app = current_app._get_current_object()
    broker = get_broker(app)
    send_lock = threading.Lock()
    closed = threading.Event()

    def sink(frame):
        if frame.get("type") == CLOSE:
            ended = frame.get("sessions")
            if ended is not None and session_id not in ended:
                return  # another device of the user was signed out
            closed.set()
            with send_lock:
                ws.close(reason=1008, message="Session ended.")
            return
        if via_cookie and frame.get("type") == "message":
            frame = dict(frame, html=_render_message(app, frame["message"], user_id, locale))
        with send_lock:
            ws.send(json.dumps(frame))

    broker.connect(user_id, sink)
    recheck = current_app.config["WS_RECHECK_SECONDS"]
    try:
        while not closed.is_set():
            # A socket opened with an access token lives no longer than the token: wake up when it expires.
            timeout = recheck if expires_at is None else max(0.05, min(recheck, expires_at - time.time()))
            data = ws.receive(timeout=timeout)
            if expires_at is not None and time.time() >= expires_at:
                closed.set()
                with send_lock:
                    ws.send(json.dumps(error_frame("unauthorized", TOKEN_EXPIRED)))
                    ws.close(reason=1008, message="Token expired.")
                break
            if not _still_allowed(user_id, epoch, session_id):
                with send_lock:
                    ws.close(reason=1008, message="Session ended.")
                break
            if data is None:
                continue
            reply = _handle_frame(user_id, data)
            if reply is not None:
                with send_lock:
                    ws.send(json.dumps(reply))
    finally:
        broker.disconnect(user_id, sink)
        db.session.remove()


def _still_allowed(user_id, epoch, session_id=None):
    try:
        user = db.session.get(User, user_id)
        if user is None or user.is_blocked or user.auth_epoch != epoch:
            return False
        return session_id is None or live_session(session_id) is not None
    finally:
        db.session.remove()  # never hold a transaction open while the socket waits


def _handle_frame(user_id, data):
    try:
        # NULs stay: the chat service refuses control characters with its own message.
        frame = clean_text(json.loads(data), strip=False)
    except InvalidText:
        return error_frame("validation_error", INVALID_TEXT)
    except (TypeError, ValueError):
        return error_frame("validation_error", _l("Frames are JSON objects."))
    if not isinstance(frame, dict) or frame.get("type") != "message":
        return error_frame("validation_error", 'Send {"type": "message", "chat_id": ..., "body": ...}.')
    chat_id = frame.get("chat_id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool) or not 0 < chat_id < 2**31:
        return error_frame("validation_error", _l("chat_id must be a chat id."))
    try:
        sender = db.session.get(User, user_id)
        services.send_message(sender, chat_id, frame.get("body"))
        db.session.commit()  # stored before it is delivered (the push goes out after this commit)
    except DomainError as exc:
        db.session.rollback()
        return error_frame(exc.code, exc.message)
    except Exception:
        db.session.rollback()
        log.exception("socket frame failed")
        return error_frame("internal_error", _l("Something went wrong on our side."))
    finally:
        db.session.remove()
    return None


def _render_message(app, message, viewer_id, locale=None):
    with app.app_context(), force_locale(locale or app.config["BABEL_DEFAULT_LOCALE"]):
        return render_template("chat/_message.html", message=message, viewer_id=viewer_id)


def ws_endpoint():
    """GET /api/v1/ws: refuse unauthenticated or cross-origin upgrades with the API's JSON error, then
    let flask-sock run the socket."""
    user, via_cookie, expires_at, session_id = authenticate()
    user_id, epoch = user.id, user.auth_epoch
    # Message partials pushed to a browser page are drawn in its reader's saved language.
    locale = user_locale(user)
    db.session.remove()
    return _Accept.view(user_id, epoch, via_cookie, expires_at, ip=client_ip(), session_id=session_id, locale=locale)
