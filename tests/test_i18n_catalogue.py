"""The gettext catalogues (memi/translations): complete, not stale against the source, with the right
plural forms; and the path a message takes to a person (lazy messages, the libraries' own messages
through our catalogue) in pages and in the JSON API."""

import html
import inspect
import json
import re

import marshmallow as ma
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from flask import json as flask_json
from flask_babel import lazy_gettext
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, IntegerField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange

from memi import catalogue, create_app, library_messages
from memi.admin.views import JOB_DESCRIPTIONS
from memi.auth.forms import RegisterForm
from memi.chat.realtime import _close_text
from memi.extensions import babel
from memi.jobs.tasks import PERIODIC
from memi.labels import LABELS, label
from memi.library_messages import (
    FLASK_WTF_MESSAGES,
    MARSHMALLOW_MESSAGES,
    WTFORMS_MESSAGES,
    WTFORMS_PLURAL_MESSAGES,
    translate_library_message,
)
from memi.reports.models import REASONS, RESOLUTION_ACTIONS, TARGET_TYPES
from memi.statuses import ListingStatus, ReportStatus, ReservationStatus, Role
from memi.web.forms import Form
from tests.conftest import base_overrides

PLURALS = {"az": 2, "ru": 3}


@pytest.fixture(scope="module")
def extracted():
    return catalogue.extract()


def _read(locale):
    return catalogue.read_catalog(catalogue.po_path(locale), locale)


# ---- (b) staleness --------------------------------------------------------------------------


def test_template_is_not_stale(extracted):
    """messages.pot holds exactly what the source marks (else: run `make translations`)."""
    template = catalogue.read_catalog(catalogue.TEMPLATE)
    source, pot = catalogue.msgids(extracted), catalogue.msgids(template)
    assert not source - pot, f"messages missing from messages.pot (run `make translations`): {sorted(source - pot)}"
    assert not pot - source, f"messages.pot has messages the source no longer has: {sorted(pot - source)}"


@pytest.mark.parametrize("locale", catalogue.LOCALES)
def test_catalogue_is_not_stale(extracted, locale):
    """Each messages.po has exactly the source's messages (else: run `make translations`)."""
    source, po = catalogue.msgids(extracted), catalogue.msgids(_read(locale))
    assert not source - po, f"{locale}: messages missing (run `make translations`): {sorted(source - po)}"
    assert not po - source, f"{locale}: messages the source no longer has: {sorted(po - source)}"


def test_plural_messages_are_extracted_as_plurals(extracted):
    """ngettext's pairs stay pairs (a plural extracted as a singular could never be translated right)."""
    plurals = {m.id[0] for m in extracted if m.id and m.pluralizable}
    assert "%(num)d item for sale" in plurals
    assert "Field must be at least %(min)d character long." in plurals  # Nn_ in memi.library_messages
    assert "Choose at most %(num)d photo." in plurals


# ---- (a) completeness -----------------------------------------------------------------------


@pytest.mark.parametrize("locale", catalogue.LOCALES)
def test_every_message_is_translated(locale):
    """Every msgid has a translation (every plural form filled), and none is fuzzy."""
    po = _read(locale)
    assert not po.fuzzy, f"{locale}: the catalogue header is marked fuzzy"
    untranslated, fuzzy = [], []
    for message in po:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(form and form.strip() for form in forms):
            untranslated.append(message.id if isinstance(message.id, str) else message.id[0])
        if message.fuzzy:
            fuzzy.append(message.id if isinstance(message.id, str) else message.id[0])
    assert not fuzzy, f"{locale}: {len(fuzzy)} fuzzy translations to check: {fuzzy[:20]}"
    assert not untranslated, f"{locale}: {len(untranslated)} messages without a translation: {untranslated[:20]}"


@pytest.mark.parametrize("locale", catalogue.LOCALES)
def test_translations_keep_their_placeholders(locale):
    """A translation uses exactly the %(name)s placeholders of its msgid (Babel's python-format check)."""
    po = _read(locale)
    problems = []
    for message, errors in po.check():
        problems += [f"{message.id!r}: {error}" for error in errors]
    assert not problems, f"{locale}: " + "\n".join(problems[:20])


# ---- (d) plural forms -----------------------------------------------------------------------


@pytest.mark.parametrize("locale", catalogue.LOCALES)
def test_plural_forms(locale):
    """Russian has three plural forms (1 товар, 2 товара, 5 товаров), Azerbaijani two; each plural entry
    carries exactly that many."""
    po = _read(locale)
    header = dict(po.mime_headers)["Plural-Forms"]
    assert re.match(rf"nplurals={PLURALS[locale]};", header), header
    assert po.num_plurals == PLURALS[locale]
    for message in po:
        if message.id and message.pluralizable:
            assert len(message.string) == PLURALS[locale], (
                f"{locale}: {message.id[0]!r} has {len(message.string)} forms"
            )


# ---- the tooling ----------------------------------------------------------------------------


def test_compile_writes_a_catalogue_gettext_can_read(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogue, "DIRECTORY", tmp_path)
    monkeypatch.setattr(catalogue, "LOCALES", ("ru",))
    po = catalogue.new_catalog("ru")
    po.add("Not found.", "Не найдено.")
    po.add(("%(num)d view", "%(num)d views"), ("%(num)d просмотр", "%(num)d просмотра", "%(num)d просмотров"))
    catalogue.write_catalog(catalogue.po_path("ru"), po)
    assert catalogue.compile_catalogs() == ["ru"]
    assert catalogue.compile_catalogs() == []  # up to date: nothing to do
    with open(catalogue.mo_path("ru"), "rb") as fileobj:
        translations = Translations(fileobj)
    assert translations.gettext("Not found.") == "Не найдено."
    assert [translations.ngettext("%(num)d view", "%(num)d views", n) % {"num": n} for n in (1, 3, 5, 21)] == [
        "1 просмотр",
        "3 просмотра",
        "5 просмотров",
        "21 просмотр",
    ]


# ---- the libraries' messages ----------------------------------------------------------------


def test_marshmallow_defaults_are_all_known():
    """Every default error message of the installed marshmallow is in MARSHMALLOW_MESSAGES (exactly, or
    as the pattern of a formatted one), so none reaches the API untranslatable."""
    known = set(MARSHMALLOW_MESSAGES)
    missing = []
    for name in dir(ma.fields):
        field = getattr(ma.fields, name)
        if inspect.isclass(field) and issubclass(field, ma.fields.Field):
            for cls in field.__mro__:
                for message in getattr(cls, "default_error_messages", {}).values():
                    if "{" in message:
                        continue  # formatted: checked by example below
                    if message not in known:
                        missing.append(message)
    missing += [m for m in ma.Schema._default_error_messages.values() if m not in known]
    assert not missing, sorted(set(missing))
    examples = {
        "Must be greater than or equal to 1 and less than or equal to 10000.": ma.validate.Range(1, 10000),
        "Must be greater than 0.": ma.validate.Range(min=0, min_inclusive=False),
        "Longer than maximum length 5.": ma.validate.Length(max=5),
        "Must be one of: a, b.": ma.validate.OneOf(["a", "b"]),
    }
    for text, validator in examples.items():
        with pytest.raises(ma.ValidationError) as raised:
            validator("zzzzzzzz" if isinstance(validator, ma.validate.Length | ma.validate.OneOf) else -5)
        assert raised.value.messages == [text]


def test_wtforms_messages_come_from_our_catalogue(app):
    """The forms ask our catalogue for WTForms' own messages, and every one they ask is one we list."""
    asked = []

    class Recording(library_messages.CatalogueTranslations):
        def gettext(self, string):
            asked.append(string)
            return super().gettext(string)

        def ngettext(self, singular, plural, n):
            asked.append((singular, plural))
            return super().ngettext(singular, plural, n)

    class Sample(Form):
        class Meta:
            csrf = False

            def get_translations(self, form):
                return Recording()

        a = StringField("a", validators=[DataRequired()])
        b = StringField("b", validators=[Length(min=3)])
        c = StringField("c", validators=[Length(max=2)])
        d = StringField("d", validators=[Length(min=2, max=4)])
        e = EmailField("e", validators=[Email()])
        f = IntegerField("f", validators=[NumberRange(min=1, max=5)])
        g = IntegerField("g", validators=[InputRequired()])
        h = IntegerField("h")

    with app.test_request_context():
        form = Sample(formdata=MultiDict({"b": "x", "c": "xyz", "d": "x", "e": "nope", "f": "9", "h": "x"}))
        assert not form.validate()
    singular = set(WTFORMS_MESSAGES) | set(FLASK_WTF_MESSAGES)
    plural = set(WTFORMS_PLURAL_MESSAGES)
    unknown = [m for m in asked if (m not in plural if isinstance(m, tuple) else m not in singular)]
    assert asked and not unknown, unknown
    # The real forms use the catalogue too.
    assert RegisterForm.Meta.get_translations(None, None) is library_messages.catalogue_translations


def test_unknown_and_lazy_messages_pass_through(app):
    with app.test_request_context(headers=ENGLISH):
        assert translate_library_message("Somebody's own words.") == "Somebody's own words."
        assert translate_library_message(lazy_gettext("Not found.")) == "Not found."
        assert translate_library_message("Longer than maximum length 5.") == "Longer than maximum length 5."


# ---- a message's way to a person, in another language --------------------------------------

RUSSIAN = {
    "The request is not valid.": "Запрос содержит ошибки.",
    "Missing data for required field.": "Обязательное поле.",
    "Not a valid integer.": "Нужно целое число.",
    "Must be greater than or equal to %(min)s and less than or equal to %(max)s.": "Должно быть от %(min)s до %(max)s.",
    "Email or password is incorrect.": "Неверный email или пароль.",
    ("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."): (
        "Не длиннее %(max)d символа.",
        "Не длиннее %(max)d символов.",
        "Не длиннее %(max)d символов.",
    ),
    "Not found.": "Не найдено.",
    ("Choose at most %(num)d photo.", "Choose at most %(num)d photos."): (
        "Выберите не больше %(num)d фотографии.",
        "Выберите не больше %(num)d фотографий.",
        "Выберите не больше %(num)d фотографий.",
    ),
}


@pytest.fixture
def russian_app(tmp_path):
    """The app with a small Russian catalogue of its own (the real one is filled by translators)."""
    po = Catalog(locale="ru")
    for msgid, msgstr in RUSSIAN.items():
        po.add(msgid, msgstr)
    path = tmp_path / "ru" / "LC_MESSAGES"
    path.mkdir(parents=True)
    with open(path / "messages.mo", "wb") as fileobj:
        write_mo(fileobj, po)
    babel.domain_instance.cache.clear()  # Flask-Babel caches translations per locale, for every app
    yield create_app(base_overrides(LANGUAGES=["en", "ru"], BABEL_TRANSLATION_DIRECTORIES=str(tmp_path)))
    babel.domain_instance.cache.clear()  # the next test reads the shipped catalogues again


RU = {"Accept-Language": "ru"}
ENGLISH = {"Accept-Language": "en"}  # the default is az: these check the English source itself


def test_api_validation_error_reads_in_the_request_language(russian_app):
    client = russian_app.test_client()
    res = client.get("/api/v1/products?page=0&limit=x", headers=RU)
    body = res.get_json()["error"]
    assert res.status_code == 400 and body["code"] == "validation_error"
    assert body["message"] == "Запрос содержит ошибки."
    assert body["details"]["page"] == ["Должно быть от 1 до 10000."]
    assert body["details"]["limit"] == ["Нужно целое число."]
    res = client.post("/api/v1/auth/register", json={}, headers=RU)
    assert res.get_json()["error"]["details"]["email"] == ["Обязательное поле."]
    english = client.get("/api/v1/products?page=0", headers={"Accept-Language": "en"}).get_json()["error"]
    assert english["message"] == "The request is not valid."
    assert english["details"]["page"] == ["Must be greater than or equal to 1 and less than or equal to 10000."]


def test_api_domain_error_reads_in_the_request_language(russian_app):
    """A service's lazy message (and an error class's default) renders at the edge, per request."""
    client = russian_app.test_client()
    res = client.post(
        "/api/v1/auth/login", json={"email": "nobody@memi.test", "password": "wrong-password"}, headers=RU
    )
    assert res.status_code == 401 and res.get_json()["error"]["message"] == "Неверный email или пароль."
    res = client.post("/api/v1/auth/login", json={"email": "nobody@memi.test", "password": "wrong-password"})
    assert res.get_json()["error"]["message"] == "Email or password is incorrect."
    res = client.get("/api/v1/products/999999999", headers=RU)
    assert res.status_code == 404 and res.get_json()["error"]["code"] == "not_found"


def test_form_errors_and_script_text_read_in_the_request_language(russian_app):
    client = russian_app.test_client()
    page = client.post("/register", data={"name": "x" * 81}, headers=RU).get_data(as_text=True)
    assert "Не длиннее 80 символов." in page and "Field cannot be longer" not in page  # WTForms' own message
    assert _script_messages(client.get("/login", headers=RU))["photos_max"] == "Выберите не больше 8 фотографий."
    english = _script_messages(client.get("/login", headers={"Accept-Language": "en"}))
    assert english["photos_max"] == "Choose at most 8 photos."


def _script_messages(res):
    """The JSON that base.html hands static/js in #i18n[data-messages]."""
    found = re.search(r"""<div id="i18n" hidden data-messages='([^']*)'>""", res.get_data(as_text=True))
    return json.loads(html.unescape(found.group(1)))


def test_lazy_messages_serialise_to_json(app):
    with app.test_request_context(headers=ENGLISH):
        assert flask_json.loads(flask_json.dumps({"m": lazy_gettext("Not found.")})) == {"m": "Not found."}


def test_a_socket_close_reason_fits_its_frame():
    """A close frame carries at most 123 bytes: a long translation is cut on a character boundary."""
    text = _close_text("Слишком много открытых соединений с этого адреса; закройте одно и попробуйте снова.")
    assert len(text.encode()) <= 123 and text.startswith("Слишком много")
    assert _close_text(lazy_gettext("Not found.")) == "Not found."


def test_every_code_a_page_shows_has_a_label(app):
    """Statuses, roles, report reasons and targets, and audit actions read as words in the reader's
    language (`{{ code|label }}`), never as the code."""
    codes = [*ListingStatus, *ReservationStatus, *ReportStatus, *Role, *REASONS, *TARGET_TYPES, "REMOVED"]
    codes += [f"report.{a.lower()}" for a in RESOLUTION_ACTIONS]
    codes += ["user.block", "user.unblock", "user.promote", "user.demote", "product.remove", "product.restore"]
    codes += [f"{kind}.{verb}" for kind in ("category", "subcategory") for verb in ("create", "update", "delete")]
    missing = [code for code in codes if code not in LABELS]
    assert not missing, missing
    with app.test_request_context(headers=ENGLISH):
        assert str(label(ListingStatus.ACTIVE)) == "On sale" and label("SOMETHING_NEW") == "SOMETHING_NEW"


def test_flask_translate_commands(app, tmp_path, monkeypatch):
    """`flask translate update` extracts and merges (new messages untranslated, translations kept);
    `flask translate compile` writes the .mo files."""
    monkeypatch.setattr(catalogue, "DIRECTORY", tmp_path)
    monkeypatch.setattr(catalogue, "TEMPLATE", tmp_path / "messages.pot")
    for locale in catalogue.LOCALES:
        po = catalogue.new_catalog(locale)
        po.add("Not found.", "Tapılmadı." if locale == "az" else "Не найдено.")
        catalogue.write_catalog(catalogue.po_path(locale), po)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["translate", "update"])
    assert result.exit_code == 0, result.output
    ru = catalogue.read_catalog(catalogue.po_path("ru"), "ru")
    assert ru.get("Not found.").string == "Не найдено." and ru.get("Email or password is incorrect.").string == ""
    assert catalogue.msgids(ru) == catalogue.msgids(catalogue.read_catalog(tmp_path / "messages.pot"))
    result = runner.invoke(args=["translate", "compile"])
    assert result.exit_code == 0 and "az, ru" in result.output
    assert catalogue.mo_path("az").exists() and catalogue.mo_path("ru").exists()


def test_every_periodic_job_has_a_translatable_description():
    assert set(PERIODIC) == set(JOB_DESCRIPTIONS)


def test_flask_translate_merge_takes_a_translators_copy(app, tmp_path, monkeypatch):
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    monkeypatch.setattr(catalogue, "DIRECTORY", ours)
    po = catalogue.new_catalog("ru")
    po.add("Not found.", "")
    po.add("Sold", "Продано")
    po.add("Open", "")
    po.add(("%(num)d view", "%(num)d views"), ("", "", ""))
    po.add("Cover", "Интервал", flags=["fuzzy"])  # `translate update` guessed from a similar msgid
    catalogue.write_catalog(catalogue.po_path("ru"), po)
    copy = catalogue.new_catalog("ru")
    copy.add("Not found.", "Не найдено.")
    copy.add("Sold", "Продан")
    copy.add("Open", "Открыта", flags=["fuzzy"])
    copy.add(("%(num)d view", "%(num)d views"), ("%(num)d просмотр", "%(num)d просмотра", "%(num)d просмотров"))
    copy.add("Cover", "Обложка")
    catalogue.write_catalog(theirs / "ru" / "LC_MESSAGES" / "messages.po", copy)
    result = app.test_cli_runner().invoke(args=["translate", "merge", str(theirs)])
    assert result.exit_code == 0 and "ru: 3 translations merged" in result.output, result.output
    merged = catalogue.read_catalog(catalogue.po_path("ru"), "ru")
    assert merged.get("Not found.").string == "Не найдено."
    assert merged.get("Sold").string == "Продано"  # ours stays
    assert merged.get("Open").string == ""  # a fuzzy guess is not taken
    assert merged.get("%(num)d view").string[2] == "%(num)d просмотров"
    cover = merged.get("Cover")
    assert cover.string == "Обложка" and not cover.fuzzy  # a fuzzy guess of ours gives way to a translation
