"""How search reads text: one rule for listings and queries, on PostgreSQL and SQLite alike.

People in Azerbaijan type Azerbaijani with or without its own letters ("ayaqqabi" for "ayaqqabı", "deri
canta" for "dəri çanta"), and write in Russian as often as in Azerbaijani. So every listing's title, brand
and description and every query go through the same steps:

1. `fold`: lowercase (the Azerbaijani capital İ becomes a plain i, as PostgreSQL's lower() makes it), then
   the Azerbaijani letters become the Latin letters people type instead (ə→e, ı→i, ö→o, ü→u, ş→s,
   ç→c, ğ→g), Russian ё→е, and every other accent is dropped (Unicode NFKD without its combining marks:
   é→e, ñ→n). Russian й keeps its breve: и is another letter.
2. `words`: the letters-and-digits words of the folded text.
3. `forms`: a Latin (Azerbaijani, English) word is its own form; prefix matching at query time already
   forgives a partly typed suffix. A Cyrillic word is stemmed with the Snowball Russian stemmer
   (кроссовки→кроссовк, сумка→сумк). Snowball keeps the fleeting vowel of a genitive plural
   (кроссовок, сумок), so a stem ending in consonant + о/е + к/ц also has the form without that vowel
   (кроссовок→кроссовк): documents are indexed under both forms, and a query word matches either.
4. `query_forms`: what a query word matches. A Latin word matches as a prefix ("nik" finds nike). A
   Russian word whose ending the stemmer removed was typed whole: it matches its stem exactly, or, in
   case it was the start of a longer word, as a prefix of what was typed. So "платье" (stem плат) finds
   платье and платья but not платок or "на платформе", which the prefix плат:* would; "кроссов" (stem
   кросс) still finds кроссовки through the prefix кроссов:*. A word the stemmer left alone ("плат",
   "кроссовок") matches as a prefix, and its fleeting-vowel form exactly.

The folded, stemmed text of a listing is computed here in Python and stored in the products table
(search_title, search_brand, search_body); PostgreSQL's tsvector ('simple' configuration) and SQLite's
FTS5 table index those columns, and queries are folded and stemmed here before they become a tsquery or
a MATCH expression. The issue suggested PostgreSQL's `unaccent` extension plus a mapping for ə and ı
instead; one Python function gives byte-identical words on both databases (a listing found on one is
found on the other, and the tests prove both with the same cases), needs no extension or superuser, and
keeps Snowball's Russian stemmer the same on both.

No Flask here: models, migrations and the demo generator import it.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

_LETTERS = {
    "ə": "e",
    "ı": "i",
    "ö": "o",
    "ü": "u",
    "ş": "s",
    "ç": "c",
    "ğ": "g",
    "ё": "е",
    "й": "й",  # kept: NFKD would make it и
    "\x00": " ",
}


class _FoldTable(dict):
    """str.translate's table, filled per character on first sight (the alphabet a site sees is small)."""

    def __missing__(self, code):
        char = chr(code)
        if char in _LETTERS:
            folded = _LETTERS[char]
        else:
            folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            folded = folded.lower()
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text):
    """Lowercased text with the Azerbaijani letters as people type them without them and other accents
    dropped: "Dəri Çanta İpək" → "deri canta ipek"."""
    if not text:
        return ""
    if text.isascii():
        return text.replace("\x00", " ").lower()
    return text.replace("İ", "i").lower().translate(_TABLE)


def words(text):
    """The folded words (letters and digits) of `text`, in order."""
    return WORD_RE.findall(fold(text))


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_FLEETING = re.compile(r"([^аеёиоуыэюяй])[ое]([кц])$")
_stemmer = snowballstemmer.stemmer("russian")


@lru_cache(maxsize=65536)
def forms(word):
    """The indexed forms of one folded word: itself (Latin script), or its Russian stem and, for a stem
    with a fleeting vowel (кроссовок, сумок, платьец), the stem without it."""
    if not _CYRILLIC.search(word):
        return (word,)
    stem = _stemmer.stemWord(word) or word
    shorter = _FLEETING.sub(r"\1\2", stem)
    return (stem, shorter) if shorter != stem and len(shorter) >= 3 else (stem,)


@lru_cache(maxsize=4096)
def query_forms(word):
    """What one folded query word matches: (form, as_prefix) pairs, any of which will do."""
    if not _CYRILLIC.search(word):
        return ((word, True),)
    stem, *shorter = forms(word)
    pairs = [(stem, False), (word, True)] if stem != word else [(word, True)]
    return tuple(pairs + [(form, False) for form in shorter])


def search_words(text):
    """Every indexed form of every word of `text` (a document's search words)."""
    out = []
    for word in words(text):
        out.extend(forms(word))
    return out


def search_text(text):
    """`search_words` as the text stored in the search columns and indexed by either database."""
    return " ".join(search_words(text))
