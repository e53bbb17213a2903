"""The English catalogue covers every text of the pages, and the compiled .mo a fresh clone uses matches it."""
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "api" / "translations" / "en" / "LC_MESSAGES"
METHODS = [("api/**.py", "python"), ("rewards/kinds.py", "python"), ("api/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "N_": None}


def english():
    with (CATALOGUE / "messages.po").open("rb") as file:
        return read_po(file, locale="en")


def test_every_text_of_the_pages_has_an_english_translation():
    texts = {message for _, _, message, _, _ in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS)}
    translated = {message.id: message.string for message in english() if message.id}
    missing = sorted(text for text in texts if not translated.get(text))
    assert texts and missing == []


def test_the_committed_mo_is_compiled_from_the_po():
    compiled = BytesIO()
    write_mo(compiled, english())
    with (CATALOGUE / "messages.mo").open("rb") as file:
        committed = {message.id: message.string for message in read_mo(file) if message.id}
    fresh = {message.id: message.string for message in read_mo(BytesIO(compiled.getvalue())) if message.id}
    assert committed == fresh

