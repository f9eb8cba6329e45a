"""The staff form for a territory made of EPCIs."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from coordination.territories.queries import official_code_in_use, region_choices
from coordination.territories.services import parse_sirens, unknown_epci_sirens


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class TerritoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)], filters=[_strip])
    official_code = StringField(
        _l("Official code"), validators=[Optional(), Length(max=30)], filters=[_strip]
    )
    region_code = SelectField(_l("Région"), choices=[])
    is_industry_territory = BooleanField(_l("This is a territoire d'industrie"))
    #: One SIREN per line: what browsers without JavaScript send, and what the picker fills.
    epci_sirens = TextAreaField(_l("Intercommunalities (EPCI)"))

    def __init__(self, *args, territory_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory_id = territory_id
        self.region_code.choices = [("", _("The région of most of its communes"))] + (
            region_choices()
        )
        self.sirens: list[str] = []

    def validate_official_code(self, field):
        if field.data and official_code_in_use(field.data, self.territory_id):
            raise ValidationError(_("Another territory already has this code."))

    def validate_epci_sirens(self, field):
        sirens, invalid = parse_sirens(field.data)
        if invalid:
            raise ValidationError(_("Not a SIREN number: %(entries)s.", entries=", ".join(invalid)))
        if not sirens:
            raise ValidationError(_("Choose at least one intercommunality."))
        unknown = unknown_epci_sirens(sirens)
        if unknown:
            raise ValidationError(
                _("No intercommunality has the SIREN %(sirens)s.", sirens=", ".join(unknown))
            )
        self.sirens = sirens

    def territory_fields(self) -> dict:
        """The validated input, as save_territory() takes it."""
        return {
            "name": self.name.data,
            "official_code": self.official_code.data or None,
            "region_code": self.region_code.data or None,
            "is_industry_territory": self.is_industry_territory.data,
            "epci_sirens": self.sirens,
        }
