"""/api/v1 reservations: a buyer asks the seller to hold an item."""

from memi.api.core import Blueprint, current_api_user, jwt_required, page_schema
from memi.extensions import db
from memi.pagination import paginate
from memi.reservations import schemas, services

blp = Blueprint("api_reservations", __name__, url_prefix="/api/v1", description="Reservations")
ReservationPage = page_schema(schemas.ReservationSchema, "ReservationPage")


@blp.post("/products/<int:product_id>/reservations")
@jwt_required
@blp.arguments(schemas.RequestSchema)
@blp.response(201, schemas.ReservationSchema)
def request_reservation(data, product_id):
    """Ask the seller to hold an ACTIVE item; 403 on the own listing, 409 if not ACTIVE or already asked."""
    reservation = services.request_reservation(current_api_user(), product_id, data.get("message"))
    db.session.commit()
    return reservation


@blp.get("/reservations")
@jwt_required
@blp.arguments(schemas.ListArgs, location="query")
@blp.response(200, ReservationPage)
def list_reservations(args):
    """My reservations as buyer and/or seller, newest first."""
    query = services.list_query(current_api_user(), args.get("role"), args.get("status"))
    items, meta = paginate(db.session, query, args["page"], args["limit"])
    return {"items": items, "meta": meta}


def _transition(fn, reservation_id):
    reservation = fn(current_api_user(), reservation_id)
    db.session.commit()
    return reservation


@blp.post("/reservations/<int:reservation_id>/accept")
@jwt_required
@blp.response(200, schemas.ReservationSchema)
def accept(reservation_id):
    """The seller accepts; the listing becomes RESERVED; 409 if another is accepted."""
    return _transition(services.accept, reservation_id)


@blp.post("/reservations/<int:reservation_id>/reject")
@jwt_required
@blp.response(200, schemas.ReservationSchema)
def reject(reservation_id):
    """The seller rejects a request."""
    return _transition(services.reject, reservation_id)


@blp.post("/reservations/<int:reservation_id>/cancel")
@jwt_required
@blp.response(200, schemas.ReservationSchema)
def cancel(reservation_id):
    """Buyer or seller cancels; an accepted reservation puts the listing back on sale."""
    return _transition(services.cancel, reservation_id)


@blp.post("/reservations/<int:reservation_id>/extend")
@jwt_required
@blp.response(200, schemas.ReservationSchema)
def extend(reservation_id):
    """The seller extends an accepted hold once by another hold period; 409 if not ACCEPTED or already
    extended."""
    return _transition(services.extend_reservation, reservation_id)
