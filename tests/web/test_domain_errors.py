"""`domain_errors`: the one way a page answers the refusals it expects (form errors, a flash, a toast)."""

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import FileField, StringField

from memi.errors import Conflict, Forbidden, Invalid, NotFound, UnsupportedMediaType
from memi.web.errors import domain_errors, error_text


class _Form(FlaskForm):
    name = StringField()
    photos = FileField()


def test_a_refusal_goes_on_the_form_by_field_and_the_rest_above_it(app):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        with domain_errors(Invalid, form=form) as outcome:
            raise Invalid(fields={"name": ["Too long."], "unknown": ["Something else."]})
        assert outcome.failed
        assert form.name.errors == ["Too long."]
        assert form.form_errors == ["Something else."]

        form = _Form()
        with domain_errors(Conflict, form=form) as outcome:
            raise Conflict("Taken.")
        assert form.form_errors == ["Taken."] and outcome.message == "Taken."


def test_an_upload_refusal_shows_under_the_upload_field(app):
    with app.test_request_context("/", method="POST"):
        form = _Form()
        with domain_errors(UnsupportedMediaType, form=form, upload_field="photos"):
            raise UnsupportedMediaType("Not a photo.")
        assert form.photos.errors == ["Not a photo."] and form.form_errors == []


def test_a_refusal_is_flashed_in_one_line_and_a_success_is_left_alone(app):
    with app.test_request_context("/", method="POST"):
        with domain_errors(Invalid, flash_error=True) as outcome:
            raise Invalid("Not shown.", fields={"a": ["One."], "b": ["Two."]})
        assert get_flashed_messages(with_categories=True) == [("error", "One. Two.")]
        assert error_text(outcome.error) == "One. Two." and outcome.message == "Not shown."

    with app.test_request_context("/", method="POST"):
        with domain_errors(Invalid, flash_error=True) as outcome:
            pass
        assert not outcome.failed and get_flashed_messages() == []


def test_other_errors_go_on_to_the_error_handler(app):
    with app.test_request_context("/", method="POST"):
        with pytest.raises(NotFound), domain_errors(Invalid, Forbidden, flash_error=True):
            raise NotFound()
