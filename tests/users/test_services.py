"""The profile rules, called as the views call them: memi.users.services."""

import pytest

from memi.errors import Forbidden, Invalid, NotFound
from memi.users import services
from memi.users.models import User


def test_clean_profile_fields_trims_blanks_to_none_and_takes_only_profile_fields():
    cleaned = services.clean_profile_fields(
        {"name": "  Aysel ", "city": "   ", "phone": " +994 50 123 45 67 ", "role": "ADMIN", "email": "x@y.az"}
    )
    assert cleaned == {"name": "Aysel", "city": None, "phone": "+994 50 123 45 67"}
    assert services.clean_profile_fields({}) == {}
    assert services.clean_profile_fields({"city": None}) == {"city": None}


def test_clean_profile_fields_requires_a_name_when_asked_or_given():
    with pytest.raises(Invalid) as exc:
        services.clean_profile_fields({}, require_name=True)
    assert exc.value.fields == {"name": ["Enter your name."]}
    with pytest.raises(Invalid) as exc:
        services.clean_profile_fields({"name": "  "})
    assert "name" in exc.value.fields


def test_clean_profile_fields_lengths_and_phone_format():
    with pytest.raises(Invalid) as exc:
        services.clean_profile_fields({"name": "n" * 81, "city": "c" * 81, "phone": "12"})
    assert set(exc.value.fields) == {"name", "city", "phone"}
    assert services.clean_profile_fields({"name": "n" * 80, "city": "c" * 80, "phone": "(050) 123-45-67"})


@pytest.mark.parametrize("field", ["name", "city", "phone"])
@pytest.mark.parametrize(
    "inside", ["\r\n", "\n", "\r", "\t", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\ufeff"]
)
def test_clean_profile_fields_refuses_control_characters_inside_a_value(field, inside):
    data = {"name": "Bob", "phone": "+994 50 123 45 67"}
    data[field] = "+994 50" + inside + "123 45 67" if field == "phone" else "Bob" + inside + "Bcc: x@evil.az"
    with pytest.raises(Invalid) as exc:
        services.clean_profile_fields(data)
    assert exc.value.fields == {field: [services.SINGLE_LINE_MESSAGE]}


def test_has_control_characters_allows_joiners_and_any_script():
    for text in ("Gülşən", "Мария", "Zaid \u200cعلی", "👩\u200d👩\u200d👧", "O'Brien-Smith (Jr.)"):
        assert not services.has_control_characters(text)
    assert services.has_control_characters("a\nb")


def test_update_profile_sets_only_name_city_phone(ctx, db, make_user):
    made = make_user(name="Old")
    user = db.session.get(User, made.id)
    services.update_profile(user, {"name": "New", "city": "", "role": "ADMIN", "email": "x@evil.az", "is_blocked": 1})
    assert (user.name, user.city, user.role, user.email, user.is_blocked) == ("New", None, "USER", made.email, False)
    with pytest.raises(Invalid):
        services.update_profile(user, {"name": "Bob\r\nBcc: x@evil.az"})


def test_get_public_user_hides_blocked_and_unknown_users(ctx, db, make_user):
    visible, blocked = make_user(), make_user(blocked=True)
    assert services.get_public_user(visible.id).id == visible.id
    for user_id in (blocked.id, 999999):
        with pytest.raises(NotFound):
            services.get_public_user(user_id)


def test_active_listing_count_counts_active_and_reserved_only(ctx, db, make_user, make_product):
    seller = make_user()
    make_product(seller=seller)
    make_product(seller=seller, status="RESERVED")
    make_product(seller=seller, status="SOLD")
    assert services.active_listing_count(db.session.get(User, seller.id)) == 2


def test_set_avatar_refuses_no_file_and_blocked_users(ctx, db, make_user):
    user = db.session.get(User, make_user().id)
    with pytest.raises(Invalid) as exc:
        services.set_avatar(user, None)
    assert "file" in exc.value.fields
    user.is_blocked = True
    with pytest.raises(Forbidden):
        services.set_avatar(user, b"anything")
