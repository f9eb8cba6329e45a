"""Home page, language switch, credits."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from coordination.auth.forms import ConfirmLinkForm
from coordination.auth.models import Role
from coordination.auth.services import safe_next_path
from coordination.campaigns.queries import open_calls
from coordination.core.clock import utcnow
from coordination.core.permissions import role_required
from coordination.extensions import db
from coordination.main import search
from coordination.main.tasks import tasks_for
from coordination.stops.queries import coming_stops

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    now = utcnow()
    return render_template("main/home.html", calls=open_calls(now), stops=coming_stops(now))


@bp.route("/mes-taches")
@login_required
def my_tasks():
    tasks = tasks_for(current_user, utcnow())
    db.session.commit()  # feed addresses are made on first visit
    return render_template("main/tasks.html", tasks=tasks)


@bp.route("/langue", methods=["POST"])
def switch_language():
    form = ConfirmLinkForm()
    locale = request.form.get("locale")
    if form.validate_on_submit() and locale in ("fr", "en"):
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next_path(request.form.get("next")) or url_for("main.home"))


@bp.route("/healthz")
def health():
    # For load balancers and the benchmarks: answers without touching the database.
    return {"status": "ok"}


@bp.route("/credits")
def credits():
    return render_template("main/credits.html")


@bp.route("/equipe/recherche")
@role_required(Role.STAFF)
def staff_search():
    text = search.clean(request.args.get("q"))
    results = search.search(text)
    # The live search asks for the results alone (static/js/search.js).
    template = "main/_search_results.html" if request.args.get("fragment") else "main/search.html"
    return render_template(template, text=text, results=results, min_length=search.MIN_LENGTH)
