"""Forms of the planner: the weights and time limit, locks, accepting a proposal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from coordination.planner.services import MAX_TIME_LIMIT


class ProposeForm(FlaskForm):
    first_window_weight = IntegerField(
        _l("Preference for the territory's first window (km per stop outside it)"),
        default=50,
        validators=[InputRequired(), NumberRange(min=0, max=5000)],
    )
    region_weight = IntegerField(
        _l("Keep each région's stops close in time (km per day between its first and last stop)"),
        default=5,
        validators=[InputRequired(), NumberRange(min=0, max=500)],
    )
    time_limit = IntegerField(
        _l("Time limit (seconds)"),
        default=10,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_TIME_LIMIT)],
    )


class LockForm(FlaskForm):
    reason = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=200)])


class AcceptForm(FlaskForm):
    """The stops ticked and their proposed days travel as plain fields (stop, day_<id>)."""


class RestartForm(FlaskForm):
    """Restart a computation whose worker stopped (CSRF only)."""
