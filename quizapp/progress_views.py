"""The student's own progress pages: their results, topic mastery and streak, and their results
as CSV (the data comes from the progress service)."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from .content import snapshot
from .models import utcnow
from .progress import finished_attempts, histories, results_rows, streak, topic_mastery

bp = Blueprint("progress", __name__, url_prefix="/progress")


@bp.get("/")
@login_required
def index() -> str:
    attempts = finished_attempts(current_user.id)
    essays = snapshot().essays
    return render_template(
        "progress/index.html",
        histories=histories(attempts),
        mastery=[(c, topic_mastery(current_user.id, c)) for c in essays.values()],
        streak=streak(current_user, attempts, utcnow()),
    )


@bp.get("/results.csv")
@login_required
def results_csv() -> Response:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(results_rows(finished_attempts(current_user.id)))
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="my-results.csv"'},
    )
