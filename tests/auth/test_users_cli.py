"""`flask users …`: the first account of an empty install, and accounts by command."""

from sqlalchemy import select

from coordination.auth.models import AccountEvent, LoginToken, User
from coordination.notifications.models import OutboxMessage


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=["users", *args])


def test_users_create_prints_a_link_that_signs_in(app, client, db_session):
    result = _invoke(
        app, "create", "Camille@Example.org", "--name", "Camille Martin", "--role", "staff"
    )
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert url.startswith("http://localhost/connexion/lien/")
    assert "password" not in result.output.lower().replace("one-time", "")
    user = db_session.scalar(select(User).where(User.email == "camille@example.org"))
    assert (user.name, user.roles, user.password_hash) == ("Camille Martin", {"staff"}, None)
    # The link is not emailed: the operator has it on screen.
    assert db_session.scalar(select(OutboxMessage)) is None

    path = url.removeprefix("http://localhost")
    assert client.get(path).status_code == 200
    signed_in = client.post(path)
    assert signed_in.status_code == 302
    assert client.get("/equipe/comptes").status_code == 200
    db_session.expire_all()
    assert user.last_sign_in_at is not None
    # Single use.
    client.post("/deconnexion")
    assert client.post(path).status_code == 410


def test_users_create_adds_roles_to_an_existing_account(app, make_user, db_session):
    user = make_user("rev@example.org", roles=("reviewer",), name="Rev")
    db_session.commit()
    result = _invoke(
        app, "create", "rev@example.org", "--role", "staff", "--role", "partner_contact"
    )
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[0]
        == "updated: rev@example.org (partner_contact, reviewer, staff)"
    )
    db_session.expire_all()
    assert user.roles == {"reviewer", "staff", "partner_contact"}
    event = db_session.scalar(select(AccountEvent).where(AccountEvent.target_id == user.id))
    assert (event.action, event.via, event.actor_id) == ("roles_changed", "cli", None)
    assert (event.roles_before, event.roles_after) == (
        ["reviewer"],
        ["partner_contact", "reviewer", "staff"],
    )
    assert db_session.scalar(select(LoginToken).where(LoginToken.user_id == user.id)) is not None


def test_users_create_refuses_a_bad_email_and_an_unknown_role(app, db_session):
    bad_email = _invoke(app, "create", "not-an-address", "--role", "staff")
    assert bad_email.exit_code == 1
    assert "Error: This is not a valid email address." in bad_email.output
    bad_role = _invoke(app, "create", "a@example.org", "--role", "admin")
    assert bad_role.exit_code == 1
    assert (
        "Unknown role admin (known roles: staff, reviewer, territory_contact, partner_contact)."
        in bad_role.output
    )
    assert db_session.scalar(select(User)) is None


def test_users_list_deactivate_and_reactivate(app, make_user, db_session):
    make_user("b@example.org", roles=("staff",), name="Bea")
    make_user("a@example.org", roles=("reviewer", "partner_contact"), password=None)
    db_session.commit()
    listed = _invoke(app, "list")
    assert listed.output.splitlines() == [
        "a@example.org\t-\tpartner_contact,reviewer\tactive\tnever",
        "b@example.org\tBea\tstaff\tactive\tnever",
    ]
    assert (
        _invoke(app, "deactivate", "A@example.org").output.strip() == "deactivated: a@example.org"
    )
    assert (
        "a@example.org\t-\tpartner_contact,reviewer\tinactive\tnever" in _invoke(app, "list").output
    )
    assert (
        _invoke(app, "reactivate", "a@example.org").output.strip() == "reactivated: a@example.org"
    )
    unknown = _invoke(app, "deactivate", "ghost@example.org")
    assert (unknown.exit_code, unknown.output.strip()) == (
        1,
        "Error: No account for ghost@example.org.",
    )
    last_staff = _invoke(app, "deactivate", "b@example.org")
    assert last_staff.exit_code == 1
    assert "last active staff account" in last_staff.output
    actions = db_session.scalars(select(AccountEvent.action).order_by(AccountEvent.id)).all()
    assert actions == ["deactivated", "reactivated"]


def test_users_list_writes_the_last_sign_in_through_babel(app, make_user, db_session):
    from datetime import UTC, datetime

    user = make_user("c@example.org", roles=("staff",), name="Cam")
    user.last_sign_in_at = datetime(2026, 12, 2, 13, 30, tzinfo=UTC)  # 14:30 in Paris
    db_session.commit()
    french = _invoke(app, "list").output.splitlines()
    assert french == ["c@example.org\tCam\tstaff\tactive\t2 déc. 2026 à 14\u00a0h\u00a030"]
    english = _invoke(app, "list", "--locale", "en").output.splitlines()
    assert english == ["c@example.org\tCam\tstaff\tactive\t2 Dec 2026 at 2:30 PM"]
