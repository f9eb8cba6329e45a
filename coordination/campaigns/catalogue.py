"""The fixed core of every application form: its fields' labels and the theme list."""

from flask_babel import lazy_gettext as _l

#: Themes a territory can put forward (value stored, label shown).
THEMES = [
    ("innovation", _l("Innovation")),
    ("international", _l("International development")),
    ("skills", _l("Skills and training")),
    ("digital", _l("Digital transformation")),
    ("energy", _l("Energy and ecological transition")),
    ("recruitment", _l("Recruitment and attractiveness")),
]

#: At most this many contact or availability rows ("add another" stops there).
MAX_ROWS = 20
#: The parts of a contact row of the application form.
CONTACT_PARTS = ("name", "function", "email", "phone")

CORE_LABELS = {
    "territory_id": _l("Territory"),
    "contacts": _l("Contacts"),
    "host_city": _l("Proposed host city"),
    "venue": _l("Proposed venue"),
    "availability": _l("Availability windows"),
    "themes": _l("Themes"),
    "partners": _l("Partners you would involve (universities, schools, CCI…)"),
    "expected_smes": _l("Expected number of SMEs"),
    "motivation": _l("Motivation"),
    "files": _l("Attachments"),
}

#: Accepted attachment types, detected from the content.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/png": "png",
    "image/jpeg": "jpg",
}
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_APPLICATION_BYTES = 25 * 1024 * 1024
