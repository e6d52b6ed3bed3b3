"""Finance's forms: cost item, valuation, economics parameters, spreadsheet import; and the
Swedish words for the cost columns and every problem code."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_percent
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, StopValidation

from portfolio.domain.cost_import import (
    MAX_NOTE_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    CostValues,
    check_cost,
)
from portfolio.domain.economics import MAX_HORIZON_YEARS, BenefitClass, CostCategory, CostKind, CostPhase
from portfolio.services.costs import SENSITIVITY_KEYS, ParameterOverrides, valuation_problems

from portfolio.domain import limits

from .forms import (
    CheckedForm,
    SwedishDecimalField,
    VersionedForm,
    choices,
    parse_ramp_up,
    percent_input,
    ramp_up_text,
    ratio_from_percent,
)
from .labels import BENEFIT_CLASS_LABELS, COST_CATEGORY_LABELS, COST_KIND_LABELS, COST_PHASE_LABELS

# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

#: Column headers as the pages and the import preview show them.
COLUMN_LABELS = {
    "category": _l("Kategori"),
    "kind": _l("Typ"),
    "phase": _l("Fas"),
    "first_year": _l("Första år"),
    "last_year": _l("Sista år"),
    "amount": _l("Belopp (kr exkl. moms)"),
    "note": _l("Notering"),
}

#: Problems from the domain, the spreadsheet reader and the costs service, in words.
MESSAGES = {
    "required": _l("Fältet måste fyllas i."),
    "unknown_category": _l("Okänd kategori. Skriv en av: personal, licens, hårdvara, tjänster, utbildning, "
                           "stöd och förvaltning, övrigt."),
    "unknown_kind": _l("Okänd typ. Skriv engångskostnad eller återkommande per år."),
    "unknown_phase": _l("Okänd fas. Skriv test, införande eller drift."),
    "not_a_year": _l("Ange ett årtal med fyra siffror, till exempel 2027."),
    "year_out_of_range": _l("Året måste vara mellan %(min)s och %(max)s.", min=MIN_YEAR, max=MAX_YEAR),
    "last_year_before_first": _l("Sista året får inte vara före det första året."),
    "last_year_one_off": _l("En engångskostnad har inget sista år. Lämna fältet tomt."),
    "not_a_number": _l("Ange ett belopp i kronor, till exempel 1 234,50."),
    "negative": _l("Värdet får inte vara negativt."),
    "too_many_decimals": _l("Ange högst två decimaler (hela ören)."),
    "too_large": _l("Värdet är för stort."),
    "too_long": _l("Noteringen får vara högst %(max)s tecken.", max=MAX_NOTE_LENGTH),
    "no_header": _l("Filen är tom: den saknar en rubrikrad med kolumnerna Kategori, Typ, Fas, Första år, Sista år, "
                    "Belopp (kr exkl. moms) och Notering."),
    "missing_columns": _l("Kolumner saknas i rubrikraden: %(detail)s."),
    "too_many_rows": _l("Filen har fler än %(detail)s rader med kostnader. Dela upp den i flera filer."),
    "no_rows": _l("Filen innehåller inga kostnader, bara en rubrikrad."),
    # the file as a whole
    "too_large_file": _l("Filen är för stor. Den får vara högst 1 MB."),
    "wrong_type": _l("Välj en fil av typen .xlsx (Excel) eller .csv."),
    "corrupt": _l("Filen kunde inte läsas. Kontrollera att den är en hel .xlsx- eller .csv-fil och försök igen."),
    "encoding": _l("Filens teckenkodning kunde inte läsas. Spara den som CSV UTF-8 eller som .xlsx."),
    "empty": _l("Filen är tom."),
    "expired": _l("Förhandsgranskningen har gått ut eller är ogiltig. Ladda upp filen igen."),
    "token_too_large": _l("Filen innehåller för mycket text för att kunna importeras i ett steg. Dela upp den i "
                          "flera filer."),
    "invalid_row": _l("En rad i importen är ogiltig. Ladda upp filen igen."),
    "already_imported": _l("Den här förhandsgranskningen är redan importerad. En import kan bara bekräftas en "
                           "gång; ladda upp filen igen om du vill importera fler rader."),
    "basis_changed": _l("Underlaget har ändrats sedan du öppnade sidan. Ekonomin är inte markerad som granskad: "
                        "granska de nya uppgifterna och markera igen."),
    # the costs service
    "locked": _l("Piloten är beslutad. Underlaget kan inte ändras; rättelser görs genom ett nytt beslut."),
    "no_costs": _l("Lägg till minst en kostnad innan ekonomin markeras som granskad."),
    "valuation_incomplete": _l("Värderingen är ofullständig för: %(detail)s. Ange kronor per enhet och årlig volym "
                               "eller välj Ej värderad."),
    "required_for_class": _l("Krävs för finansiell nytta och omfördelningsnytta."),
    "invalid_parameters": _l("Parametrarna går inte att räkna med. Kontrollera värdena."),
}


def message(code: str, detail: str = "") -> str:
    """The words for a problem code, with its detail (e.g. the missing columns) filled in."""
    return str(MESSAGES.get(code, MESSAGES["corrupt"])).replace("%(detail)s", detail)


def percent_text(ratio: Decimal | None) -> str:
    """A ratio as a Swedish percentage with only the decimals it needs: 0.035 → `3,5 %`."""
    if ratio is None:
        return ""
    return format_percent(Decimal(ratio), format="#,##0.##\u00a0%")


# --------------------------------------------------------------------------------------------
# Fields and validators
# --------------------------------------------------------------------------------------------


class ChoiceRequired:
    """One of the field's choices must be picked (one clear message, not WTForms' two)."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        values = {choice.value for choice in field.choices}
        if not field.data or field.data not in values:
            raise StopValidation(self.message)


class WholeNumberField(StringField):
    """A whole number in a text input (a year, a number of years) with a Swedish message."""

    def __init__(self, label=None, validators=None, *, minimum: int, maximum: int, message=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off"} | kwargs.pop("render_kw", {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.message = message or _l("Ange ett heltal.")

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip().replace(" ", "").replace("\u00a0", "")
        if not raw:
            return
        if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
            raise ValueError(self.message)
        self.data = int(raw)
        if not self.minimum <= self.data <= self.maximum:
            raise ValueError(_l("Ange ett värde mellan %(min)s och %(max)s.", min=self.minimum, max=self.maximum))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


def _year_field(label, **kwargs) -> WholeNumberField:
    return WholeNumberField(label, minimum=MIN_YEAR, maximum=MAX_YEAR, message=MESSAGES["not_a_year"],
                            render_kw={"maxlength": 4}, **kwargs)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


# --------------------------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------------------------


class ActionForm(CheckedForm):
    """A button with nothing to fill in (sign-off, withdraw, delete): only the CSRF token."""


class SignOffForm(CheckedForm):
    """Finance's sign-off: names the decision basis (the pilot's basis_version) finance reviewed."""

    basis_version = HiddenField()

    def expected_basis_version(self) -> int | None:
        """The basis_version of the page finance signed off from (None when not sent)."""
        raw = str(self.basis_version.data or "").strip()
        if not raw:
            return None
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else -1


class CostForm(VersionedForm):
    """A cost item: category, kind, phase, years, amount in SEK excluding VAT, note."""

    category = SelectField(
        _l("Kategori"), validate_choice=False,
        choices=choices([("", _l("Välj kategori"))] + list(COST_CATEGORY_LABELS.items())),
        validators=[ChoiceRequired(_l("Välj en kategori."))],
    )
    kind = RadioField(_l("Typ"), validate_choice=False, choices=choices(COST_KIND_LABELS.items()),
                      validators=[ChoiceRequired(_l("Välj om kostnaden är engångs eller återkommande."))])
    phase = SelectField(
        _l("Fas"), validate_choice=False,
        choices=choices([("", _l("Välj fas"))] + list(COST_PHASE_LABELS.items())),
        validators=[ChoiceRequired(_l("Välj en fas."))],
    )
    first_year = _year_field(_l("Första år"), validators=[])
    last_year = _year_field(_l("Sista år"))
    amount = SwedishDecimalField(_l("Belopp (kr exkl. moms)"), limit=limits.MONEY, places=2)
    note = TextAreaField(_l("Notering"), filters=[_strip],
                         validators=[Length(max=MAX_NOTE_LENGTH, message=MESSAGES["too_long"])])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_year.flags.required = True
        self.amount.flags.required = True

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the rules of a cost item (domain.cost_import.check_cost)."""
        ok = super().validate(extra_validators)
        for name in ("first_year", "amount"):
            field = getattr(self, name)
            if field.data is None and not field.errors:
                field.errors.append(_l("Fältet måste fyllas i.") if name == "first_year"
                                    else _l("Ange ett belopp, till exempel 1 234,50."))
                ok = False
        kind = CostKind(self.kind.data) if self.kind.data in set(CostKind) else None
        for name, code in check_cost(kind, self.first_year.data, self.last_year.data, self.amount.data,
                                     self.note.data or ""):
            field = getattr(self, name)
            if not field.errors:  # one message per field: the first problem is the one to fix
                field.errors.append(MESSAGES[code])
                ok = False
        return ok

    def to_values(self) -> CostValues:
        """The checked values (call after validate())."""
        return CostValues(
            category=CostCategory(self.category.data), kind=CostKind(self.kind.data),
            phase=CostPhase(self.phase.data), first_year=self.first_year.data, last_year=self.last_year.data,
            amount=self.amount.data, note=self.note.data or "",
        )

    @classmethod
    def for_cost(cls, cost, **kwargs) -> CostForm:
        """The form filled in from a stored cost item (on GET)."""
        return cls(data={
            "category": cost.category.value, "kind": cost.kind.value, "phase": cost.phase.value,
            "first_year": cost.first_year, "last_year": cost.last_year, "amount": cost.amount, "note": cost.note,
            "version": cost.version,
        }, **kwargs)


class ValuationForm(VersionedForm):
    """The valuation of an indicator: SEK per unit of improvement, annual volume, benefit class."""

    value_per_unit = SwedishDecimalField(_l("Kronor per enhets förbättring"), limit=limits.PRICE_PER_UNIT)
    annual_volume = SwedishDecimalField(_l("Årlig volym vid full skala"), limit=limits.VOLUME)
    benefit_class = RadioField(_l("Nyttoklass"), validate_choice=False,
                               choices=choices(BENEFIT_CLASS_LABELS.items()),
                               validators=[ChoiceRequired(_l("Välj en nyttoklass."))])

    @classmethod
    def for_indicator(cls, indicator, **kwargs) -> ValuationForm:
        """The form filled in from an indicator's stored valuation (on GET)."""
        return cls(data={"value_per_unit": indicator.value_per_unit, "annual_volume": indicator.annual_volume,
                         "benefit_class": indicator.benefit_class.value, "version": indicator.version}, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        """A financial or reallocation class needs both numbers; errors go next to each field."""
        ok = super().validate(extra_validators)
        if self.benefit_class.errors:
            return False
        for name, code in valuation_problems(BenefitClass(self.benefit_class.data), self.value_per_unit.data,
                                             self.annual_volume.data):
            field = getattr(self, name)
            if not field.errors:
                field.errors.append(_l("Ange högst fyra decimaler.") if code == "too_many_decimals"
                                    else MESSAGES[code])
                ok = False
        return ok


class ParametersForm(VersionedForm):
    """A pilot's own economics parameters; every empty field means the admin's default."""

    first_year = _year_field(_l("Första året för införandet (år 0)"))
    discount_rate = SwedishDecimalField(_l("Kalkylränta (%)"), limit=limits.PERCENT)
    horizon_years = WholeNumberField(_l("Kalkylperiod (antal år)"), minimum=1, maximum=MAX_HORIZON_YEARS,
                                     message=_l("Ange antalet år som ett heltal, till exempel 5."),
                                     render_kw={"maxlength": 2})
    ramp_up = StringField(_l("Upptrappning (% av full nytta per år)"), filters=[_strip],
                          validators=[Length(max=500)])
    benefits_low = SwedishDecimalField(_l("Nyttor, lågt utfall (%)"), limit=limits.FACTOR_PERCENT)
    benefits_expected = SwedishDecimalField(_l("Nyttor, förväntat utfall (%)"), limit=limits.FACTOR_PERCENT)
    benefits_high = SwedishDecimalField(_l("Nyttor, högt utfall (%)"), limit=limits.FACTOR_PERCENT)
    costs_low = SwedishDecimalField(_l("Kostnader, lågt utfall (%)"), limit=limits.FACTOR_PERCENT)
    costs_expected = SwedishDecimalField(_l("Kostnader, förväntat utfall (%)"), limit=limits.FACTOR_PERCENT)
    costs_high = SwedishDecimalField(_l("Kostnader, högt utfall (%)"), limit=limits.FACTOR_PERCENT)

    PERCENT_LIMITS = {"discount_rate": 100, **{key: 500 for key in SENSITIVITY_KEYS}}

    def validate(self, extra_validators=None) -> bool:
        """Per-cent values within their limits with at most two decimals; ramp-up readable."""
        ok = super().validate(extra_validators)
        for name, maximum in self.PERCENT_LIMITS.items():
            field = getattr(self, name)
            if field.errors or field.data is None:
                continue
            if field.data > maximum:
                field.errors.append(_l("Ange högst %(max)s %%.", max=maximum))
                ok = False
            elif field.data != field.data.quantize(Decimal("0.01")):
                field.errors.append(_l("Ange högst två decimaler."))
                ok = False
        try:
            self.ramp_up_values = parse_ramp_up(self.ramp_up.data or "")
        except ValueError as error:
            self.ramp_up.errors.append(error.args[0])
            ok = False
        return ok

    def to_overrides(self) -> ParameterOverrides:
        """The typed values as ratios (call after validate())."""
        sensitivity = {key: ratio_from_percent(getattr(self, key).data) for key in SENSITIVITY_KEYS
                       if getattr(self, key).data is not None}
        return ParameterOverrides(
            first_year=self.first_year.data,
            discount_rate=ratio_from_percent(self.discount_rate.data),
            horizon_years=self.horizon_years.data,
            ramp_up=tuple(ratio_from_percent(value) for value in self.ramp_up_values) or None,
            sensitivity=sensitivity or None,
        )

    @classmethod
    def for_pilot(cls, pilot, **kwargs) -> ParametersForm:
        """The form filled in from the pilot's own parameters (empty where it uses the default)."""
        stored = pilot.sensitivity or {}
        data = {
            "first_year": pilot.first_year,
            "discount_rate": percent_input(pilot.discount_rate),
            "horizon_years": pilot.horizon_years,
            "ramp_up": ramp_up_text(pilot.ramp_up),
            **{key: percent_input(Decimal(str(stored[key]))) if stored.get(key) not in (None, "") else None
               for key in SENSITIVITY_KEYS},
            "version": pilot.version,
        }
        return cls(data=data, **kwargs)


class ImportUploadForm(CheckedForm):
    """The spreadsheet to import."""

    file = FileField(_l("Fil (.xlsx eller .csv)"), validators=[FileRequired(_l("Välj en fil att ladda upp."))],
                     render_kw={"accept": ".xlsx,.csv"})


class ImportConfirmForm(CheckedForm):
    """The confirmed import: the checked rows, signed by the server at the preview."""

    token = HiddenField()

