"""Chat pages: the inbox, a conversation (live over the socket, plain forms without JavaScript)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from memi.chat import services
from memi.chat.forms import MessageForm
from memi.chat.frames import message_frame
from memi.errors import Conflict, Forbidden, Invalid, RateLimited
from memi.extensions import db
from memi.pagination import paginate
from memi.products.forms import ActionForm
from memi.products.services import get_visible_product
from memi.web.errors import domain_errors
from memi.web.guards import login_required
from memi.web.htmx import is_htmx, render
from memi.web.pagination import page_arg

bp = Blueprint("chat", __name__)


@bp.get("/chats")
@login_required
def inbox():
    page = page_arg()
    items, meta = paginate(db.session, services.inbox_query(current_user), page, 30)
    return render("chat/inbox.html", chats=services.summarize(current_user, items), meta=meta)


@bp.route("/products/<int:product_id>/message", methods=["GET", "POST"])
@login_required
def start(product_id):
    """ "Message seller": the first message of a buyer (or straight to the existing chat)."""
    product = get_visible_product(current_user, product_id)
    if product.seller_id == current_user.id:
        flash(_("This is your own listing."), "info")
        return redirect(url_for("products.detail", product_id=product.id))
    existing = services.find_chat(product.id, current_user.id)
    if existing is not None and request.method == "GET":
        return redirect(url_for("chat.show", chat_id=existing.id))
    form = MessageForm()
    if request.method == "GET":
        form.body.data = _("Hi! Is this still available?")
    if form.validate_on_submit():
        with domain_errors(Invalid, Forbidden, Conflict, RateLimited, form=form):
            chat, _message, _created = services.start_chat(current_user, product.id, form.body.data)
            db.session.commit()
            return redirect(url_for("chat.show", chat_id=chat.id))
    return render("chat/start.html", form=form, product=product), 400 if form.errors or form.form_errors else 200


@bp.get("/chats/<int:chat_id>")
@login_required
def show(chat_id):
    chat = services.get_chat(current_user, chat_id)
    before = request.args.get("before", type=int)
    page, earlier = services.message_page(current_user, chat.id, before if before and 0 < before < 2**31 else None, 100)
    items = list(reversed(page))
    if current_user.id in (chat.buyer_id, chat.seller_id):
        services.mark_read(current_user, chat.id)
        db.session.commit()
    [chat] = services.summarize(current_user, [chat])
    return render(
        "chat/show.html",
        chat=chat,
        messages=[message_frame(m) for m in items],
        earlier=earlier,
        form=MessageForm(),
        action_form=ActionForm(),
    )


@bp.post("/chats/<int:chat_id>/messages")
@login_required
def send(chat_id):
    form = MessageForm()
    if form.validate_on_submit():
        with domain_errors(Invalid, Forbidden, RateLimited) as outcome:
            message = services.send_message(current_user, chat_id, form.body.data)
            db.session.commit()
        if outcome.failed:
            partial = render("chat/_composer.html", form=form, chat_id=chat_id) if is_htmx() else None
            return outcome.flash_or_toast(url_for("chat.show", chat_id=chat_id), partial)
        if is_htmx():
            # The message comes back in this answer; its copy from the socket is skipped by message id.
            return render(
                "chat/_sent.html", form=MessageForm(formdata=None), chat_id=chat_id, message=message_frame(message)
            )
        return redirect(url_for("chat.show", chat_id=chat_id) + "#composer")
    if is_htmx():
        return render("chat/_composer.html", form=form, chat_id=chat_id), 400
    flash(" ".join(form.body.errors) or _("Write a message."), "error")
    return redirect(url_for("chat.show", chat_id=chat_id))


@bp.post("/chats/<int:chat_id>/read")
@login_required
def mark_read(chat_id):
    """The open chat page calls this when a message arrives live: the reader has seen it."""
    if not ActionForm().validate_on_submit():
        return "", 400
    services.mark_read(current_user, chat_id)
    db.session.commit()
    return "", 204


@bp.post("/chats/<int:chat_id>/block")
@login_required
def block(chat_id):
    if ActionForm().validate_on_submit():
        with domain_errors(Forbidden, flash_error=True):
            if request.form.get("action") == "unblock":
                services.unblock(current_user, chat_id)
                flash(_("Chat unblocked."), "success")
            else:
                services.block(current_user, chat_id)
                flash(_("Chat blocked. Neither of you can send messages until you unblock it."), "success")
            db.session.commit()
    return redirect(url_for("chat.show", chat_id=chat_id))
