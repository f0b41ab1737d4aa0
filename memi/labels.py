"""What a person reads for a code the data keeps (a status, a role, a report reason, an audit action):
one lazy label each, in the reader's language. The codes themselves never change with the language
(the API answers codes); pages show `{{ code|label }}`. A code without a label shows as it is."""

from flask_babel import lazy_gettext as _l

LABELS = {
    # listing statuses (and the admin's "removed by moderation" filter)
    "ACTIVE": _l("On sale"),
    "RESERVED": _l("Reserved"),
    "SOLD": _l("Sold"),
    "DELETED": _l("Deleted"),
    "REMOVED": _l("Removed"),
    # reservation statuses
    # TRANSLATORS: a reservation request's status, waiting for the seller's answer.
    "REQUESTED": _l("Requested"),
    "ACCEPTED": _l("Accepted"),
    "REJECTED": _l("Declined"),
    "CANCELLED": _l("Cancelled"),
    # report statuses
    # TRANSLATORS: a report's status (waiting for an admin), an adjective.
    "OPEN": _l("Open"),
    "RESOLVED": _l("Resolved"),
    "DISMISSED": _l("Dismissed"),
    # how an admin closed a report (its resolution_action)
    # TRANSLATORS: how a report was closed.
    "DISMISS": _l("Dismissed, no action"),
    "REMOVE_PRODUCT": _l("Listing removed"),
    "BLOCK_USER": _l("User blocked"),
    # roles
    "USER": _l("User"),
    "ADMIN": _l("Admin"),
    # report reasons
    "SPAM": _l("Spam"),
    "FRAUD": _l("Scam or fraud"),
    "PROHIBITED_ITEM": _l("Prohibited item"),
    "OFFENSIVE": _l("Offensive content"),
    "COUNTERFEIT": _l("Counterfeit"),
    "OTHER": _l("Something else"),
    # what a report or an admin action is about
    "product": _l("Listing"),
    "user": _l("User"),
    "chat": _l("Chat"),
    "report": _l("Report"),
    "category": _l("Category"),
    "subcategory": _l("Subcategory"),
    # audit actions (memi.audit.log_action)
    # TRANSLATORS: what an admin did, in the audit log (the admin is the subject).
    "user.block": _l("Blocked the user"),
    "user.unblock": _l("Unblocked the user"),
    "user.promote": _l("Made the user an admin"),
    "user.demote": _l("Made the admin a user"),
    "product.remove": _l("Removed the listing"),
    "product.restore": _l("Restored the listing"),
    "report.dismiss": _l("Dismissed the report"),
    "report.remove_product": _l("Removed the listing (report)"),
    "report.block_user": _l("Blocked the user (report)"),
    "category.create": _l("Added a category"),
    "category.update": _l("Renamed a category"),
    "category.delete": _l("Deleted a category"),
    "subcategory.create": _l("Added a subcategory"),
    "subcategory.update": _l("Renamed a subcategory"),
    "subcategory.delete": _l("Deleted a subcategory"),
}


def label(code):
    """The reader's label for `code` (a lazy string), or the code itself when it has none."""
    if code is None:
        return ""
    return LABELS.get(str(code), code)
