"""Forms of the planner: the weights and time limit, locks, accepting a proposal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from coordination.planner.services import MAX_TIME_LIMIT


class ProposeForm(FlaskForm):
    first_window_weight = IntegerField(
        _l("Prefer the dates the territory asked for first"),
        description=_l(
            "How many km of extra travel a stop is worth moving out of its first window "
            "(0: any window will do)."
        ),
        default=50,
        validators=[InputRequired(), NumberRange(min=0, max=5000)],
    )
    region_weight = IntegerField(
        _l("Keep the stops of one région close in time"),
        description=_l(
            "How many km of extra travel one day less between a région's first and last "
            "stop is worth (0: no matter)."
        ),
        default=5,
        validators=[InputRequired(), NumberRange(min=0, max=500)],
    )
    time_limit = IntegerField(
        _l("Search time (seconds)"),
        description=_l("Longer finds shorter routes; the page shows the best plan so far."),
        default=10,
        validators=[InputRequired(), NumberRange(min=1, max=MAX_TIME_LIMIT)],
    )


class LockForm(FlaskForm):
    reason = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=200)])


class AcceptForm(FlaskForm):
    """The stops ticked and their proposed days travel as plain fields (stop, day_<id>)."""


class RestartForm(FlaskForm):
    """Restart a computation whose worker stopped (CSRF only)."""
