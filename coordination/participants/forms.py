"""Forms of the participants domain: registration, workshops, questionnaires, answers."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from coordination.extensions import db
from coordination.participants import services
from coordination.participants.models import (
    COMPANY_SIZE_LABELS,
    QUESTION_KIND_LABELS,
    THEME_LABELS,
    NeedQuestion,
    QuestionKind,
)
from coordination.participants.sessions import clash_message, overlapping
from coordination.territories.models import Commune
from coordination.territories.services import search_communes


def strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RegistrationForm(FlaskForm):
    first_name = StringField(
        _l("First name"), filters=[strip], validators=[DataRequired(), Length(max=100)]
    )
    last_name = StringField(
        _l("Last name"), filters=[strip], validators=[DataRequired(), Length(max=100)]
    )
    email = EmailField(
        _l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)]
    )
    phone = StringField(_l("Phone (optional)"), filters=[strip], validators=[Length(max=30)])
    role = StringField(
        _l("Your role in the company"), filters=[strip], validators=[Length(max=150)]
    )
    company_name = StringField(
        _l("Company"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    siret = StringField(_l("SIRET (optional)"), filters=[strip])
    company_size = SelectField(
        _l("Company size"),
        choices=[("", "—"), *[(k.value, v) for k, v in COMPANY_SIZE_LABELS.items()]],
        validators=[DataRequired()],
    )
    naf_code = StringField(
        _l("Activity code (NAF, e.g. 25.62B)"), filters=[strip], validators=[DataRequired()]
    )
    commune = StringField(
        _l("Commune of the company"), filters=[strip], validators=[Length(max=200)]
    )
    workshops = MultiCheckboxField(_l("Workshop-debates you want to attend"), coerce=int)
    consent = BooleanField(
        _l(
            "I agree that InnovENT-E keeps these details to organise the stop, send me its "
            "needs questionnaire and count participants. My answers are only published "
            "anonymised. I can cancel at any time with the link in the confirmation email."
        ),
        validators=[DataRequired(_l("Your consent is needed to register."))],
    )

    def __init__(self, *args, stop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stop = stop
        self.commune_insee: str | None = None
        #: The workshops offered (set by the view), to refuse two at the same time.
        self.workshop_rows: list = []

    def validate_workshops(self, field):
        chosen = [w for w in self.workshop_rows if w.id in (field.data or [])]
        if clash := overlapping(chosen):
            raise ValidationError(clash_message(*clash))

    def validate_email(self, field):
        existing = self.stop and services.find_registration(self.stop, field.data)
        if existing is not None and existing and existing.is_active:
            raise ValidationError(_("This email address is already registered to this stop."))

    def validate_siret(self, field):
        try:
            field.data = services.clean_siret(field.data)
        except ValueError:
            raise ValidationError(_("This SIRET is not valid (14 digits).")) from None

    def validate_naf_code(self, field):
        code = services.normalise_naf(field.data)
        if services.naf_section(code) is None:
            raise ValidationError(_("Give a NAF code like 25.62B."))
        field.data = code

    def validate_commune(self, field):
        if not field.data:
            return
        value = field.data
        code = value.split(" ")[0] if value[:5].isdigit() or value[:2] in ("2A", "2B") else ""
        commune = db.session.get(Commune, code) if code else None
        if commune is None:
            matches = search_communes(value, limit=5)
            exact = [c for c in matches if c.name.lower() == value.lower()]
            commune = (exact or matches or [None])[0]
        if commune is None:
            raise ValidationError(_("Unknown commune."))
        self.commune_insee = commune.insee_code
        field.data = f"{commune.insee_code} {commune.name}"

    def fields_for_service(self) -> dict:
        return {
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "email": self.email.data,
            "phone": self.phone.data,
            "role": self.role.data,
            "company_name": self.company_name.data,
            "siret": self.siret.data or None,
            "company_size": self.company_size.data,
            "naf_code": self.naf_code.data,
            "commune_insee": self.commune_insee,
        }


class WorkshopForm(FlaskForm):
    capacity = IntegerField(
        _l("Capacity (empty: no limit)"), validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    is_open = BooleanField(_l("Open to registration"))


class ActionForm(FlaskForm):
    """A button (CSRF only)."""


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in QUESTION_KIND_LABELS.items()])
    theme = SelectField(
        _l("Need measured"), choices=[(k.value, v) for k, v in THEME_LABELS.items()]
    )
    label_fr = StringField(
        _l("Question (French)"), filters=[strip], validators=[DataRequired(), Length(max=300)]
    )
    label_en = StringField(_l("Question (English)"), filters=[strip], validators=[Length(max=300)])
    choices_text = TextAreaField(_l('Choices, one per line ("French | English")'), filters=[strip])
    is_required = BooleanField(_l("Required"))

    def validate_choices_text(self, field):
        is_choice = self.kind.data in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
        if is_choice and not (field.data or "").strip():
            raise ValidationError(_("Give at least one choice."))

    def fields_for_service(self) -> dict:
        return {
            "kind": self.kind.data,
            "theme": self.theme.data,
            "label_fr": self.label_fr.data,
            "label_en": self.label_en.data or "",
            "choices_text": self.choices_text.data or "",
            "is_required": self.is_required.data,
        }


def question_by_id(question_id: int) -> NeedQuestion | None:
    return db.session.scalar(select(NeedQuestion).where(NeedQuestion.id == question_id))


def parse_answers(questions, formdata, locale: str) -> tuple[dict, dict, dict]:
    """(answers to store, values to show again, errors) from a posted questionnaire."""
    answers: dict = {}
    typed: dict = {}
    errors: dict = {}
    for question in questions:
        name = f"q{question.id}"
        key = str(question.id)
        if question.kind == QuestionKind.MULTIPLE_CHOICE:
            values = formdata.getlist(name)
            typed[name] = values
            allowed = {value for value, _label in question.choices(locale)}
            chosen = [v for v in values if v in allowed]
            if chosen:
                answers[key] = chosen
            elif question.is_required:
                errors[name] = _("Choose at least one answer.")
            continue
        raw = (formdata.get(name) or "").strip()
        typed[name] = raw
        if not raw:
            if question.is_required:
                errors[name] = _("This answer is required.")
            continue
        if question.kind == QuestionKind.SINGLE_CHOICE:
            if raw not in {value for value, _label in question.choices(locale)}:
                errors[name] = _("Choose one of the answers.")
            else:
                answers[key] = raw
        elif question.kind == QuestionKind.SCALE:
            if raw not in {"1", "2", "3", "4", "5"}:
                errors[name] = _("Choose a value from 1 to 5.")
            else:
                answers[key] = int(raw)
        elif question.kind == QuestionKind.NUMBER:
            try:
                answers[key] = float(raw.replace(",", "."))
            except ValueError:
                errors[name] = _("Give a number.")
        elif question.kind == QuestionKind.DATE:
            try:
                answers[key] = date.fromisoformat(raw).isoformat()
            except ValueError:
                errors[name] = _("Give a date.")
        else:
            limit = 300 if question.kind == QuestionKind.SHORT_TEXT else 5000
            if len(raw) > limit:
                errors[name] = _("At most %(count)s characters.", count=limit)
            else:
                answers[key] = raw
    return answers, typed, errors


class SelectionForm(FlaskForm):
    """The participants table's bulk form: the chosen ids come as `ids`, the filters as `back`."""

    back = HiddenField()
