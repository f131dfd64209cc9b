"""Alembic environment shared by core and every plugin lineage.

Each lineage (core, or one plugin) has its own versions folder and version table and sees
only the tables carrying its prefix, so enabling or disabling a plugin never touches
another lineage's history. ``core.migrate`` passes the lineage and connection in.
"""

from alembic import context

from core.db import db
from core.i18n import collation
from core.search import is_search_object

config = context.config
lineage = config.attributes["lineage"]


def include_object(obj, name, type_, reflected, compare_to):
    if is_search_object(name or "") or collation.owns(name or ""):
        return False  # search and Thai-order indexes are written by hand in migrations
    table_name = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
    return bool(table_name) and table_name.startswith(lineage.table_prefix)


context.configure(
    connection=config.attributes["connection"],
    target_metadata=db.metadata,
    version_table=lineage.version_table,
    include_object=include_object,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
