"""Form validators shared by every domain."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

FIRST_YEAR, LAST_YEAR = 2000, 2100


class WithinPlatformYears:
    """A date (or date-time) between 2000 and 2100: outside, time zones, feeds and
    planning views stop making sense, and Python's dates run out at year 9999."""

    def __call__(self, form, field) -> None:
        value = field.data
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _l("Give a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
            )
