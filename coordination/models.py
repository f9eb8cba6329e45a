"""Every domain's models, imported in one place for Alembic and create_all()."""

from coordination.auth.models import LoginToken, User, UserRole  # noqa: F401
from coordination.calendar import models as calendar_models  # noqa: F401
from coordination.campaigns import models as campaigns_models  # noqa: F401
from coordination.campaigns.models import Call, Edition  # noqa: F401
from coordination.clubs import models as clubs_models  # noqa: F401
from coordination.forums import models as forums_models  # noqa: F401
from coordination.notifications import models as notifications_models  # noqa: F401
from coordination.notifications.models import DigestRun, OutboxMessage  # noqa: F401
from coordination.participants import models as participants_models  # noqa: F401
from coordination.planner import models as planner_models  # noqa: F401
from coordination.programmes import models as programmes_models  # noqa: F401
from coordination.stops import models as stops_models  # noqa: F401
from coordination.territories.models import (  # noqa: F401
    Commune,
    Departement,
    Epci,
    Region,
    Territory,
)
