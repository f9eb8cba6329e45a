"""Hosts reach their own stops from their space."""

import pytest

from tests.stops.conftest import ALBERT


def test_a_host_sees_the_stops_they_host_only(client, make_user, sign_in, make_stop, make_accepted):
    host = make_user("Claire@Pithiverais.example", roles=("territory_contact",))
    named = make_stop(host_contacts=[{"name": "Claire", "email": "claire@pithiverais.example"}])
    member = make_user("membre@territoire.example", roles=("territory_contact",))
    application = make_accepted(members=[member])
    from_application = make_stop(insee=ALBERT, application_id=application.id)
    make_stop(host_contacts=[{"name": "Autre", "email": "autre@example.org"}])
    # Only in a name, not the address: not a host.
    make_stop(host_contacts=[{"name": "claire@pithiverais.example.fake", "email": ""}])

    sign_in(host)
    html = client.get("/etapes/mes-etapes").get_data(as_text=True)
    assert html.count("data-stop-id=") == 1
    assert f'data-stop-id="{named.id}"' in html
    assert 'href="/etapes/mes-etapes"' in html  # in the menu
    client.post("/deconnexion")
    sign_in(member)
    html = client.get("/etapes/mes-etapes").get_data(as_text=True)
    assert html.count("data-stop-id=") == 1
    assert f'data-stop-id="{from_application.id}"' in html


@pytest.mark.parametrize("roles", [("reviewer",), ("partner_contact",)])
def test_other_roles_have_no_hosts_page(client, make_user, sign_in, roles):
    sign_in(make_user("x@example.org", roles=roles))
    assert client.get("/etapes/mes-etapes").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/etapes/mes-etapes").status_code == 302
