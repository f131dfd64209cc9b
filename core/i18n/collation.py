"""Names in Thai dictionary order, the same on SQLite and PostgreSQL.

Thai dictionary order (the Royal Institute's, which ICU's ``th`` collation follows) is not
the order of code points:

* a leading vowel (เ แ โ ใ ไ) does not count first: เกา sorts by ก, then by the vowel, so
  กา < กำ < เก < แก < ไก;
* tone marks and other marks above (่ ้ ๊ ๋ ็ ์) only break ties: กา < ก่า < ก้า < กาง;
* ำ counts as า followed by ํ, ๅ as า; ฤ and ฦ sit after ร and ล;
* spaces, punctuation, ฯ and ๆ are ignored (นาง สมศรี and นางสมศรี tie, then the space
  decides); Thai digits tie with Arabic ones; Thai letters come before Latin ones, digits
  before both, and letter case only breaks ties.

PostgreSQL gets the order from ICU (the collation ``th-TH-x-icu``, present when the server
is built with ICU, as Debian's and the official images are). SQLite knows no Thai, so a
collation named ``thai`` is registered on every SQLite connection; it compares the keys of
``thai_sort_key``, a pure-Python copy of ICU's rules (CLDR ``th``: alternate shifted,
Thai reordered first, tertiary strength) for the characters that names, school names and
office names use. Strings equal to ICU at every level are ordered by their code points, as
PostgreSQL orders them. ``thai_order(column)`` picks the right collation for the dialect.

Sorting by a collation cannot use an ordinary index: the long lists keep indexes built with
it (``ix_thai_*``, written by hand in migrations and hidden from ``khet db check``). They
depend on this module on SQLite (and on ICU's version on PostgreSQL): whoever changes the
order of ``thai_sort_key`` adds a migration that runs ``REINDEX thai`` on SQLite.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

SQLITE_COLLATION = "thai"
POSTGRESQL_COLLATION = "th-TH-x-icu"
INDEX_PREFIX = "ix_thai_"  # indexes built with the Thai collation (written by hand in migrations)

# --- the collation elements -------------------------------------------------------------
# A character maps to three strings of weights, one per level: primary (letters), secondary
# (marks), tertiary (case and variants). A key joins the levels with _SEPARATOR, which is
# below every weight, so that a shorter string sorts first at each level.

_SEPARATOR = "\x01"
_SEC_COMMON = chr(0x20)
_TER_COMMON = chr(0x20)
_TER_VARIANT = chr(0x21)  # ๅ beside า; ํา beside าํ
_TER_VARIANT_2 = chr(0x22)  # ำ beside ํา
_TER_UPPER = chr(0x28)
_TER_COMPAT = chr(0x30)  # full-width forms, ligatures and other compatibility variants

# Primary weights in ICU's order of groups: symbols, currencies, digits, Thai, Latin, the rest.
_SYMBOLS = "`^°©®→+±÷×<=>|~"  # non-variable symbols, as ICU orders them
_CURRENCIES = "¢$£¥฿€"
_THAI_CONSONANTS = "กขฃคฅฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรฤลฦวศษสหฬอฮ"
_THAI_PRIMARY = _THAI_CONSONANTS + "ํะัาิีึืุูเแโใไฺ"  # ํ before ะ and ฺ last: CLDR's th tailoring
_THAI_PREVOWELS = "เแโใไ"
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_SYMBOL_BASE, _OTHER_SYMBOL, _CURRENCY_BASE, _OTHER_CURRENCY = 0x100, 0x200, 0x300, 0x380
_DIGIT_BASE, _THAI_BASE, _LATIN_BASE, _OTHER_LETTER = 0x400, 0x500, 0x600, 0x700
# Characters the table does not list weigh two code units: their group's lead, then the code point.
_TRAIL_OFFSET = 0x100

# Secondary weights: Latin diacritics, then Thai marks above the letter, in ICU's order.
_THAI_SECONDARY = "\u0e4e\u0e4c\u0e47\u0e48\u0e49\u0e4a\u0e4b"  # ๎ ์ ็ ่ ้ ๊ ๋
_LATIN_SECONDARY = (
    "\u0332\u0313\u0314\u0301\u0300\u0306\u0302\u030c\u030a\u0342\u0308\u0344\u030b\u0303\u0307"
    "\u0338\u0327\u0328\u0304"
)
_SEC_LATIN_BASE, _SEC_THAI_BASE, _SEC_OTHER = 0x40, 0x70, 0x1000
# Letters ICU sorts as Latin letters with a secondary difference like a stroke (ø as o, æ as ae).
_LATIN_SPECIALS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h"}
_SPECIAL_RANK = {"ð": 1}  # ICU: d < đ < ð < dh
_SEC_STROKE = _SEC_LATIN_BASE + 2 * _LATIN_SECONDARY.index("\u0338")

# Ignored like spaces and punctuation (ICU's "alternate shifted" with tertiary strength).
_IGNORED_CATEGORIES = ("P", "Z", "Cc", "Cf")
_THAI_IGNORED = "ฯๆ"

_Element = tuple[str, str, str, bool]  # primary, secondary, tertiary, ignored (variable)
_IGNORED: _Element = ("", "", "", True)


def _two_unit(lead: int, code_point: int) -> str:
    return chr(lead) + chr(min(code_point + _TRAIL_OFFSET, 0x10FFFF))


def _letter(primary: str, upper: bool = False) -> _Element:
    return (primary, _SEC_COMMON * len(primary), (_TER_UPPER if upper else _TER_COMMON) * len(primary), False)


def _mark(secondary: int) -> _Element:
    return ("", chr(secondary), _TER_COMMON, False)


def _build_table() -> dict[str, _Element]:
    table: dict[str, _Element] = {}
    for number, char in enumerate(_SYMBOLS):
        table[char] = _letter(chr(_SYMBOL_BASE + number))
    for number, char in enumerate(_CURRENCIES):
        table[char] = _letter(chr(_CURRENCY_BASE + number))
    for digit in range(10):
        table[str(digit)] = _letter(chr(_DIGIT_BASE + digit))
    for number, char in enumerate(_THAI_PRIMARY):
        table[char] = _letter(chr(_THAI_BASE + number))
    for number, char in enumerate(_LATIN):
        table[char] = _letter(chr(_LATIN_BASE + number))
        table[char.upper()] = _letter(chr(_LATIN_BASE + number), upper=True)
    for number, char in enumerate(_THAI_SECONDARY):
        table[char] = _mark(_SEC_THAI_BASE + number)
    for number, char in enumerate(_LATIN_SECONDARY):
        table[char] = _mark(_SEC_LATIN_BASE + 2 * number)  # room for the letters with a stroke
    for char in _THAI_IGNORED:
        table[char] = _IGNORED

    sara_aa, nikhahit = table["า"], table["ํ"]
    table["ๅ"] = (sara_aa[0], sara_aa[1], _TER_VARIANT, False)  # ๅ is a variant of า
    # ำ is า followed by ํ; the old spelling ํา sits between าํ and ำ (CLDR th: &าํ<<<ํา<<<ำ).
    table["ํา"] = (sara_aa[0] + nikhahit[0], _SEC_COMMON * 2, _TER_COMMON + _TER_VARIANT, False)
    table["ำ"] = (sara_aa[0] + nikhahit[0], _SEC_COMMON * 2, _TER_COMMON + _TER_VARIANT_2, False)
    table["ํๅ"] = (sara_aa[0] + nikhahit[0], _SEC_COMMON * 2, _TER_VARIANT * 2, False)
    # A leading vowel followed by a consonant counts after it: เก weighs as ก, then เ.
    for vowel in _THAI_PREVOWELS:
        for consonant in _THAI_CONSONANTS:
            first, second = table[consonant], table[vowel]
            table[vowel + consonant] = (
                first[0] + second[0],
                first[1] + second[1],
                first[2] + second[2],
                False,
            )

    for char, letters in _LATIN_SPECIALS.items():
        primary = "".join(table[letter][0] for letter in letters)
        mark = chr(_SEC_STROKE + _SPECIAL_RANK.get(char, 0))
        table[char] = (primary, _SEC_COMMON * len(primary) + mark, _TER_COMMON * (len(primary) + 1), False)
        if len(char.upper()) == 1:  # ß has no one-letter capital
            tertiary = _TER_UPPER * len(primary) + _TER_COMMON
            table[char.upper()] = (primary, _SEC_COMMON * len(primary) + mark, tertiary, False)
    return table


_TABLE = _build_table()
_CONTRACTION_STARTS = frozenset(_THAI_PREVOWELS + "ํ")


@lru_cache(maxsize=4096)
def _element(char: str) -> _Element:
    """The weights of a character that the table does not list, close to what ICU gives it."""
    category = unicodedata.category(char)
    if category.startswith(_IGNORED_CATEGORIES):
        return _IGNORED
    if category == "Nd":
        digit = _TABLE[str(unicodedata.decimal(char))]
        return (digit[0], digit[1], _TER_COMPAT if ord(char) >= 0xFF00 else _TER_COMMON, False)
    compatible = unicodedata.normalize("NFKD", char)
    if compatible != char:  # ligatures, full-width letters, ™, №...
        primary, secondary, tertiary = _levels(compatible)
        if not primary and not secondary:
            return _IGNORED
        return (primary, secondary, _TER_COMPAT * len(tertiary), False)
    if category in ("Mn", "Me"):
        return _mark(_SEC_OTHER + ord(char))
    if category == "Sc":
        return _letter(_two_unit(_OTHER_CURRENCY, ord(char)))
    if category.startswith("S"):
        return _letter(_two_unit(_OTHER_SYMBOL, ord(char)))
    return _letter(_two_unit(_OTHER_LETTER, ord(char)), upper=char != char.lower())


def _levels(text: str) -> tuple[str, str, str]:
    """The primary, secondary and tertiary weights of ``text`` (after canonical decomposition)."""
    text = unicodedata.normalize("NFD", text)
    primary, secondary, tertiary = [], [], []
    table, starts = _TABLE, _CONTRACTION_STARTS
    after_ignored = False
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        element = None
        if char in starts and position + 1 < length:
            element = table.get(text[position : position + 2])
            if element is not None:
                position += 1
        if element is None:
            element = table.get(char) or _element(char)
        position += 1
        weight, mark, case, ignored = element
        if ignored or (after_ignored and not weight):
            after_ignored = True  # a mark on an ignored character is ignored with it
            continue
        after_ignored = False
        primary.append(weight)
        secondary.append(mark)
        tertiary.append(case)
    return "".join(primary), "".join(secondary), "".join(tertiary)


@lru_cache(maxsize=16384)
def thai_sort_key(text: str) -> str:
    """A string whose code-point order is the Thai dictionary order of ``text``.

    ``sorted(names, key=thai_sort_key)`` gives the order of PostgreSQL's ``th-TH-x-icu``
    collation. Compare keys only: they are not meant to be shown or stored.
    """
    primary, secondary, tertiary = _levels(text)
    return _SEPARATOR.join((primary, secondary, tertiary, text))


def thai_compare(left: str, right: str) -> int:
    """-1, 0 or 1 as ``left`` sorts before, with or after ``right`` (the SQLite collation)."""
    if left == right:
        return 0
    left_key, right_key = thai_sort_key(left), thai_sort_key(right)
    return -1 if left_key < right_key else 1


# --- the databases ------------------------------------------------------------------------


@event.listens_for(Engine, "connect")
def _sqlite_thai_collation(dbapi_connection, connection_record) -> None:
    """SQLite compares with the ``thai`` collation on every connection (its indexes need it)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_collation(SQLITE_COLLATION, thai_compare)


def register_sqlite_collation() -> None:
    """Make sure new SQLite connections get the ``thai`` collation (importing this module does)."""
    if not event.contains(Engine, "connect", _sqlite_thai_collation):
        event.listen(Engine, "connect", _sqlite_thai_collation)


class ThaiCollated(ColumnElement[Any]):
    """A string expression compared in Thai dictionary order on each database."""

    inherit_cache = True
    _traverse_internals = [("element", InternalTraversal.dp_clauseelement)]

    def __init__(self, element: ColumnElement[Any]) -> None:
        self.element = element
        self.type = element.type


@compiles(ThaiCollated)
def _compile_plain(element: ThaiCollated, compiler, **kw) -> str:
    return compiler.process(element.element, **kw)  # other databases: their own order


@compiles(ThaiCollated, "postgresql")
def _compile_postgresql(element: ThaiCollated, compiler, **kw) -> str:
    return f'{compiler.process(element.element, **kw)} COLLATE "{POSTGRESQL_COLLATION}"'


@compiles(ThaiCollated, "sqlite")
def _compile_sqlite(element: ThaiCollated, compiler, **kw) -> str:
    return f"{compiler.process(element.element, **kw)} COLLATE {SQLITE_COLLATION}"


def thai_order(column: Any) -> ThaiCollated:
    """``column`` in Thai dictionary order, for ``order_by`` (and ``desc()``) on either database."""
    return ThaiCollated(column.expression if hasattr(column, "expression") else column)


def owns(name: str) -> bool:
    """Whether a database object is an index on the Thai collation (migrations manage it by hand)."""
    return name.startswith(INDEX_PREFIX)
