"""The essays: the home page listing them, and the reader with paragraph anchors."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from .content import snapshot, store

bp = Blueprint("essays", __name__)


@bp.get("/essays")
def index() -> str:
    snap = snapshot()
    return render_template(
        "essays/index.html",
        essays=list(snap.essays.values()),
        errors=store().errors,
    )


@bp.get("/essays/<slug>")
def read(slug: str) -> str:
    content = snapshot().essays.get(slug) or abort(404)
    return render_template("essays/read.html", content=content)
