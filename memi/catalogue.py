"""The gettext catalogues (Babel): where they live, which keywords mark a message, and extract / update /
compile / init as plain functions. `flask translate ...` and `make translations` call these, and the
catalogue tests extract in-process with the same settings, so every path agrees on what a message is.

English is the source language: messages.pot is extracted from memi/**.py and templates/** (babel.cfg),
memi/translations/<locale>/LC_MESSAGES/messages.po hold the az and ru translations, and the compiled
messages.mo next to them are build products (git-ignored; `make run/test/bench/worker` and the Dockerfile
build them, and the test suite rebuilds stale ones)."""

from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
DIRECTORY = Path(__file__).resolve().parent / "translations"
TEMPLATE = DIRECTORY / "messages.pot"
LOCALES = ("az", "ru")

# gettext's usual names plus Flask-Babel's lazy ones (`_l` is the house alias of lazy_gettext).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
    "Nn_": (1, 2),  # memi.i18n: a singular/plural pair marked, not translated
}
COMMENT_TAGS = ("TRANSLATORS:",)
PROJECT = "memi.az"
WIDTH = 120


def po_path(locale):
    return DIRECTORY / locale / "LC_MESSAGES" / "messages.po"


def mo_path(locale):
    return DIRECTORY / locale / "LC_MESSAGES" / "messages.mo"


def extract():
    """A Catalog of every message in the source, as `pybabel extract -F babel.cfg` with KEYWORDS finds it."""

    with open(MAPPING, encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, filename=str(MAPPING))
    catalog = Catalog(project=PROJECT, version="1.0", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def msgids(catalog):
    """The set of message ids of a catalogue (singular msgid, with its context), header left out."""

    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def write_catalog(path, catalog):
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = BytesIO()
    # No line numbers: a message moving within its file changes nothing (fewer merge conflicts).
    write_po(buffer, catalog, width=WIDTH, ignore_obsolete=True, include_previous=False, include_lineno=False)
    path.write_bytes(buffer.getvalue())


def read_catalog(path, locale=None):
    with open(path, "rb") as fileobj:
        return read_po(fileobj, locale=locale)


def write_template():
    """Extract the source into messages.pot; returns the catalogue."""

    template = extract()
    write_catalog(TEMPLATE, template)
    return template


def update(template=None):
    """Merge messages.pot into each locale's .po: new messages are added untranslated (or fuzzy when a
    similar message was translated), removed ones are dropped. Returns {locale: Catalog}."""

    if template is None:
        template = read_catalog(TEMPLATE)
    updated = {}
    for locale in LOCALES:
        path = po_path(locale)
        catalog = read_catalog(path, locale) if path.exists() else new_catalog(locale)
        catalog.update(template, update_header_comment=False)
        write_catalog(path, catalog)
        updated[locale] = catalog
    return updated


def new_catalog(locale):
    """An empty catalogue for `locale` with its plural rule (Russian has three forms)."""

    catalog = Catalog(locale=Locale.parse(locale), project=PROJECT, version="1.0", charset="utf-8", fuzzy=False)
    catalog.language_team = f"{Locale.parse(locale).english_name} <{locale}@memi.az>"
    return catalog


def init(locale, template=None):
    """Start a catalogue for a new locale from messages.pot (every msgstr empty)."""

    if template is None:
        template = read_catalog(TEMPLATE)
    catalog = new_catalog(locale)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    write_catalog(po_path(locale), catalog)
    return catalog


def merge_translations(directory):
    """Fill each locale's messages.po from the translations in `directory`/<locale>/LC_MESSAGES/messages.po
    (a translator's copy): every message of ours that has the same msgid (and context) there, translated
    and not fuzzy, takes that translation; ours win where both are translated (and not fuzzy). Returns
    {locale: count}."""

    merged = {}
    for locale in LOCALES:
        source_path = Path(directory) / locale / "LC_MESSAGES" / "messages.po"
        if not source_path.exists():
            continue
        source = read_catalog(source_path, locale)
        catalog = read_catalog(po_path(locale), locale)
        count = 0
        for message in catalog:
            if not message.id or (_translated(message) and not message.fuzzy):
                continue  # ours is translated; a fuzzy entry of ours is only a guess, theirs wins
            theirs = source.get(message.id, context=message.context)
            if theirs is None or theirs.fuzzy or not _translated(theirs):
                continue
            if isinstance(message.id, tuple) != isinstance(theirs.id, tuple):
                continue
            message.string = theirs.string
            message.flags.discard("fuzzy")
            count += 1
        write_catalog(po_path(locale), catalog)
        merged[locale] = count
    return merged


def _translated(message):
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(form and form.strip() for form in forms)


def is_stale(locale):
    po, mo = po_path(locale), mo_path(locale)
    return po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime)


def compile_catalogs(force=False):
    """Write messages.mo for each locale whose .po is newer (fuzzy entries left out, as gettext does).
    Returns the locales compiled."""

    compiled = []
    for locale in LOCALES:
        if not po_path(locale).exists() or not (force or is_stale(locale)):
            continue
        catalog = read_catalog(po_path(locale), locale)
        buffer = BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        mo_path(locale).write_bytes(buffer.getvalue())
        compiled.append(locale)
    return compiled


if __name__ == "__main__":  # python -m memi.catalogue extract|update|compile|merge DIR (no app needed)
    import sys

    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "extract":
        write_template()
    elif command == "update":
        update(write_template())
    elif command == "merge" and len(sys.argv) > 2:
        print(merge_translations(sys.argv[2]))
    elif command == "compile":
        compile_catalogs(force="--force" in sys.argv)
    else:
        sys.exit(f"usage: python -m memi.catalogue extract|update|compile [--force]|merge DIR; not {command!r}")
