"""``khet i18n``: the Thai and English catalogs."""

from __future__ import annotations

import click


@click.group()
def i18n() -> None:
    """Translation catalogs (Thai and English) in translations/."""


@i18n.command("extract")
def i18n_extract() -> None:
    """Collect every translatable string from Python and Jinja into translations/messages.pot."""
    from core.translations import extract

    extract()


@i18n.command("update")
def i18n_update() -> None:
    """Merge the template into the Thai and English catalogs."""
    from core.translations import update

    update()


@i18n.command("compile")
def i18n_compile() -> None:
    """Compile the catalogs into .mo files used at run time."""
    from core.translations import compile_catalogs

    for mo in compile_catalogs():
        click.echo(f"compiled {mo}")
