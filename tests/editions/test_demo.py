"""The demo shows an edition prepared from the coming one, and a retired criterion."""

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition
from coordination.core.clock import to_local, utcnow
from coordination.demo import load_demo_data
from coordination.stops.models import Stop


def test_demo_prepares_next_years_edition_and_staff_pages_render(client, sign_in, db_session):
    assert load_demo_data(utcnow())
    year = to_local(utcnow()).year + 1
    coming = db_session.scalar(select(Edition).where(Edition.slug == f"tournee-{year}"))
    prepared = db_session.scalar(select(Edition).where(Edition.slug == f"tournee-{year + 1}"))
    assert prepared.status == "draft"
    assert [c.title for c in prepared.calls] == [
        f"Appel à candidatures : accueillir une étape de la Tournée {year + 1}"
    ]
    # The retired criterion stays with the coming call's results only.
    assert [(c.label_fr, c.is_retired) for c in coming.calls[0].criteria][-1] == (
        "Dossier complet",
        True,
    )
    assert [c.label_fr for c in prepared.calls[0].criteria] == [
        "Ancrage industriel du territoire",
        "Mobilisation des partenaires",
        "Qualité du projet d'étape",
    ]
    assert [q.label_fr for q in prepared.calls[0].questions] == [
        q.label_fr for q in coming.calls[0].questions
    ]
    (by_hand,) = db_session.scalars(select(Stop).where(Stop.edition_id == prepared.id)).all()
    assert (by_hand.city, by_hand.status, by_hand.application_id) == (
        "Pithiviers",
        "tentative",
        None,
    )
    assert f"/editions/tournee-{year + 1}" not in client.get("/editions").get_data(as_text=True)
    sign_in(find_user_by_email("equipe@demo.innovent-e.fr"), "demo-password-2026")
    html = client.get("/gestion/editions").get_data(as_text=True)
    # 2019, the coming one, the next, the week of innovation, the forum.
    assert html.count("data-edition-id=") == 5
    for edition in (coming, prepared):
        assert client.get(f"/gestion/editions/{edition.id}").status_code == 200
        assert client.get(f"/gestion/editions/{edition.id}/suivante").status_code == 200
    assert not load_demo_data(utcnow())
