"""Forms of calls (staff), applications (territory contacts) and reviews."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from coordination.campaigns.catalogue import CORE_LABELS, MAX_ROWS, THEMES
from coordination.campaigns.models import Decision, QuestionKind
from coordination.core.clock import local_datetime
from coordination.core.forms import SubForm
from coordination.core.validators import WithinPlatformYears


def strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def paris_datetime(value: datetime | None) -> datetime | None:
    """A wall-clock time typed in a datetime-local input, as aware UTC (Europe/Paris)."""
    if value is None:
        return None
    return local_datetime(value.date(), value.time())


# --- Staff: calls and questions -------------------------------------------------------


class CallForm(FlaskForm):
    edition_id = SelectField(_l("Edition"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Title"), filters=[strip], validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description (Markdown)"), validators=[Optional(), Length(max=20000)]
    )
    opens_at = DateTimeLocalField(
        _l("Opens on (Paris time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(), WithinPlatformYears()],
    )
    closes_at = DateTimeLocalField(
        _l("Deadline (Paris time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(), WithinPlatformYears()],
    )
    is_industry_only = RadioField(
        _l("Who may apply"),
        choices=options([("1", _l("Territoires d'industrie only")), ("0", _l("Any territory"))]),
        default="1",
    )
    criteria_text = TextAreaField(
        _l("Review criteria, one per line (“French | English”)"),
        validators=[Optional(), Length(max=5000)],
    )
    reviews_per_application = IntegerField(
        _l("Reviewers per application"), default=2, validators=[InputRequired(), NumberRange(1, 10)]
    )
    is_same_region_review_excluded = BooleanField(
        _l("Do not give reviewers applications from their own région")
    )

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The deadline must come after the opening."))


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=options(
            [
                (QuestionKind.SHORT_TEXT.value, _l("Short text")),
                (QuestionKind.LONG_TEXT.value, _l("Long text")),
                (QuestionKind.SINGLE_CHOICE.value, _l("Single choice")),
                (QuestionKind.MULTIPLE_CHOICE.value, _l("Multiple choice")),
                (QuestionKind.NUMBER.value, _l("Number")),
                (QuestionKind.DATE.value, _l("Date")),
                (QuestionKind.FILE.value, _l("File")),
            ]
        ),
    )
    label_fr = StringField(
        _l("Question in French"), filters=[strip], validators=[InputRequired(), Length(max=300)]
    )
    label_en = StringField(
        _l("Question in English (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=300)],
    )
    choices_text = TextAreaField(
        _l("Options, one per line (“French | English”)"), validators=[Length(max=5000)]
    )
    is_required = BooleanField(_l("Required"))

    def validate_choices_text(self, field):
        if (
            self.kind.data in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
            and not (field.data or "").strip()
        ):
            raise ValidationError(_l("A choice question needs at least one option."))


class CriterionForm(FlaskForm):
    label_fr = StringField(
        _l("Criterion in French"), filters=[strip], validators=[DataRequired(), Length(max=300)]
    )
    label_en = StringField(
        _l("Criterion in English (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=300)],
    )


class ActionForm(FlaskForm):
    """Only a CSRF token, for buttons that change something."""


# --- Applicants -----------------------------------------------------------------------


class AccessForm(FlaskForm):
    email = EmailField(
        _l("Your email address"),
        filters=[strip],
        validators=[InputRequired(), Email(), Length(max=254)],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        _l("A colleague's email address"),
        id="invite-email",
        filters=[strip],
        validators=[InputRequired(), Email(), Length(max=254)],
    )


class ContactForm(SubForm):
    name = StringField(_l("Name"), filters=[strip], validators=[Length(max=200)])
    function = StringField(_l("Function"), filters=[strip], validators=[Length(max=200)])
    email = EmailField(
        _l("Email"), filters=[strip], validators=[Optional(), Email(), Length(max=254)]
    )
    phone = StringField(_l("Phone"), filters=[strip], validators=[Length(max=40)])

    def validate_name(self, field):
        if not field.data and (self.function.data or self.email.data or self.phone.data):
            raise ValidationError(_l("Give this contact's name, or remove the row."))


class RangeForm(SubForm):
    start = DateField(_l("From"), validators=[Optional(), WithinPlatformYears()])
    end = DateField(_l("To"), validators=[Optional(), WithinPlatformYears()])

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The end comes before the start."))
        if bool(self.start.data) != bool(field.data):
            raise ValidationError(_l("Give both dates of the window."))


class ApplicationFormBase(FlaskForm):
    """The fixed core; extra questions are added per call by application_form_class()."""

    territory_id = SelectField(CORE_LABELS["territory_id"], validators=[InputRequired()])
    contacts = FieldList(FormField(ContactForm), min_entries=1, max_entries=MAX_ROWS)
    host_city = StringField(
        CORE_LABELS["host_city"], filters=[strip], validators=[InputRequired(), Length(max=200)]
    )
    host_city_insee = HiddenField(validators=[Optional(), Length(max=5)])
    venue = StringField(
        CORE_LABELS["venue"], filters=[strip], validators=[InputRequired(), Length(max=300)]
    )
    availability = FieldList(FormField(RangeForm), min_entries=1, max_entries=MAX_ROWS)
    themes = MultiCheckboxField(
        CORE_LABELS["themes"], choices=options(THEMES), validators=[InputRequired()]
    )
    partners = TextAreaField(
        CORE_LABELS["partners"], validators=[InputRequired(), Length(max=5000)]
    )
    expected_smes = IntegerField(
        CORE_LABELS["expected_smes"], validators=[InputRequired(), NumberRange(1, 10000)]
    )
    motivation = TextAreaField(
        CORE_LABELS["motivation"], validators=[InputRequired(), Length(max=8000)]
    )

    def validate_contacts(self, field):
        if not any(e.form.name.data and e.form.email.data for e in field.entries):
            raise ValidationError(_l("Give at least one contact with a name and an email."))

    def validate_availability(self, field):
        if not any(entry.form.start.data for entry in field.entries):
            raise ValidationError(_l("Give at least one availability window."))


def application_form_class(questions, territory_choices, locale: str):
    """A form class for one call: the core plus its extra questions (file ones excepted)."""

    class ApplicationForm(ApplicationFormBase):
        pass

    ApplicationForm.territory_choices = territory_choices
    for question in questions:
        if question.kind == QuestionKind.FILE:
            continue
        label = question.label(locale)
        required = [InputRequired()] if question.is_required else [Optional()]
        kind = question.kind
        if kind == QuestionKind.SHORT_TEXT:
            field = StringField(label, filters=[strip], validators=[*required, Length(max=300)])
        elif kind == QuestionKind.LONG_TEXT:
            field = TextAreaField(label, validators=[*required, Length(max=8000)])
        elif kind == QuestionKind.NUMBER:
            field = DecimalField(label, validators=required)
        elif kind == QuestionKind.DATE:
            field = DateField(label, validators=required)
        elif kind == QuestionKind.SINGLE_CHOICE:
            field = RadioField(
                label,
                choices=options(question.choices(locale)),
                validators=required if question.is_required else [Optional()],
                validate_choice=True,
            )
        else:
            field = MultiCheckboxField(
                label, choices=options(question.choices(locale)), validators=required
            )
        setattr(ApplicationForm, f"q_{question.id}", field)
    return ApplicationForm


def build_application_form(form_class, formdata, add_row: str | None = None):
    """An application form filled from `formdata` (the request's or a saved draft's),
    with one more empty row in the list `add_row` ("contacts" or "availability")."""
    form = form_class(formdata=formdata)
    form.territory_id.choices = options([("", "—"), *form_class.territory_choices])
    rows = getattr(form, add_row, None) if add_row in ROW_LISTS else None
    if rows is not None and len(rows.entries) < MAX_ROWS:
        rows.append_entry()
    return form


#: The "add another" lists of the application form.
ROW_LISTS = ("contacts", "availability")


def without_row(formdata, name: str, index: int):
    """The typed data without row `index` of list `name` (the other rows keep their index)."""
    prefix = f"{name}-{index}-"
    kept = formdata.copy()
    for key in [k for k in kept if k.startswith(prefix)]:
        kept.poplist(key)
    return kept


# --- Staff: applications and review ---------------------------------------------------


class ExtendForm(FlaskForm):
    extended_until = DateTimeLocalField(
        _l("New deadline for this application (Paris time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), WithinPlatformYears()],
    )


class ReviewerForm(FlaskForm):
    user_id = SelectField(_l("Reviewer"), coerce=int, validators=[InputRequired()])
    region_code = SelectField(_l("Their région"), validators=[Optional()])


class AssignForm(FlaskForm):
    user_id = SelectField(_l("Assign a reviewer"), coerce=int, validators=[InputRequired()])


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=options(
            [
                ("", _l("No decision yet")),
                (Decision.ACCEPTED.value, _l("Accepted")),
                (Decision.WAITLISTED.value, _l("Waiting list")),
                (Decision.REJECTED.value, _l("Rejected")),
            ]
        ),
    )
    note = TextAreaField(
        _l("Personal note to this applicant (in the decision email)"),
        validators=[Optional(), Length(max=2000)],
    )


def review_form_class(criteria: list[tuple[int, str]]):
    """A review form with one 0-5 score per criterion (field named by its id) and a comment."""

    class ReviewForm(FlaskForm):
        comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=8000)])

    for criterion_id, label in criteria:
        setattr(
            ReviewForm,
            f"score_{criterion_id}",
            RadioField(
                label,
                choices=options((str(n), str(n)) for n in range(6)),
                validators=[InputRequired()],
            ),
        )
    return ReviewForm


class BulkApplicationsForm(FlaskForm):
    """What to do with the applications chosen in the staff list."""

    action = SelectField(
        _l("With the selection"),
        choices=options(
            [
                ("accepted", _l("Decision: accepted")),
                ("waitlisted", _l("Decision: waiting list")),
                ("rejected", _l("Decision: rejected")),
                ("clear", _l("Decision: none yet")),
                ("assign", _l("Assign the reviewer below")),
                ("export", _l("Export as CSV (Excel)")),
            ]
        ),
        validators=[InputRequired()],
    )
    reviewer_id = SelectField(_l("Reviewer"), coerce=int, validate_choice=False, default=0)
    back = HiddenField()
