"""Demo accounts story: the accounts page filled through the services, with its audit log."""

from datetime import datetime, timedelta

from coordination.auth import accounts, privacy
from coordination.auth.models import AccountAction, Role
from coordination.auth.services import find_user_by_email

STAFF_EMAIL = "equipe@demo.innovent-e.fr"


def load_demo(now: datetime) -> None:
    """Log the demo accounts' creation, invite a reviewer, deactivate one, one erasure request."""
    staff = find_user_by_email(STAFF_EMAIL)
    for email in (
        STAFF_EMAIL,
        "relecteur@demo.innovent-e.fr",
        "territoire@demo.innovent-e.fr",
        "partenaire@demo.innovent-e.fr",
    ):
        user = find_user_by_email(email)
        accounts.record(
            AccountAction.CREATED,
            user,
            now - timedelta(days=30),
            via=accounts.VIA_CLI,
            after=user.roles,
        )
        user.last_sign_in_at = now - timedelta(days=2, hours=len(email) % 7)
    accounts.invite(
        "lea.moreau@univ-orleans.example",
        "Léa Moreau (Université d'Orléans)",
        [Role.REVIEWER],
        now - timedelta(days=6),
        actor=staff,
    )
    former, _created = accounts.add_account(
        "ancien.stagiaire@demo.innovent-e.fr",
        "Hugo Bernard (ancien stagiaire)",
        [Role.STAFF],
        now - timedelta(days=20),
        actor=staff,
    )
    former.last_sign_in_at = now - timedelta(days=15)
    accounts.change_roles(former, [Role.REVIEWER], now - timedelta(days=10), actor=staff)
    accounts.deactivate(former, now - timedelta(days=9), actor=staff)
    leaving, _created = accounts.add_account(
        "julie.roux@entreprise.example",
        "Julie Roux",
        [Role.PARTNER_CONTACT],
        now - timedelta(days=12),
        actor=staff,
    )
    privacy.request_erasure(leaving, now - timedelta(days=1))
