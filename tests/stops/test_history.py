"""The history of a stop reads in words and in Paris time."""

from datetime import UTC, date, datetime

from coordination.stops.services import cancel_stop, confirm_stop, move_to_day, update_stop


def test_history_in_words_in_french_and_paris_time(
    client, make_user, sign_in, make_stop, db_session
):
    staff = make_user("camille@example.org", roles=("staff",), name="Camille Martin")
    stop = make_stop(day=date(2027, 6, 1))
    at = datetime(2027, 1, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th in Paris
    confirm_stop(stop, staff, at)
    move_to_day(stop, date(2027, 6, 8), staff, at)
    update_stop(stop, {"venue_name": "Halle", "capacity": 80}, staff, at)
    cancel_stop(stop, staff, at, reason="Salle inondée")
    sign_in(staff)

    html = client.get(f"/etapes/{stop.id}").get_data(as_text=True)
    history = html[html.index('id="history"') : html.index("</table>", html.index('id="history"'))]
    assert "Confirmée par Camille Martin" in history
    assert "Déplacée du mardi 1er juin au mardi 8 juin 2027 par Camille Martin" in history
    assert "Modifiée par Camille Martin\u202f: la capacité, le lieu" in history
    assert "Annulée par Camille Martin\u202f: Salle inondée" in history
    assert "11 janv. 2027 à 0\u00a0h\u00a030" in history
    for raw in ("starts_at", "venue_name", "2027-06", "+00:00", "rescheduled"):
        assert raw not in history.replace('data-action="rescheduled"', "")


def test_history_in_english(client, make_user, sign_in, make_stop):
    staff = make_user("camille@example.org", roles=("staff",), name="Camille Martin")
    staff.locale = "en"
    stop = make_stop(day=date(2027, 6, 1))
    move_to_day(stop, date(2028, 1, 4), staff, datetime(2027, 1, 10, tzinfo=UTC))
    sign_in(staff)
    html = client.get(f"/etapes/{stop.id}").get_data(as_text=True)
    assert "Moved from Tuesday 1 June 2027 to Tuesday 4 January 2028 by Camille Martin" in html
