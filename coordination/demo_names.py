"""Seeded generators of plausible French names for the full-size demo: short lists of
common first and last names, company words, and the EPCI-to-territory name rule."""

import random

from coordination.clubs.models import PartnerKind
from coordination.core.text import search_key

#: One seed for every generator of the full-size demo: the same demo on every run.
SEED = 2019

FIRST_NAMES = [
    "Camille",
    "Claire",
    "Julien",
    "Nadia",
    "Thomas",
    "Sophie",
    "Karim",
    "Élodie",
    "Marc",
    "Léa",
    "Hugo",
    "Manon",
    "Nicolas",
    "Chloé",
    "Antoine",
    "Inès",
    "Mathieu",
    "Sarah",
    "Pierre",
    "Laura",
    "Yann",
    "Émilie",
    "Olivier",
    "Fatima",
    "Romain",
    "Pauline",
    "Maxime",
    "Aurélie",
    "Sébastien",
    "Céline",
    "Loïc",
    "Amandine",
    "Damien",
    "Hélène",
    "Guillaume",
    "Nathalie",
    "Kevin",
    "Isabelle",
    "Vincent",
    "Margaux",
    "Alexandre",
    "Lucie",
    "François",
    "Anaïs",
    "Mehdi",
    "Juliette",
    "Benoît",
    "Morgane",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
]
COMPANY_WORDS = [
    "Mécanique",
    "Plasturgie",
    "Métallerie",
    "Usinage",
    "Électronique",
    "Composites",
    "Fonderie",
    "Chaudronnerie",
    "Robotique",
    "Agroalimentaire",
    "Textile",
    "Cosmétique",
    "Emballages",
    "Optique",
    "Imprimerie",
    "Menuiserie",
]
COMPANY_SUFFIXES = ["SAS", "SARL", "SA", "Industries", "et Fils", "Précision", "Technologies"]
SIZES = ["micro", "small", "small", "medium", "medium", "intermediate"]
NAF = ["25.62B", "28.41Z", "22.29A", "62.01Z", "10.71C", "33.12Z", "46.69B", "71.12B", "20.42Z"]
ORGANISATION_KINDS = [
    (PartnerKind.UNIVERSITY, "Université"),
    (PartnerKind.ENGINEERING_SCHOOL, "École d'ingénieurs"),
    (PartnerKind.CHAMBER_OF_COMMERCE, "CCI"),
    (PartnerKind.COMPANY, "Entreprise"),
    (PartnerKind.ASSOCIATION, "Association"),
    (PartnerKind.INNOVATION_AGENCY, "Agence d'innovation"),
    (PartnerKind.EMPLOYERS_BODY, "UIMM"),
]
EPCI_PREFIXES = (
    "Communauté de communes ",
    "Communauté d'agglomération ",
    "Communauté urbaine ",
    "Métropole ",
    "CC ",
    "CA ",
)


def person_name(rng: random.Random) -> tuple[str, str]:
    """A first and last name drawn from the lists."""
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def slug(text: str) -> str:
    """Lower-case, accent-free, hyphenated (for made-up addresses and slugs)."""
    return "-".join(search_key(text).split())


def territory_name(epci_name: str) -> str:
    """The EPCI's name without « Communauté de communes du » and the like."""
    for prefix in EPCI_PREFIXES:
        if epci_name.startswith(prefix):
            return epci_name[len(prefix) :].removeprefix("du ").removeprefix("de ").strip()
    return epci_name
