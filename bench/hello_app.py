"""The ceiling: a bare Flask app that answers "hello", served exactly like Khet."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
