"""Staff's wording of messages: checked, previewed, used by the jobs, returned to default."""

import re

import pytest

from coordination.campaigns import services as campaigns
from coordination.extensions import db
from coordination.notifications import markup, overrides
from coordination.notifications.models import MessageTemplate, OutboxMessage
from tests.campaigns.conftest import call, contact, make_application, make_call, territory  # noqa: F401

KIND = "campaigns/decision_accepted"
SLUG = "campaigns--decision_accepted"
FRENCH = "Retenue ! {greeting} {territory} accueille une étape de « {call} ».\n\n{url}"


@pytest.fixture
def decided(call, territory, contact, make_user):  # noqa: F811
    english = make_user("en@territoire.example", roles=("territory_contact",), name="Jo")
    english.locale = "en"
    application = make_application(call, territory, [contact, english])
    campaigns.set_decision(application, "accepted", "Merci <b>pour</b> le dossier.")
    return application


def _page(client, application, locale="fr"):
    edition_id = application.call.edition_id
    return f"/equipe/courriels/editions/{edition_id}/textes/{SLUG}/{locale}"


def test_the_release_uses_the_wording_in_each_recipients_language(decided, staff, now):
    edition_id = decided.call.edition_id
    overrides.save_template(KIND, edition_id, "fr", "Bravo : {call}", FRENCH, staff, now)
    campaigns.release_decisions(decided.call, now)
    messages = {m.locale: m for m in db.session.scalars(db.select(OutboxMessage))}
    french, english = messages["fr"], messages["en"]
    assert french.subject == "Bravo : Appel test"
    assert "Retenue ! Bonjour Sandrine, Pithiverais accueille" in french.text_body
    # The personal note is added at the end (the wording forgot it), escaped in HTML.
    assert "Merci <b>pour</b> le dossier." in french.text_body
    assert "Merci &lt;b&gt;pour&lt;/b&gt; le dossier." in french.html_body
    assert "<b>" not in french.html_body
    # English has no wording of its own: the file template, with the note too.
    assert english.subject == "Your application is accepted: Appel test"
    assert "Merci <b>pour</b> le dossier." in english.text_body
    assert "Merci &lt;b&gt;pour" in english.html_body


def test_the_default_decision_email_carries_the_personal_note(decided, now):
    campaigns.release_decisions(decided.call, now)
    french = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.locale == "fr"))
    assert "Un mot de l’équipe" in french.text_body or "équipe" in french.text_body
    assert "Merci <b>pour</b> le dossier." in french.text_body


def test_unknown_variable_and_broken_brace_are_errors_shown_before_saving(
    client, decided, staff, sign_in
):
    sign_in(staff)
    body = "Bonjour {nom},\n\n{url} {{ ''.__class__ }}"
    response = client.post(
        _page(client, decided),
        data={"subject": "Décision", "body": body, "action": "save"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "{nom} n’est pas une variable de ce message" in page
    assert "n’est pas une variable : écrivez {nom}" in page or "écrivez" in page
    # What was typed is still in the form, escaped.
    assert "Bonjour {nom}," in page and "{{ &#39;&#39;.__class__ }}" in page
    assert db.session.scalar(db.select(MessageTemplate)) is None


def test_edit_preview_save_and_return_to_the_default(client, decided, staff, sign_in):
    sign_in(staff)
    url = _page(client, decided)
    page = client.get(url).get_data(as_text=True)
    assert "{personal_note}" in page and "{territory}" in page  # the variables are listed
    # Preview: the typed wording with the real application, not saved.
    response = client.post(
        url, data={"subject": "Bravo {call}", "body": FRENCH, "action": "preview"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bravo Appel test" in page and "Retenue ! Bonjour Sandrine, Pithiverais" in page
    # The English preview shows the default wording beside it.
    assert "Your application is accepted: Appel test" in page
    assert db.session.scalar(db.select(MessageTemplate)) is None
    response = client.post(url, data={"subject": "Bravo {call}", "body": FRENCH, "action": "save"})
    assert response.status_code == 302
    row = db.session.scalar(db.select(MessageTemplate))
    assert (row.kind, row.locale, row.subject) == (KIND, "fr", "Bravo {call}")
    listing = client.get(url.rsplit("/", 2)[0]).get_data(as_text=True)
    assert "Modifié" in listing
    assert client.post(f"{url}/defaut").status_code == 302
    assert db.session.scalar(db.select(MessageTemplate)) is None


def test_a_wording_cannot_reach_python_internals(decided, staff, now):
    assert overrides.check(KIND, "{{ ''.__class__ }}", "{user.__class__} {url}")
    with pytest.raises(overrides.TemplateError):
        overrides.save_template(
            KIND, decided.call.edition_id, "fr", "{__class__}", "{url}", staff, now
        )


@pytest.mark.parametrize(
    "text",
    [
        "{name}",
        "<b>{name}</b> & co",
        "{{ ''.__class__.__mro__ }}",
        "{name.__class__}",
        "{ name }",
        "{% for x in y %}{% endfor %}",
        "a}b{",
        "https://example.org/?q=<x>\n\n{name}",
    ],
)
def test_any_text_renders_escaped_or_is_refused(text):
    if markup.problems(text, {"name"}):
        assert text not in ("{name}", "<b>{name}</b> & co", "https://example.org/?q=<x>\n\n{name}")
        return
    html = str(markup.render_html(text, {"name": "<script>"}))
    assert "<script>" not in html
    assert re.sub(r"</?(p|br|a)( href=\"[^\"]*\")?>", "", html).count("<") == 0
    assert markup.render_text(text, {"name": "X"}).count("{") == 0
