"""Demo week of innovation in Hauts-de-France: 5 days, 30 events, 40-odd organisers.

Built through the services (call, drafts, submission, review, publication, registration),
so the demo shows what the platform would hold. Safe to run twice.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coordination.auth.services import find_user_by_email
from coordination.campaigns.models import Edition, EditionKind, EditionStatus
from coordination.clubs.models import PartnerKind, PartnerOrganisation
from coordination.clubs.organisations import organisation_key, update_organisation
from coordination.core.clock import local_datetime, to_local
from coordination.extensions import db
from coordination.participants import services as participants
from coordination.programmes import services
from coordination.programmes.models import EventFormat

SLUG = "semaine-innovation-hdf"

#: Real communes of Hauts-de-France (INSEE codes from the communes table).
COMMUNES = [
    "59350",  # Lille
    "62041",  # Arras
    "80021",  # Amiens
    "59606",  # Valenciennes
    "62193",  # Calais
    "60057",  # Beauvais
    "02691",  # Saint-Quentin
    "59183",  # Dunkerque
    "62765",  # Saint-Omer
    "59512",  # Roubaix
    "62498",  # Lens
    "59599",  # Tourcoing
    "60175",  # Creil
    "80001",  # Abbeville
    "62119",  # Béthune
    "59178",  # Douai
    "59392",  # Maubeuge
    "02408",  # Laon
    "62160",  # Boulogne-sur-Mer
    "60159",  # Compiègne
    "59009",  # Villeneuve-d'Ascq
]

U, S, C, A, OT = (
    PartnerKind.UNIVERSITY,
    PartnerKind.ENGINEERING_SCHOOL,
    PartnerKind.CHAMBER_OF_COMMERCE,
    PartnerKind.ASSOCIATION,
    PartnerKind.OTHER,
)
#: Organisers added for the week (the clubs' demo has the CCI, UPJV and an agency).
ORGANISATIONS = [
    ("Université de Lille (démo)", U),
    ("Université d'Artois (démo)", U),
    ("Université polytechnique Hauts-de-France (démo)", U),
    ("Université du Littoral Côte d'Opale (démo)", U),
    ("Université de technologie de Compiègne (démo)", S),
    ("IMT Nord Europe (démo)", S),
    ("Centrale Lille (démo)", S),
    ("ESIEE Amiens (démo)", S),
    ("Junia (démo)", S),
    ("UniLaSalle Beauvais (démo)", S),
    ("CCI Grand Lille (démo)", C),
    ("CCI Artois (démo)", C),
    ("CCI Amiens-Picardie (démo)", C),
    ("CCI Littoral Hauts-de-France (démo)", C),
    ("CCI de l'Aisne (démo)", C),
    ("CCI de l'Oise (démo)", C),
    ("Chambre de métiers et de l'artisanat Hauts-de-France (démo)", C),
    ("Technopole numérique de Lille (démo)", A),
    ("Pôle santé et nutrition (démo)", A),
    ("Centre technique des textiles innovants (démo)", OT),
    ("Centre technique de la mécanique Nord (démo)", OT),
    ("Pôle chimie et matériaux (démo)", A),
    ("Pôle transports et mobilité (démo)", A),
    ("Pôle produits de la mer (démo)", A),
    ("Pôle images et industries créatives (démo)", A),
    ("Pôle éco-entreprises (démo)", A),
    ("Cluster logistique Hauts-de-France (démo)", A),
    ("Cluster ferroviaire (démo)", A),
    ("Fab lab de Valenciennes (démo)", A),
    ("Incubateur de Picardie (démo)", A),
    ("Réseau des entreprises de l'Oise (démo)", A),
    ("Agence de développement de Dunkerque (démo)", PartnerKind.LOCAL_AUTHORITY),
    ("Communauté d'agglomération du Boulonnais (démo)", PartnerKind.LOCAL_AUTHORITY),
    ("Maison de l'emploi du Lensois (démo)", PartnerKind.LOCAL_AUTHORITY),
    ("Syndicat des industries mécaniques du Nord (démo)", PartnerKind.EMPLOYERS_BODY),
    ("Union des industries textiles du Nord (démo)", PartnerKind.EMPLOYERS_BODY),
    ("Laboratoire d'innovation agroalimentaire (démo)", OT),
    ("Plateforme d'essais composites (démo)", OT),
    ("Centre de recherche en robotique (démo)", OT),
    ("Atelier de prototypage de Creil (démo)", PartnerKind.COMPANY),
]

#: (title, format, audience) of the week's events.
EVENTS = [
    ("Portes ouvertes des plateformes technologiques", EventFormat.OPEN_DOORS, "PME et ETI"),
    ("L'IA dans l'atelier : retours d'expérience", EventFormat.CONFERENCE, "Dirigeants"),
    ("Financer son projet d'innovation", EventFormat.ROUND_TABLE, "Porteurs de projet"),
    ("Rendez-vous d'affaires chercheurs-industriels", EventFormat.BUSINESS_MEETING, "PME"),
    ("Atelier éco-conception", EventFormat.WORKSHOP, "Bureaux d'études"),
    ("Exposition : l'industrie du futur", EventFormat.EXHIBITION, "Grand public"),
    ("Recruter des alternants ingénieurs", EventFormat.ROUND_TABLE, "Responsables RH"),
    ("Cobotique : démonstrations", EventFormat.OPEN_DOORS, "Industriels"),
    ("Cybersécurité des PME industrielles", EventFormat.CONFERENCE, "Dirigeants et DSI"),
    ("Textiles techniques : visite du centre", EventFormat.OPEN_DOORS, "Industriels"),
    ("Hydrogène et mobilité", EventFormat.CONFERENCE, "Collectivités et entreprises"),
    ("Atelier brevets et propriété industrielle", EventFormat.WORKSHOP, "Start-up et PME"),
    ("Matinale de l'export", EventFormat.BUSINESS_MEETING, "PME exportatrices"),
    ("Jeunes chercheurs, entreprises : le speed-meeting", EventFormat.BUSINESS_MEETING, "PME"),
    ("Fabrication additive : du prototype à la série", EventFormat.WORKSHOP, "Mécaniciens"),
    ("Produits de la mer : innover en transformation", EventFormat.ROUND_TABLE, "Industriels"),
    ("Logistique urbaine : les solutions", EventFormat.EXHIBITION, "Transporteurs"),
    ("Décarboner son site industriel", EventFormat.CONFERENCE, "Dirigeants"),
    ("Réalité virtuelle pour la formation", EventFormat.OPEN_DOORS, "Formateurs"),
    ("Agroalimentaire : emballages de demain", EventFormat.WORKSHOP, "Industriels"),
    ("Ferroviaire : la filière recrute", EventFormat.ROUND_TABLE, "Étudiants"),
    ("Nuit de l'innovation étudiante", EventFormat.EXHIBITION, "Étudiants et public"),
    ("Composites : visite de la plateforme d'essais", EventFormat.OPEN_DOORS, "Industriels"),
    ("Transformation numérique des artisans", EventFormat.WORKSHOP, "Artisans"),
    ("Start-up et industriels : rencontres", EventFormat.BUSINESS_MEETING, "Start-up"),
    ("Chimie verte : les projets de la région", EventFormat.CONFERENCE, "Chercheurs"),
    ("Robotique agricole", EventFormat.OPEN_DOORS, "Agriculteurs et PME"),
    ("Industries créatives et entreprises", EventFormat.ROUND_TABLE, "Entreprises"),
    ("Atelier aides régionales à l'innovation", EventFormat.WORKSHOP, "PME"),
    ("Clôture : palmarès des innovations de la semaine", EventFormat.CONFERENCE, "Tous"),
]
SLOTS = [(time(9, 0), time(12, 0)), (time(14, 0), time(17, 0)), (time(18, 0), time(20, 0))]
#: Events of the demo partner's CCI: index -> what becomes of it.
PARTNER_EVENTS = {0: "published", 12: "published", 20: "returned", 28: "draft"}
SUBMITTED, WITHDRAWN = {7, 17}, {25}


def _organisations() -> list[PartnerOrganisation]:
    made = []
    for name, kind in ORGANISATIONS:
        key = organisation_key(name)
        organisation = db.session.scalar(
            select(PartnerOrganisation).where(PartnerOrganisation.search_name == key)
        )
        if organisation is None:
            organisation = PartnerOrganisation(name=name, search_name=key, interests=[])
            db.session.add(organisation)
            update_organisation(
                organisation,
                {"name": name, "kind": kind, "region_code": "32", "interests": ["innovation"]},
            )
        made.append(organisation)
    db.session.flush()
    return made


def _fields(index: int, first_day) -> dict:
    title, event_format, audience = EVENTS[index]
    starts, ends = SLOTS[index % 3]
    day = first_day + timedelta(days=index % 5)
    return {
        "title": title,
        "format": event_format,
        "audience": audience,
        "description": f"{title} : un événement de la semaine de l'innovation.",
        "starts_at": local_datetime(day, starts),
        "ends_at": local_datetime(day, ends),
        "venue_name": "Salle des conférences" if index % 2 else "Hall d'innovation",
        "venue_address": f"{index + 1} rue de l'Industrie",
        "commune_insee": COMMUNES[index % len(COMMUNES)],
        "capacity": None if index % 6 == 5 else 40 + 10 * (index % 4),
        "is_registration_required": index % 5 != 4,
    }


def load_demo(now: datetime) -> None:
    """Add the week of innovation (once: nothing if its edition is already there)."""
    if db.session.scalar(select(Edition.id).where(Edition.slug == SLUG)) is not None:
        return
    staff = find_user_by_email("equipe@demo.innovent-e.fr")
    partner = find_user_by_email("partenaire@demo.innovent-e.fr")
    today = to_local(now).date()
    # The Monday five to six weeks ahead: the call is open now, the events still to come.
    first_day = today + timedelta(days=35 + (7 - today.weekday()) % 7)
    edition = Edition(
        slug=SLUG,
        name="Semaine de l'innovation Hauts-de-France",
        kind=EditionKind.INNOVATION_WEEK,
        status=EditionStatus.PLANNED,
        description=(
            "Cinq jours, une trentaine d'événements dans une vingtaine de villes, "
            "proposés par les partenaires : CCI, universités, centres techniques."
        ),
        starts_on=first_day,
        ends_on=first_day + timedelta(days=4),
    )
    db.session.add(edition)
    db.session.flush()
    services.save_call(
        edition,
        {
            "opens_at": now - timedelta(days=30),
            "closes_at": local_datetime(today + timedelta(days=14), time(18, 0)),
            "instructions": (
                "Proposez un ou plusieurs événements ouverts aux entreprises : "
                "conférence, table ronde, portes ouvertes, atelier, rendez-vous d'affaires "
                "ou exposition. Indiquez la capacité si l'inscription est nécessaire."
            ),
            "region_code": "32",
        },
    )
    organisations = _organisations()
    cci = db.session.scalar(
        select(PartnerOrganisation).where(
            PartnerOrganisation.search_name == organisation_key("CCI Hauts-de-France")
        )
    )
    published = []
    for index in range(len(EVENTS)):
        own = organisations[index % len(organisations)]
        organisers = [own]
        if index % 2:
            # The ten organisations not leading an event co-organise one.
            organisers.append(organisations[len(EVENTS) + (index // 2) % 10])
        author = staff
        fate = "published"
        if index in PARTNER_EVENTS and cci is not None and partner is not None:
            organisers, author, fate = [cci, own], partner, PARTNER_EVENTS[index]
        elif index in SUBMITTED:
            fate = "submitted"
        elif index in WITHDRAWN:
            fate = "withdrawn"
        event = services.create_draft(edition, _fields(index, first_day), organisers, author, now)
        if fate == "draft":
            continue
        services.submit_event(event, author, now)
        if fate == "returned":
            services.return_event(
                event, "Précisez le public visé et l'adresse exacte de la salle.", staff, now
            )
        elif fate == "withdrawn":
            services.withdraw_event(event, staff, now, reason="Doublon d'un autre événement.")
        elif fate == "published":
            published.append(services.publish_event(event, staff, now))
    _registrations(published, now)


def _registrations(stops, now: datetime) -> None:
    """A few visitors registered to the first events that ask for it."""
    number = 0
    for stop in [s for s in stops if s.agenda_items][:3]:
        workshops = participants.open_workshops(stop)
        for _n in range(4):
            number += 1
            participants.register(
                stop,
                {
                    "first_name": "Visiteur",
                    "last_name": f"Démo {number}",
                    "email": f"visiteur{number}@example.org",
                    "company_name": f"PME démo {number}",
                    "company_size": "small",
                    "naf_code": "25.62B",
                },
                [workshops[0].id] if workshops else [],
                "fr",
                now,
            )
