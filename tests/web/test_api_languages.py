"""The JSON API answers its human-readable text in the language of Accept-Language, from the real
catalogues: the same validation error in az, ru and en, codes and field names unchanged."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).resolve().parents[2] / "memi" / "translations"


def translated(lang, english):
    """What the shipped `lang` catalogue says for `english` (the English itself for en)."""
    if lang == "en":
        return english
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        message = read_po(f).get(english)
    assert message is not None and message.string, f"{english!r} has no {lang} translation"
    return message.string


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_the_same_validation_error_in_each_language(client, lang):
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "not-an-email", "password": "correct-horse-1", "name": "Aysel"},
        headers={"Accept-Language": lang},
    )
    assert response.status_code in (400, 422)
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"  # codes never change with the language
    assert error["details"]["email"] == [translated(lang, "Enter a valid email address.")]
    assert error["message"] == translated(lang, "The data is not valid.")


@pytest.mark.parametrize("lang", ["az", "ru", "en"])
def test_library_messages_follow_the_language(client, lang):
    """A query parameter the API's schema refuses: marshmallow's own English is translated too."""
    response = client.get("/api/v1/products?limit=many", headers={"Accept-Language": lang})
    assert response.status_code == 400
    details = response.get_json()["error"]["details"]
    assert details["limit"] == [translated(lang, "Not a valid integer.")]


def test_the_languages_really_differ(client):
    """The three answers are three languages, not one text three times."""
    answers = {
        lang: client.get("/api/v1/products?limit=many", headers={"Accept-Language": lang}).get_json()["error"][
            "details"
        ]["limit"][0]
        for lang in ("az", "ru", "en")
    }
    assert len(set(answers.values())) == 3


def test_without_a_header_the_api_speaks_azerbaijani(app):
    plain = app.test_client()  # not the suite's English-asking client
    plain.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    response = plain.get("/api/v1/products?limit=many")
    assert response.get_json()["error"]["details"]["limit"] == [translated("az", "Not a valid integer.")]
