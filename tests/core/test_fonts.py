"""The Thai web font is served by Khet itself, and no page or stylesheet loads anything from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.app import create_app
from core.jobs import shutdown
from tests.conftest import SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "core" / "static"
FONTS = STATIC / "core" / "fonts"
STYLESHEETS = ["core/khet.css", "core/admin.css"]
FONT_URL = re.compile(r"""url\(["']?([^"')]+\.woff2)["']?\)""")
EXTERNAL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}""", re.IGNORECASE)
XMLNS = re.compile(r"""xmlns(?::\w+)?=["'][^"']*["']""")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "KHET_DATABASE_URL": f"sqlite:///{instance / 'khet.db'}",
            "KHET_INSTANCE_PATH": str(instance),
            "KHET_SECRET_KEY": SECRET_KEY,
        },
        config={"TESTING": True},
    )
    yield app.test_client()
    shutdown(app)  # the requests started the job thread; its periodic jobs need tables this app has not


def test_the_font_faces_use_the_fonts_served_next_to_them(client):
    css = (STATIC / "core" / "fonts.css").read_text()
    urls = FONT_URL.findall(css)
    assert {Path(url).name for url in urls} == {path.name for path in FONTS.glob("*.woff2")}
    for url in urls:
        response = client.get(f"/static/core/{url}")
        assert response.status_code == 200, url
        assert response.mimetype == "font/woff2"
        assert response.get_data()[:4] == b"wOF2"
        response.close()


@pytest.mark.parametrize("stylesheet", STYLESHEETS)
def test_both_sites_load_the_font_first(stylesheet):
    css = (STATIC / stylesheet).read_text()
    assert re.search(r"""font-family:\s*"Sarabun",""", css), "Sarabun comes first"
    template = {"core/khet.css": "core/base.html", "core/admin.css": "admin/khet_base.html"}[stylesheet]
    assert "core/fonts.css" in (ROOT / "core" / "templates" / template).read_text()


def test_regular_and_bold_thai_and_latin_only_and_small():
    names = sorted(path.name for path in FONTS.glob("*.woff2"))
    assert names == [
        f"sarabun-{script}-{weight}-normal.woff2" for script in ("latin", "thai") for weight in (400, 700)
    ]
    assert sum(path.stat().st_size for path in FONTS.iterdir()) < 300_000


def test_the_licence_is_next_to_the_fonts():
    licence = (FONTS / "OFL.txt").read_text()
    assert "SIL Open Font License" in licence and "Sarabun" in licence


def _pages_and_styles() -> list[Path]:
    folders = [ROOT / "core", *sorted((ROOT / "plugins").iterdir())]
    found = []
    for folder in folders:
        found += sorted(folder.glob("static/**/*.css")) + sorted(folder.glob("templates/**/*.html"))
    return found


def test_no_page_or_stylesheet_loads_anything_from_elsewhere():
    """Offices may be offline: fonts, scripts and styles all come from Khet itself."""
    files = _pages_and_styles()
    assert any(path.name == "base.html" for path in files) and any(path.name == "khet.css" for path in files)
    offenders = {}
    for path in files:
        text = XMLNS.sub("", path.read_text())
        if found := EXTERNAL.findall(text):
            offenders[str(path.relative_to(ROOT))] = found
    assert not offenders
