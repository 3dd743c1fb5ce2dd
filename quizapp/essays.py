"""The essays: the home page listing them, and the reader with paragraph anchors."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from . import courses
from .content import snapshot, store

bp = Blueprint("essays", __name__)


@bp.get("/essays")
def index() -> str:
    snap = snapshot()
    essays = list(snap.essays.values())
    if current_user.is_authenticated:  # a student's courses' essays; visitors see the list
        mine = courses.visible(current_user, snap.essays)
        essays = [e for e in essays if e.slug in mine]
    return render_template(
        "essays/index.html",
        essays=essays,
        errors=store().errors,
    )


@bp.get("/essays/<slug>")
def read(slug: str) -> str:
    content = snapshot().essays.get(slug) or abort(404)
    return render_template("essays/read.html", content=content)
