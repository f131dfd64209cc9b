"""Substring search on big tables that an index answers, on both databases.

PostgreSQL keeps trigram GIN indexes (``pg_trgm``) on the searched columns; SQLite keeps an
FTS5 table with the trigram tokenizer, filled by triggers. Both find a fragment anywhere in
a value (Thai names have no word spaces, so word indexes would not do). A term shorter than
three characters has no trigram and falls back to a scan.

pg_trgm cuts words at punctuation, so the trigrams of ``04999/12`` are those of ``04999`` and
of ``12``, each in hundreds of thousands of document numbers: the index would hand over every
letter of the office's series to be tested. Columns of codes (document and ticket numbers)
therefore have a second index on the value with its separators turned into letters, whose
trigrams span them ("9x1", "x12") and only the sought numbers have. FTS5's trigrams keep
punctuation already.

A column whose values repeat (a requester's name, over the tickets of years) may have a
*vocabulary* on PostgreSQL: a table of its distinct values with their own trigram index, kept
by a trigger. A word found in a few of those values is looked up through them and a b-tree on
the column (see ``SearchIndex.newest``), instead of testing row after row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Select,
    and_,
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union,
)
from sqlalchemy.orm import InstrumentedAttribute

MIN_INDEXED_TERM = 3  # a trigram index needs at least one trigram
# A word in more values of a vocabulary is looked for by walking the newest rows (SearchIndex.newest).
VOCABULARY_LOOKUP = 100
CODE_SEPARATORS = "/.-"
CODE_GLUE = "xyz"  # letters, which pg_trgm keeps inside a word; one per separator
GLUING = str.maketrans(CODE_SEPARATORS, CODE_GLUE)
NUMBER_CHARACTERS = frozenset("0123456789" + CODE_SEPARATORS)


def glued(value: ColumnElement[str]) -> ColumnElement[str]:
    """A code column with its separators turned into letters, as its ``_glued`` index has it.

    The arguments are literals, not parameters: PostgreSQL matches an expression index only to
    the very same expression.
    """
    return func.translate(value, literal_column(f"'{CODE_SEPARATORS}'"), literal_column(f"'{CODE_GLUE}'"))


def glued_index_name(table_name: str, column_name: str) -> str:
    return f"ix_trgm_{table_name}_{column_name}_glued"


def glued_index_sql(table_name: str, column_name: str) -> str:
    """The migration's statement for a code column's second trigram index (``{schema}`` is
    pg_trgm's schema, ``trigram_schema``)."""
    expression = f"translate({column_name}, '{CODE_SEPARATORS}', '{CODE_GLUE}')"
    return (
        f"CREATE INDEX {glued_index_name(table_name, column_name)} ON {table_name} "
        f"USING gin (({expression}) {{schema}}.gin_trgm_ops)"
    )


def trigram_schema(connection: Connection) -> str:
    """The schema pg_trgm is installed in, which a migration names its operator classes by."""
    return connection.exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    ).scalar_one()


@dataclass(frozen=True)
class SearchIndex:
    """The searched columns of one table and the names of the objects that index them."""

    table: str
    columns: tuple[str, ...]
    codes: tuple[str, ...] = ()  # those of ``columns`` that hold codes, with a ``_glued`` index
    # Those of ``columns`` written only in digits and separators (ticket numbers, 2570-00042): a
    # word with any other character cannot be in them, so they are not tested for it.
    numbers: tuple[str, ...] = ()
    # Those of ``columns`` with a vocabulary on PostgreSQL (``vocabulary_table``), whose
    # migration also indexes the table on (office_id, column, id).
    vocabularies: tuple[str, ...] = ()

    @property
    def fts_table(self) -> str:
        return f"{self.table}_search"

    def vocabulary_table(self, column_name: str) -> str:
        """The table of a column's distinct values (one column, ``value``)."""
        return f"{self.fts_table}_{column_name}"

    def owns(self, name: str) -> bool:
        """Whether a database object belongs to this index (migrations manage it by hand)."""
        return name.startswith(self.fts_table) or name.startswith(f"ix_trgm_{self.table}_")

    def conditions(
        self, id_column: InstrumentedAttribute, search: str, dialect: str
    ) -> list[ColumnElement[bool]]:
        """One condition per word of ``search``: the row's id is among the rows containing it.

        The matches are computed first (a materialized CTE): otherwise PostgreSQL prefers to
        walk the list's sort index and test every row, which is a scan in disguise.
        """
        conditions = []
        for number, term in enumerate(search.split()):
            matches = self.matching_ids(id_column, term, dialect).cte(f"search_{number}")
            matches = matches.prefix_with("MATERIALIZED", dialect="postgresql")
            conditions.append(id_column.in_(select(matches.c.id)))
        return conditions

    def narrowed(
        self, query: Select, id_column: InstrumentedAttribute, search: str, dialect: str
    ) -> tuple[Select, ColumnElement]:
        """``query`` kept to the rows holding every word of ``search``, and the column that reads
        them newest first (by descending id) with an early stop at the page's end.

        On PostgreSQL each word is a condition on the row itself: its trigram indexes answer it, or
        the planner walks back from the newest row when the word is common. On SQLite each word
        joins its FTS5 matches, read by the first word's: FTS5 hands them over newest first. A
        word too short for a trigram only narrows what the others find, on both.
        """
        newest_first = id_column
        for number, term in enumerate(search.split()):
            if dialect == "postgresql" or len(term) < MIN_INDEXED_TERM:
                query = query.where(self.contains(id_column, term, dialect))
                continue
            matches = self.matching_ids(id_column, term, dialect).subquery(f"search_{number}")
            query = query.join(matches, matches.c.id == id_column)
            newest_first = matches.c.id if newest_first is id_column else newest_first
        return query, newest_first

    def newest(
        self,
        query: Select,
        id_column: InstrumentedAttribute,
        search: str,
        connection: Connection,
        *,
        before: int | None,
        limit: int,
    ) -> Select:
        """The ids of ``query``'s rows holding every word of ``search``, newest first, older than
        ``before`` and at most ``limit`` of them.

        As ``narrowed``, except that on PostgreSQL the longest word, when it is in at most
        ``VOCABULARY_LOOKUP`` values of a column's vocabulary, is looked for in that column
        through those values, whose rows a b-tree lists. A surname in 1,054 of 200,000 tickets
        then takes 0.7 ms instead of a 4 ms walk back through 9,000 of them. A word in more
        values is common enough for the walk to meet the page soon. The vocabulary serves every
        office, so a busy installation reaches the limit sooner; the walk answers then.
        """
        dialect = connection.dialect.name
        words = search.split()
        word = max((w for w in words if len(w) >= MIN_INDEXED_TERM), key=len, default=None)
        values = self._vocabulary_values(connection, word) if dialect == "postgresql" and word else None
        if values is None:
            query, newest_first = self.narrowed(query, id_column, search, dialect)
            if before is not None:
                query = query.where(newest_first < before)
            return query.order_by(newest_first.desc()).limit(limit)
        words.remove(word)
        query = query.where(*(self.contains(id_column, other, dialect) for other in words))
        if before is not None:
            query = query.where(id_column < before)
        rest = tuple(name for name in self.searched_for(word) if name not in self.vocabularies)
        branches = [query.where(self.contains(id_column, word, dialect, rest))] if rest else []
        for name, found in values.items():
            if found:
                # All the rows of those values, read from their b-tree, then sorted: asked for the
                # newest first with a limit, the planner may walk back through the rows instead.
                named = query.where(getattr(id_column.class_, name).in_(found)).cte(f"named_{name}")
                branches.append(select(named.prefix_with("MATERIALIZED", dialect="postgresql").c.id))
        if not branches:
            return query.where(false()).limit(0)
        pages = [b.order_by(b.selected_columns[0].desc()).limit(limit).subquery() for b in branches]
        matches = union(*(select(page.c[0].label("id")) for page in pages)).subquery("matches")
        return select(matches.c.id).order_by(matches.c.id.desc()).limit(limit)

    def _vocabulary_values(self, connection: Connection, word: str) -> dict[str, list[str]] | None:
        """The values of each vocabulary holding ``word``; None when a column has too many."""
        if not self.vocabularies:
            return None
        found = {}
        for name in self.vocabularies:
            vocabulary = table(self.vocabulary_table(name), column("value"))
            holding = holds(vocabulary.c.value, word, "postgresql")
            query = select(vocabulary.c.value).where(holding).limit(VOCABULARY_LOOKUP + 1)
            found[name] = list(connection.scalars(query))
            if len(found[name]) > VOCABULARY_LOOKUP:
                return None
        return found

    def matching_ids(self, id_column: InstrumentedAttribute, term: str, dialect: str) -> Select:
        """A select of the ids (column ``id``) whose searched columns contain ``term``."""
        if dialect == "sqlite" and len(term) >= MIN_INDEXED_TERM:
            fts = table(self.fts_table, column("rowid"))
            phrase = '"' + term.replace('"', '""') + '"'
            # An anonymous parameter: each word of a search is a MATCH of its own in one statement.
            match = literal_column(self.fts_table).op("MATCH", is_comparison=True)(phrase)
            return select(fts.c.rowid.label("id")).where(match)
        return select(id_column.label("id")).where(self.contains(id_column, term, dialect))

    def contains(
        self,
        id_column: InstrumentedAttribute,
        term: str,
        dialect: str,
        columns: tuple[str, ...] | None = None,
    ) -> ColumnElement[bool]:
        """The row holds ``term`` in one of the columns (``columns``, or those that may hold it),
        whatever its case: a test of each row, for narrowing rows found otherwise (on its own it
        reads the whole table)."""
        model = id_column.class_
        names = self.searched_for(term) if columns is None else columns
        return or_(
            false(), *(holds(getattr(model, name), term, dialect, name in self.codes) for name in names)
        )

    def searched_for(self, term: str) -> tuple[str, ...]:
        """The columns that may hold ``term``: all but the digits-only ones, unless it could be a
        number (a walk back through the newest rows then tests fewer columns per row)."""
        if not self.numbers or set(term) <= NUMBER_CHARACTERS:
            return self.columns
        return tuple(name for name in self.columns if name not in self.numbers)


USER_SEARCH = SearchIndex("core_users", ("name", "email"))


def holds(value: ColumnElement[str], term: str, dialect: str, code: bool = False) -> ColumnElement[bool]:
    """``value`` holds ``term``, whatever its case; ``code`` for a column of codes with a glued index."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    word, pattern = written(term), written(f"%{escaped}%")
    # Thai and digits have no case: folding it costs PostgreSQL four times the comparison.
    caseless = term.lower() == term.upper()
    like = value.like if caseless else value.ilike
    if (
        code
        and dialect == "postgresql"
        and len(term) >= MIN_INDEXED_TERM
        and any(separator in term for separator in CODE_SEPARATORS)
    ):
        glued_like = glued(value).like if caseless else glued(value).ilike
        # The glued index finds the rows; the exact test drops a letter that stood for a
        # separator ("04999x12" is not "04999/12"). It is strpos, which no index answers:
        # given a LIKE, the planner would read the plain index as well.
        exact = (
            func.strpos(value, word) if caseless else func.strpos(func.lower(value), written(term.lower()))
        )
        return and_(glued_like(written(f"%{escaped.translate(GLUING)}%"), escape="\\"), exact > 0)
    condition = like(pattern, escape="\\")
    if dialect == "postgresql" and caseless:
        # Every Thai letter starts with the same UTF-8 byte, where LIKE's matcher stops to try
        # the pattern; strpos searches a surname's 9,000-ticket walk in 3.4 ms, not 8.2. It
        # comes first, so that a walk through the newest rows tests it alone; the LIKE is the
        # condition the trigram index answers.
        return and_(func.strpos(value, word) > 0, condition)
    return condition


def written(value: str) -> BindParameter[str]:
    """A searched value written into the statement, quoted by SQLAlchemy, not sent beside it.

    PostgreSQL may plan a statement it has prepared once for all values, the sixth time a
    connection runs it, when that generic plan looks no dearer than the plans made for each
    value. For a search the values are the whole question: the generic plan, made without the
    words, answered "ศธ 04999/12" by reading every letter of the office (2.5 s, where the plan
    for those words takes 30 ms), and a word's plan does not suit a rarer one. With its values
    in its text each search is a statement of its own, planned for its words. SQLite makes no
    generic plans; the same statements serve both.
    """
    return literal(value, literal_execute=True)


def is_search_object(name: str) -> bool:
    """Whether migrations manage a database object by hand: by convention a search index of any
    lineage is named ``<table>_search…`` (SQLite) or ``ix_trgm_<table>_…`` (PostgreSQL)."""
    return name.startswith("ix_trgm_") or "_search" in name
