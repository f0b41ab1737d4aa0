"""Every word a person can read goes through gettext: a scanner over the templates, the Python source and
the JavaScript that fails on user-facing text written outside it.

- Templates: the text between tags and the attributes a person reads or hears (placeholder, title, alt,
  aria-*, a button's value, ...), once the {{ }}, {% %} and {# #} blocks are taken out. Any real word left
  is a failure (the brand, symbols and numbers are allowed). Email .txt templates: all their text.
- Python (ast): string literals given to a DomainError (memi/errors.py and its subclasses), to flash(), as a
  form field's label, as a validator's message, in a field's choices, as a class's default_message; and
  gettext calls around an f-string, `%` or `.format` (the translation must see the placeholders).
- JavaScript: string literals assigned to textContent/innerHTML/title/placeholder/alt, aria-* attributes,
  alert()/confirm()/prompt() and showToast() outside the server-rendered catalogue (memi.t)."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "memi"
SCRIPTS = ROOT / "static" / "js"

# Words that stay as they are in every language: the brand (and its parts as the logo writes them), API.
ALLOWED_WORDS = {"memi", "az", "memi.az", "api"}
WORD = re.compile(r"[^\W\d_]{2,}")
JINJA_BLOCK = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
# Attributes a person reads or a screen reader speaks.
READ_ATTRIBUTES = {
    "placeholder",
    "title",
    "alt",
    "label",
    "aria-label",
    "aria-description",
    "aria-placeholder",
    "hx-confirm",  # the browser's confirm dialog
    "hx-prompt",
    "data-confirm",
}
READ_ATTRIBUTES_PREFIX = ("aria-roledescription", "aria-valuetext")
SKIPPED_ELEMENTS = {"script", "style"}

# Templates (relative to templates/) that are not text for people: none today.
TEMPLATE_EXCEPTIONS: set[str] = set()


def words(text):
    """The real words of `text` that are not allowed as they are."""

    found = []
    for token in re.split(r"\s+", text.strip()):
        if not token or token.lower().strip(".,:;!?()[]«»\"'") in ALLOWED_WORDS:
            continue
        found.extend(w for w in WORD.findall(token) if w.lower() not in ALLOWED_WORDS)
    return found


class _TextScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            readable = name in READ_ATTRIBUTES or name.startswith(READ_ATTRIBUTES_PREFIX)
            if name == "content" and tag == "meta":  # a page's description and its preview cards
                # og:type is a word of the Open Graph vocabulary ("product"), not text for people.
                readable = attributes.get("name") in {"description", "twitter:title", "twitter:description"} or (
                    (attributes.get("property") or "").startswith("og:") and attributes.get("property") != "og:type"
                )
            if name == "value" and (
                tag == "button" or (tag == "input" and attributes.get("type") in {"submit", "button", "reset"})
            ):
                readable = True
            if readable and words(value):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and words(data):
            self.problems.append(repr(data.strip()))


_JINJA = Environment(extensions=["jinja2.ext.i18n"])


def template_gettext_problems(source):
    """gettext calls in a template whose message is not a literal: never extracted, never translated
    (show stored English msgids with the |translate filter, after marking them N_ where they are written)."""

    problems = []
    for call in _JINJA.parse(source).find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in {"_", "gettext", "ngettext", "pgettext"}:
            if not call.args or not isinstance(call.args[0], nodes.Const):
                problems.append(f"line {call.lineno}: gettext of a variable")
    return problems


def template_problems(source, text_only=False):
    """User-facing text outside gettext in a template's source."""

    stripped = JINJA_BLOCK.sub(" ", source)
    if text_only:
        return [repr(line.strip()) for line in stripped.splitlines() if words(line)]
    scanner = _TextScanner()
    scanner.feed(stripped)
    scanner.close()
    return scanner.problems


def test_template_scanner_catches_plain_text():
    assert template_problems("<p>{{ _('Hello') }}</p>") == []
    assert template_problems("<p>Hello {{ name }}</p>") == ["'Hello'"]
    assert template_problems('<input placeholder="Search" value="{{ q }}">') == ["<input placeholder='Search'>"]
    assert template_problems('<button aria-label="Close">×</button>') == ["<button aria-label='Close'>"]
    assert template_problems('<input type="submit" value="Send">') == ["<input value='Send'>"]
    assert template_problems('<input type="hidden" name="next" value="home">') == []
    assert template_problems('<button hx-confirm="Delete this listing?">x</button>') != []
    assert template_problems('<meta name="description" content="Buy and sell">') != []
    assert template_problems('<meta name="viewport" content="width=device-width, initial-scale=1">') == []
    assert template_problems("<a class=logo>memi<span>.az</span></a> © 2026 · 12 ₼") == []
    assert template_problems("<script>var x = 'words';</script>{# a comment #}{% if x %}{% endif %}") == []
    assert template_problems("Hello {{ name }},\n{{ _('Your order') }}", text_only=True) == ["'Hello  ,'"]
    assert template_gettext_problems("{{ _(label) }} {{ _('Fine') }} {{ ngettext(a, b, n) }}") == [
        "line 1: gettext of a variable",
        "line 1: gettext of a variable",
    ]


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"}),
)
def test_template_text_goes_through_gettext(path):
    if path in TEMPLATE_EXCEPTIONS:
        pytest.skip("not text for people")
    source = (TEMPLATES / path).read_text(encoding="utf-8")
    problems = template_problems(source, text_only=path.endswith(".txt")) + template_gettext_problems(source)
    assert problems == [], f"templates/{path}: text outside gettext: {problems}"


# ---------------------------------------------------------------------------------------------- Python

GETTEXT_NAMES = {"_", "gettext", "ngettext", "pgettext", "npgettext", "_l", "lazy_gettext", "lazy_ngettext", "N_"}
ERROR_BASES = {"DomainError"}
# Validators and the position of their message argument (None: by keyword only).
VALIDATORS = {
    "DataRequired": 0,
    "InputRequired": 0,
    "Optional": 0,
    "Email": 0,
    "URL": 1,
    "UUID": 0,
    "IPAddress": 2,
    "Length": 2,
    "NumberRange": 2,
    "EqualTo": 1,
    "Regexp": 2,
    "AnyOf": 1,
    "NoneOf": 1,
    "ValidationError": 0,
    "StopValidation": 0,
    "FileAllowed": 1,
    "FileRequired": 0,
    "FileSize": 2,
}
# Modules whose text is for operators, not for people using the product (CLI output, logs, demo data).
PYTHON_EXCEPTIONS = {"memi/cli.py", "memi/catalogue.py"}
# The helpers that translate text marked elsewhere (N_), by design with a variable.
VARIABLE_GETTEXT_ALLOWED = {"memi/i18n.py", "memi/library_messages.py"}


def _name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_text(node):
    """A literal (or an f-string / concatenation / % of literals) that holds a real word."""

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(words(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_text(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _is_text(node.func.value)
    return False


def _is_sentence(node):
    """A literal that reads as a message to a person: a capital, a space, a full stop."""

    if isinstance(node, ast.JoinedStr):
        return any(_is_sentence(v) for v in node.values[:1]) and _is_text(node)
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"[A-Z][^\n]* [^\n]*[.!?]", node.value.strip()) is not None
    )


def _literal_lists(node):
    """String literals inside a dict/list/tuple display (field error lists: {"price": ["..."]})."""

    if isinstance(node, ast.Dict):
        for value in node.values:
            yield from _literal_lists(value)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            yield from _literal_lists(element)
    elif _is_text(node):
        yield node


def error_classes(trees):
    """DomainError and every class that inherits from it, by name, across the package."""

    names = set(ERROR_BASES)
    changed = True
    while changed:
        changed = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    if any(_name(base) in names for base in node.bases):
                        names.add(node.name)
                        changed = True
    return names


def python_problems(tree, errors, variable_gettext=False):
    problems = []

    def report(node, what):
        problems.append(f"line {node.lineno}: {what}: {ast.unparse(node)[:90]}")

    for node in tree.body:  # module constants: MESSAGE = "A sentence."
        if isinstance(node, ast.Assign) and _is_sentence(node.value):
            report(node, "message constant outside gettext (mark it with _l, or N_ and translate when shown)")
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets):
            if isinstance(node.value, ast.List) and any(_is_sentence(e) for e in node.value.elts):
                report(node, "field error outside gettext")
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and any(_name(t) in {"default_message", "message", "login_message"} for t in item.targets)
                    and _is_text(item.value)
                ):
                    report(item, "message outside gettext")
        if isinstance(node, ast.Assign) and any(_name(t) == "login_message" for t in node.targets):
            if _is_text(node.value):
                report(node, "message outside gettext")
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if name == "setdefault" and len(node.args) == 2 and isinstance(node.args[1], ast.List):
            if any(_is_sentence(e) for e in node.args[1].elts):
                report(node, "field error outside gettext")
        if name in GETTEXT_NAMES:
            for arg in node.args[:1]:
                if not variable_gettext and not isinstance(arg, ast.Constant | ast.JoinedStr | ast.BinOp | ast.Call):
                    report(
                        node,
                        "gettext of a variable: its text is never extracted (mark the literal where it is written)",
                    )
                if isinstance(arg, ast.JoinedStr | ast.BinOp) or (
                    isinstance(arg, ast.Call) and _name(arg.func) == "format"
                ):
                    report(node, "gettext of a built string (use %(name)s placeholders)")
            continue
        if (
            name == "format"
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Call)
            and _name(node.func.value.func) in GETTEXT_NAMES
        ):
            report(node, "str.format on a translation (use %(name)s placeholders)")
        if name in errors or name == "flash":
            message = node.args[0] if node.args else keywords.get("message")
            if message is not None and _is_text(message):
                report(node, "message outside gettext")
            if name == "flash":
                continue
            fields = node.args[1] if len(node.args) > 1 else keywords.get("fields")
            for literal in _literal_lists(fields) if fields is not None else ():
                report(literal, "field error outside gettext")
        elif name in VALIDATORS:
            message = keywords.get("message")
            position = VALIDATORS[name]
            if message is None and position is not None and len(node.args) > position:
                message = node.args[position]
            if message is not None and _is_text(message):
                report(node, "validator message outside gettext")
        elif name and name.endswith("Field") and name[0].isupper():
            label = node.args[0] if node.args else keywords.get("label")
            if label is not None and _is_text(label):
                report(node, "field label outside gettext")
            for key in ("description", "render_kw"):
                if key in keywords and key == "description" and _is_text(keywords[key]):
                    report(node, "field description outside gettext")
            choices = keywords.get("choices")
            if isinstance(choices, ast.List | ast.Tuple):
                for choice in choices.elts:
                    if isinstance(choice, ast.Tuple) and len(choice.elts) == 2 and _is_text(choice.elts[1]):
                        report(choice, "choice label outside gettext")
    return problems


def _python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(ROOT).as_posix() not in PYTHON_EXCEPTIONS)


def test_python_scanner_catches_plain_messages():
    source = """
class Gone(NotFound):
    default_message = "It is gone."
class Fine(NotFound):
    default_message = _l("It is gone.")
raise Invalid("Bad price.")
raise Invalid(_l("Bad price."), fields={"price": ["Too low."]})
raise Gone()
raise Gone(message=f"No {x} here.")
flash("Saved.", "success")
flash(_("Saved."), "success")
name = StringField("Name", validators=[DataRequired("Say it."), Length(max=5)])
ok = StringField(_l("Name"), validators=[DataRequired(message=_l("Say it."))])
kind = SelectField(_l("Kind"), choices=[("a", "Apple"), ("b", _l("Banana"))])
_("Hello %s" % name)
_("Hello {name}").format(name=name)
_(f"Hello {name}")
raise Invalid(_l("Price: %(p)s", p=1))
problems["name"] = ["Enter your name."]
problems.setdefault("city", ["Use at most 80 characters."])
MESSAGE = "The server is busy; try again."
label = _(LABELS[kind])
problems["name"] = [_l("Enter your name.")]
OK = _l("The server is busy; try again.")
class Invalid(DomainError): pass
class NotFound(DomainError): pass
"""
    tree = ast.parse(source)
    problems = python_problems(tree, error_classes([tree]))
    lines = sorted(int(p.split(":")[0].split()[1]) for p in problems)
    assert lines == [3, 6, 7, 9, 10, 12, 12, 14, 15, 16, 17, 19, 20, 21, 22], problems


def test_python_text_goes_through_gettext():
    trees = {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in _python_files()}
    errors = error_classes(trees.values())
    problems = []
    for path, tree in trees.items():
        name = path.relative_to(ROOT).as_posix()
        problems += [f"{name} {p}" for p in python_problems(tree, errors, name in VARIABLE_GETTEXT_ALLOWED)]
    assert problems == [], "text outside gettext:\n" + "\n".join(problems)


# ------------------------------------------------------------------------------------------ JavaScript

JS_STRING = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
JS_SINKS = [
    re.compile(
        r"\.(?:textContent|innerText|innerHTML|outerHTML|title|placeholder|alt|ariaLabel)\s*\+?=\s*(" + JS_STRING + ")"
    ),
    re.compile(
        r"setAttribute\(\s*[\"'](?:aria-label|aria-description|aria-valuetext|title|placeholder|alt|value)[\"']\s*,\s*("
        + JS_STRING
        + ")"
    ),
    re.compile(r"\b(?:alert|confirm|prompt|showToast)\(\s*(" + JS_STRING + ")"),
    re.compile(r"createTextNode\(\s*(" + JS_STRING + ")"),
]
# Scripts that are not ours (vendored libraries).
JS_EXCEPTIONS = {"htmx-2.0.11.min.js", "htmx-ext-ws-2.0.4.js", "swagger-init.js"}


def js_problems(source):
    problems = []
    for sink in JS_SINKS:
        for match in sink.finditer(source):
            if words(match.group(1)[1:-1]):
                problems.append(match.group(0))
    return problems


def test_js_scanner_catches_plain_text():
    assert js_problems('note.textContent = "Choose at most 8 photos.";') != []
    assert js_problems("el.setAttribute('aria-label', 'Close');") != []
    assert js_problems('alert("Oops");') != []
    assert js_problems('note.textContent = memi.t("photos_max");  el.textContent = "";') == []
    assert js_problems('img.alt = ""; el.textContent = String(value);') == []


@pytest.mark.parametrize("path", sorted(p.name for p in SCRIPTS.glob("*.js") if p.name not in JS_EXCEPTIONS))
def test_js_text_goes_through_the_catalogue(path):
    problems = js_problems((SCRIPTS / path).read_text(encoding="utf-8"))
    assert problems == [], f"static/js/{path}: text outside the i18n catalogue: {problems}"
