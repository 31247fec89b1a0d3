"""Data-quality checks of an Adult Social Care Client Level Data (CLD) Release 2 file.

Pure (no Django): ``validate_csv`` reads a CLD CSV as a stream and yields one
:class:`Finding` per problem (row as numbered in the file, the header being row 1; field; value;
severity; rule; a message a performance officer can act on), keeping a :class:`Summary` as it
goes. ``CLDValidator`` checks one row at a time, for the export and import to reuse.

Sources (``/work/shared/reference/cld/`` in the project notes, restated from DHSC's
``ASC-CLD-LA-Dashboard`` and NHS England's SALT/ASCOF code):

* ``fields.csv``: every field, its format, and when it is Mandatory, Conditional or Optional;
* ``codes.csv`` (as ``carebridge/rules/data/cld_codes.csv``, read through ``rules.cld``);
* ``rules.md`` section 7 (the four DQ outcomes: valid; blank, not mandatory; blank, mandatory;
  invalid, with Release 1 text flagged separately), section 3 (what counts as in period),
  sections 6 and 8 (edge cases: literal NULL, dummy dates of birth, end before start, case and
  wording drift).

Severity: ``fail`` is what DHSC scores *Failed* (blank mandatory, invalid, Release 1 text) and
what makes central processing drop the row (no usable dates, end before start, death before
the event); a file with any ``fail`` must be corrected before submission. ``warning`` is
accepted centrally but worth correcting (e.g. a code in the wrong case, a field filled where it
does not apply, an event outside the reporting period).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import NamedTuple

from carebridge.rules import cld, nhs_number, postcode
from carebridge.rules.dates import add_months

FAIL = "fail"
WARNING = "warning"

# --- The fields (fields.csv, in its order) -----------------------------------------------------

# Kinds of value check.
CODE = "code"  # a defined list in codes.csv
UNPUBLISHED_CODE = "unpublished code"  # a defined list whose values no source gives
DATE = "date"
NHS = "nhs number"
POSTCODE = "postcode"
LA_CODE = "la code"
GP_CODE = "gp code"
CQC_ID = "cqc id"
MONEY = "decimal"
INTEGER = "integer"
TEXT = "text"

LA_CODE_FIELD = "LA_Code"
PERIOD_START = "Reporting_Period_Start_Date"
PERIOD_END = "Reporting_Period_End_Date"
NHS_NUMBER = "NHS_Number"
PERSON_ID = "LA_Person_Unique_Identifier"
DATE_OF_BIRTH = "Date_of_Birth"
DATE_OF_DEATH = "Date_of_Death"
POSTCODE_FIELD = "Postcode"
EVENT_START = "Event_Start_Date"
EVENT_END = "Event_End_Date"
LINKED_PERSON_IDS = (
    "Adult_1_Linked_Person_ID",
    "Adult_2_Linked_Person_ID",
    "Adult_3_Linked_Person_ID",
)
COST_FIELDS = ("Unit_Cost", cld.COST_FREQUENCY, "Planned_units_per_week")

# (field, kind) in the order of fields.csv.
FIELDS: tuple[tuple[str, str], ...] = (
    (LA_CODE_FIELD, LA_CODE),
    (PERIOD_START, DATE),
    (PERIOD_END, DATE),
    (NHS_NUMBER, NHS),
    (PERSON_ID, TEXT),
    ("First_Name", TEXT),
    ("Last_Name", TEXT),
    ("GP_Practice_Code", GP_CODE),
    ("GP_Practice_Name", TEXT),
    (cld.GENDER, CODE),
    (cld.ETHNICITY, CODE),
    (DATE_OF_BIRTH, DATE),
    (DATE_OF_DEATH, DATE),
    (cld.CLIENT_TYPE, CODE),
    (cld.PRIMARY_SUPPORT_REASON, CODE),
    (POSTCODE_FIELD, POSTCODE),
    (cld.ACCOMMODATION_STATUS, CODE),
    (cld.EMPLOYMENT_STATUS, CODE),
    (cld.HAS_UNPAID_CARER, CODE),
    ("Autism_Spectrum_Disorder_ASD", UNPUBLISHED_CODE),
    (cld.VISUAL_IMPAIRMENT, CODE),
    (cld.HEARING_IMPAIRMENT, CODE),
    ("Dementia", UNPUBLISHED_CODE),
    (cld.CLIENT_FUNDING_STATUS, CODE),
    (cld.EVENT_TYPE, CODE),
    ("Event_Reference", TEXT),
    (EVENT_START, DATE),
    (EVENT_END, DATE),
    ("Event_Description", TEXT),
    (cld.EVENT_OUTCOME, CODE),
    (cld.ROUTE_OF_ACCESS, CODE),
    (cld.ASSESSMENT_TYPE, CODE),
    ("Eligible_Needs_Identified", UNPUBLISHED_CODE),
    (cld.METHOD_OF_ASSESSMENT, CODE),
    ("Total_Hrs_Caring_per_week", UNPUBLISHED_CODE),
    ("No_of_adults_being_cared_for", INTEGER),
    (LINKED_PERSON_IDS[0], TEXT),
    (LINKED_PERSON_IDS[1], TEXT),
    (LINKED_PERSON_IDS[2], TEXT),
    (cld.SERVICE_TYPE, CODE),
    (cld.SERVICE_COMPONENT, CODE),
    (cld.DELIVERY_MECHANISM, CODE),
    ("Provider_CQC_Location_ID", CQC_ID),
    ("Provider_CQC_Location_Name", TEXT),
    (cld.REVIEW_REASON, CODE),
    (cld.REVIEW_OUTCOMES_ACHIEVED, CODE),
    (cld.METHOD_OF_REVIEW, CODE),
    ("Unit_Cost", MONEY),
    (cld.COST_FREQUENCY, CODE),
    ("Planned_units_per_week", MONEY),
)
FIELD_NAMES: tuple[str, ...] = tuple(name for name, _ in FIELDS)
_POSITION = {name: i for i, name in enumerate(FIELD_NAMES)}

# Fields whose defined list no source publishes (rules.md section 9): only presence is checked.
UNCHECKED_VALUES: tuple[str, ...] = tuple(n for n, kind in FIELDS if kind == UNPUBLISHED_CODE)

# Fields NHS England/AGEM add centrally; a file must not carry them (rules.md section 6).
CENTRAL_FIELDS = frozenset(
    {"LA_Name", "ImportDate", "ImportFileId", "Der_Unique_Record_ID", "Der_NHS_Number_Pseudo",
     "Der_NHS_Number_Traced_Pseudo", "Der_Birth_Year", "Der_Birth_Month",
     "Der_Age_Event_Start_Date", "Der_Age_Reporting_Period_End_Date", "Der_DBS_Check_Status",
     "Der_Conversation", "Der_Conversation_1"}
)  # fmt: skip

# --- Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: str
    title: str
    source: str


_RULES = (
    Rule("header-missing-column", FAIL, "A CLD column is missing from the header",
         "fields.csv (every Release 2 field)"),
    Rule("header-duplicate-column", FAIL, "A column appears twice in the header", "fields.csv"),
    Rule("header-unknown-column", WARNING, "A column that is not a CLD field",
         "fields.csv; rules.md s6 (fields added centrally must not be sent)"),
    Rule("header-column-case", WARNING, "A column name differs from the CLD name in case or spaces",
         "fields.csv field_name"),
    Rule("no-rows", FAIL, "The file has a header but no rows", "rules.md s1-s2"),
    Rule("row-length", FAIL, "A row has more or fewer values than the header has columns",
         "CSV structure"),
    Rule("empty-row", WARNING, "A row with no values", "CSV structure"),
    Rule("mandatory-blank", FAIL, "A mandatory field is blank",
         "rules.md s7 'Failed: Blank (Mandatory)'; fields.csv requirement and condition"),
    Rule("not-applicable", WARNING, "A field is filled where it does not apply",
         "rules.md s7 cond_ = 0 (not applicable); fields.csv condition"),
    Rule("null-text", WARNING, "The word NULL written instead of leaving the field empty",
         "rules.md s6 'Literal NULL strings'"),
    Rule("code-invalid", FAIL, "A value not in the field's defined list",
         "rules.md s7 'Failed: Invalid'; codes.csv"),
    Rule("code-release-1", FAIL, "Release 1 text where Release 2 text is required",
         "rules.md s7 'Failed: Release 1' (chk_ = -7); codes.csv r1_equivalent"),
    Rule("code-case", WARNING, "A defined-list value in the wrong case or spacing",
         "rules.md s7 (exact R2 text is valid) and s8 (case and wording drift)"),
    Rule("nhs-number-format", FAIL, "An NHS number that is not 10 digits",
         "fields.csv NHS_Number; rules.md s7"),
    Rule("nhs-number-check-digit", FAIL, "An NHS number whose check digit is wrong",
         "rules.md s7 (modulus-11 check digit); NHS Data Dictionary"),
    Rule("nhs-number-spaces", WARNING, "An NHS number written with spaces or hyphens",
         "fields.csv NHS_Number ('10-digit NHS number (no spaces)')"),
    Rule("date-invalid", FAIL, "A date that cannot be read or does not exist",
         "fields.csv (date fields); rules.md s7 'dates parse'"),
    Rule("date-format", WARNING, "A date not written as YYYY-MM-DD",
         "fields.csv Reporting_Period_Start_Date ('ISO YYYY-MM-DD recommended')"),
    Rule("postcode-invalid", FAIL, "A postcode that is not a full UK postcode",
         "fields.csv Postcode ('Full UK postcode')"),
    Rule("postcode-format", WARNING, "A postcode not in its standard form (capitals, one space)",
         "fields.csv Postcode"),
    Rule("number-invalid", FAIL, "A cost, unit or count that is not a number",
         "fields.csv Unit_Cost, Planned_units_per_week, No_of_adults_being_cared_for"),
    Rule("number-negative", WARNING, "A negative cost or number of units",
         "rules.md s6 Costs (negatives are made positive centrally)"),
    Rule("number-precision", WARNING, "More than 2 decimal places",
         "fields.csv Unit_Cost, Planned_units_per_week (NUMERIC(18,2))"),
    Rule("la-code-format", FAIL, "An LA code that is not the numeric council code",
         "fields.csv LA_Code"),
    Rule("la-code-differs", FAIL, "An LA code different from the file's first row",
         "fields.csv LA_Code ('Same value on every row')"),
    Rule("gp-code-format", WARNING, "A GP practice code not in the ODS form (letter + 5 digits)",
         "fields.csv GP_Practice_Code"),
    Rule("cqc-id-format", WARNING, "A CQC location ID not in the form 1-123456789",
         "fields.csv Provider_CQC_Location_ID"),
    Rule("period-order", FAIL, "Reporting period starts after it ends",
         "rules.md s2"),
    Rule("period-quarter-end", WARNING, "Reporting period does not end on a quarter end",
         "rules.md s2; fields.csv Reporting_Period_End_Date"),
    Rule("period-twelve-months", WARNING, "Reporting period is not the rolling 12 months",
         "rules.md s2 ('a rolling 12-month reporting period every quarter')"),
    Rule("period-differs", WARNING, "Reporting period different from the file's first row",
         "fields.csv Reporting_Period_Start_Date ('all rows of one file should carry the "
         "same period')"),
    Rule("event-end-before-start", FAIL, "Event ends before it starts",
         "rules.md s8 ('End before start rows are excluded')"),
    Rule("event-outside-period", WARNING, "Event does not fall in the reporting period",
         "rules.md s1 (inclusion) and s3 (central event filtering)"),
    Rule("birth-after-event", FAIL, "Date of birth after the event started", "rules.md s6 Ages"),
    Rule("birth-after-period", FAIL, "Date of birth after the reporting period ends",
         "rules.md s6 Ages ('Validate DOB')"),
    Rule("age-implausible", WARNING, "Age over 115 at the end of the period (a dummy date?)",
         "rules.md s6 and s8 (dummy DOBs giving ages over 115)"),
    Rule("death-before-birth", FAIL, "Date of death before date of birth", "fields.csv"),
    Rule("death-before-event", FAIL, "Date of death before the event started",
         "rules.md s3 (rows excluded if the person died before the event start)"),
    Rule("death-before-period", WARNING, "Date of death before the reporting period",
         "rules.md s3 (rows excluded if the person died before the period start)"),
    Rule("event-end-after-death", WARNING, "Event ends after the person died",
         "rules.md s3 (derived end date set to the date of death)"),
    Rule("linked-person-self", WARNING, "A carer linked to their own person ID",
         "rules.md s1 and s4 (Adult_n_Linked_Person_ID)"),
    Rule("linked-person-not-in-file", WARNING,
         "A linked person ID that is no service user's ID in this file",
         "fields.csv Adult_1_Linked_Person_ID; rules.md s1 and s4"),
)  # fmt: skip
RULES: dict[str, Rule] = {r.id: r for r in _RULES}


@dataclass(frozen=True, slots=True)
class Finding:
    row: int  # as numbered in the file: the header is row 1
    field: str  # "" for a finding about the whole row or file
    value: str
    rule: str
    message: str

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
        }


FINDING_COLUMNS = ("row", "field", "value", "severity", "rule", "message")


@dataclass
class Summary:
    rows_read: int = 0
    rows_with_failures: int = 0
    rows_with_warnings_only: int = 0
    failures: int = 0
    warnings: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    failures_by_field: Counter[str] = field(default_factory=Counter)
    warnings_by_field: Counter[str] = field(default_factory=Counter)

    @property
    def passed(self) -> bool:
        """No mandatory rule failed: the file can be submitted (warnings allowed)."""
        return self.failures == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "rows_read": self.rows_read,
            "rows_with_failures": self.rows_with_failures,
            "rows_with_warnings_only": self.rows_with_warnings_only,
            "failures": self.failures,
            "warnings": self.warnings,
            "by_rule": {
                rule: {"severity": RULES[rule].severity, "title": RULES[rule].title, "count": n}
                for rule, n in sorted(self.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
            },
            "failures_by_field": dict(self.failures_by_field.most_common()),
            "warnings_by_field": dict(self.warnings_by_field.most_common()),
            "values_not_checked": list(UNCHECKED_VALUES),
        }


class UnreadableFile(ValueError):
    """The input cannot be read as a CLD CSV at all; ``str(error)`` says why."""


# --- Value checks ------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


@cache
def _norm(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).casefold()


@dataclass(frozen=True, slots=True)
class _CodeList:
    valid: frozenset[str]
    by_norm: dict[str, str]  # normalised R2 text -> R2 text
    release1: dict[str, tuple[str, str]]  # normalised R1 text -> (R1 text, R2 text or "")
    shown: str  # the list as the message shows it


@cache
def _code_list(name: str) -> _CodeList:
    values = cld.codes(name)
    r1 = cld.release1_text(name)
    shown = "; ".join(f"'{v}'" for v in values) if len(values) <= 12 else ""
    return _CodeList(
        valid=frozenset(values),
        by_norm={_norm(v): v for v in values},
        release1={_norm(old): (old, new) for old, new in r1.items()},
        shown=shown,
    )


def canonical_code(name: str, value: str) -> str | None:
    """The Release 2 value ``value`` stands for, ignoring case and spacing and mapping Release 1
    text forward (rules.md s8), or None when it is not recognised (or has no R2 equivalent)."""
    codes_ = _code_list(name)
    if value in codes_.valid:
        return value
    n = _norm(value)
    hit = codes_.by_norm.get(n)
    if hit is not None:
        return hit
    old = codes_.release1.get(n)
    return (old[1] or None) if old else None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@cache
def _read_date(text: str) -> tuple[dt.date | None, str | None, str]:
    """(date or None, rule broken or None, message tail)."""
    if _ISO_DATE.fullmatch(text):
        y, m, d = int(text[:4]), int(text[5:7]), int(text[8:])
        ok, why = _real(y, m, d)
        return (dt.date(y, m, d), None, "") if ok else (None, "date-invalid", why)
    iso = _ISO_DATETIME.fullmatch(text)
    uk = _UK_DATE.fullmatch(text)
    if iso:
        y, m, d = int(text[:4]), int(text[5:7]), int(text[8:10])
    elif uk:
        d, m, y = int(uk[1]), int(uk[2]), int(uk[3])
    else:
        return None, "date-invalid", "is not a date; write dates as YYYY-MM-DD, e.g. 2025-03-31"
    ok, why = _real(y, m, d)
    if not ok:
        return None, "date-invalid", why
    day = dt.date(y, m, d)
    return day, "date-format", f"should be written as YYYY-MM-DD: {day.isoformat()}"


def read_date(text: str) -> dt.date | None:
    """The date a CLD date field holds (YYYY-MM-DD, or a form the validator accepts with a
    warning), or None when it is blank or not a real date (the import's reading of a row)."""
    text = text.strip()
    return _read_date(text)[0] if text else None


def _real(y: int, m: int, d: int) -> tuple[bool, str]:
    if not 1 <= m <= 12:
        return False, f"is not a real date: there is no month {m}; write dates as YYYY-MM-DD"
    try:
        dt.date(y, m, d)
    except ValueError:
        last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day if y else 0
        return False, f"is not a real date: {_MONTHS[m - 1]} {y} has {last} days"
    return True, ""


_DIGITS = re.compile(r"\d+")
_NHS_SEPARATORS = re.compile(r"[\s-]")
_GP_CODE = re.compile(r"[A-Z]\d{5}")
_CQC_ID = re.compile(r"1-\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


# --- Which fields apply to a row (fields.csv condition; rules.md s7) ---------------------------

MANDATORY = "M"
OPTIONAL = "O"
NOT_APPLICABLE = "N"
UNDETERMINED = "U"  # the Client_Type or Event_Type that decides it is blank or not recognised

_PERSON_FIELDS_FOR_ALL = (
    LA_CODE_FIELD, PERIOD_START, PERIOD_END, NHS_NUMBER, PERSON_ID, "First_Name", "Last_Name",
    cld.GENDER, cld.ETHNICITY, DATE_OF_BIRTH, cld.CLIENT_TYPE, POSTCODE_FIELD,
    cld.ACCOMMODATION_STATUS, cld.HAS_UNPAID_CARER,
)  # fmt: skip
_SERVICE_USER_ONLY = (
    "Autism_Spectrum_Disorder_ASD", cld.VISUAL_IMPAIRMENT, cld.HEARING_IMPAIRMENT, "Dementia",
)  # fmt: skip
_CARER_FIELDS = ("Total_Hrs_Caring_per_week", "No_of_adults_being_cared_for", *LINKED_PERSON_IDS)
_EVENT_FIELDS_FOR_ALL = (
    "Event_Reference",
    EVENT_START,
    EVENT_END,
    "Event_Description",
    cld.EVENT_OUTCOME,
)
_BY_EVENT_TYPE = {
    cld.REQUEST: (cld.ROUTE_OF_ACCESS,),
    cld.ASSESSMENT: (cld.ASSESSMENT_TYPE, "Eligible_Needs_Identified", cld.METHOD_OF_ASSESSMENT),
    cld.SERVICE: (
        cld.SERVICE_TYPE,
        cld.SERVICE_COMPONENT,
        cld.DELIVERY_MECHANISM,
        "Provider_CQC_Location_ID",
        "Provider_CQC_Location_Name",
        *COST_FIELDS,
    ),
    cld.REVIEW: (cld.REVIEW_REASON, cld.REVIEW_OUTCOMES_ACHIEVED, cld.METHOD_OF_REVIEW),
}
# Mandatory whenever they apply (fields.csv): the rest of an event type's fields are optional
# or depend on other fields (below).
_MANDATORY_FOR_EVENT_TYPE = frozenset(
    {cld.ROUTE_OF_ACCESS, cld.ASSESSMENT_TYPE, cld.METHOD_OF_ASSESSMENT, cld.SERVICE_TYPE,
     cld.SERVICE_COMPONENT, cld.REVIEW_REASON, cld.METHOD_OF_REVIEW}
)  # fmt: skip


class RowContext(NamedTuple):
    """What decides which fields a row needs: each from the row's own values."""

    client_type: str | None  # the R2 Client_Type, or None if blank or not recognised
    event_type: str | None  # the R2 Event_Type, or None if blank or not recognised
    financial_assessment: bool = False
    has_death: bool = False
    planned_review: bool = False
    employment_mandatory: bool = False
    costs_mandatory: bool = False


@cache
def requirements(ctx: RowContext) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(MANDATORY / OPTIONAL / NOT_APPLICABLE / UNDETERMINED for each field in ``FIELD_NAMES``
    order, the mandatory fields): fields.csv ``requirement`` and ``condition``; rules.md s7,
    DHSC's R1-era rules."""
    req = _requirements(ctx)
    return req, tuple(n for n, r in zip(FIELD_NAMES, req, strict=True) if r == MANDATORY)


def _requirements(ctx: RowContext) -> tuple[str, ...]:
    req = dict.fromkeys(FIELD_NAMES, OPTIONAL)  # GP practice, date of death: every row, optional
    ct, et = ctx.client_type, ctx.event_type
    by_association = ct == cld.UNPAID_CARER_BY_ASSOCIATION
    service_user = ct == cld.SERVICE_USER
    carer = ct in (cld.UNPAID_CARER, cld.UNPAID_CARER_BY_ASSOCIATION)
    for name in _PERSON_FIELDS_FOR_ALL:
        req[name] = MANDATORY
    # Carers and service users (fields.csv Client_Funding_Status, ASD...; Carers module).
    person_specific = {
        **dict.fromkeys(_SERVICE_USER_ONLY, OPTIONAL if service_user else NOT_APPLICABLE),
        **dict.fromkeys(_CARER_FIELDS, OPTIONAL if carer else NOT_APPLICABLE),
    }
    if ct is None:
        person_specific = dict.fromkeys(person_specific, UNDETERMINED)
    req.update(person_specific)
    # Employment status: mandatory for 18-64 service users with a learning-disability PSR.
    req[cld.EMPLOYMENT_STATUS] = MANDATORY if ctx.employment_mandatory else OPTIONAL

    event_fields = [*_EVENT_FIELDS_FOR_ALL, cld.EVENT_TYPE]
    for names in _BY_EVENT_TYPE.values():
        event_fields.extend(names)
    if by_association:
        # Linking-only rows: no event (rules.md s7 first bullet; fields.csv Event_Type).
        req.update(dict.fromkeys(event_fields, NOT_APPLICABLE))
        req[cld.PRIMARY_SUPPORT_REASON] = OPTIONAL
        req[cld.CLIENT_FUNDING_STATUS] = NOT_APPLICABLE
        return tuple(req[n] for n in FIELD_NAMES)
    # Every other row is an event row (or a row whose client type is not known).
    req[cld.EVENT_TYPE] = MANDATORY if ct is not None else UNDETERMINED
    req["Event_Reference"] = OPTIONAL
    req["Event_Description"] = OPTIONAL
    req[EVENT_START] = MANDATORY if ct is not None else UNDETERMINED
    if et is None:
        for names in _BY_EVENT_TYPE.values():
            req.update(dict.fromkeys(names, UNDETERMINED))
        for name in (EVENT_END, cld.EVENT_OUTCOME, cld.PRIMARY_SUPPORT_REASON):
            req[name] = UNDETERMINED
        req[cld.CLIENT_FUNDING_STATUS] = (
            UNDETERMINED if service_user or ct is None else (NOT_APPLICABLE)
        )
        return tuple(req[n] for n in FIELD_NAMES)
    for etype, names in _BY_EVENT_TYPE.items():
        for name in names:
            if etype != et:
                req[name] = NOT_APPLICABLE
            else:
                req[name] = MANDATORY if name in _MANDATORY_FOR_EVENT_TYPE else OPTIONAL
    # PSR: mandatory except on requests.
    req[cld.PRIMARY_SUPPORT_REASON] = OPTIONAL if et == cld.REQUEST else MANDATORY
    # End date: mandatory except on open services; on services once the person has died.
    req[EVENT_END] = MANDATORY if et != cld.SERVICE or ctx.has_death else OPTIONAL
    # Outcome and method of assessment: not mandatory on financial assessments.
    req[cld.EVENT_OUTCOME] = OPTIONAL if ctx.financial_assessment else MANDATORY
    if et == cld.ASSESSMENT and ctx.financial_assessment:
        req[cld.METHOD_OF_ASSESSMENT] = OPTIONAL
    # Review outcomes achieved: mandatory on planned reviews only.
    if et == cld.REVIEW and ctx.planned_review:
        req[cld.REVIEW_OUTCOMES_ACHIEVED] = MANDATORY
    # Client funding status: service users only; mandatory on services, reviews and financial
    # assessments.
    if service_user:
        mandatory = et in (cld.SERVICE, cld.REVIEW) or ctx.financial_assessment
        req[cld.CLIENT_FUNDING_STATUS] = MANDATORY if mandatory else OPTIONAL
    else:
        req[cld.CLIENT_FUNDING_STATUS] = UNDETERMINED if ct is None else NOT_APPLICABLE
    # Costs: mandatory on some services (fields.csv Unit_Cost condition).
    if et == cld.SERVICE and ctx.costs_mandatory:
        req.update(dict.fromkeys(COST_FIELDS, MANDATORY))
    return tuple(req[n] for n in FIELD_NAMES)


_WHERE = {
    cld.SERVICE_USER: "service user",
    cld.UNPAID_CARER: "unpaid carer",
    cld.UNPAID_CARER_BY_ASSOCIATION: "'Unpaid carer known by association' (linking-only)",
}
_WHY_MANDATORY = {
    cld.PRIMARY_SUPPORT_REASON: "it is required on every event except a Request ('Unknown' "
    "is allowed)",
    EVENT_END: "only a Service still open may have no end date (and not once the person has died)",
    cld.EMPLOYMENT_STATUS: "it is required for service users aged 18 to 64 whose primary "
    "support reason is learning disability support",
    cld.CLIENT_FUNDING_STATUS: "it is required for service users on Service and Review events "
    "and on financial assessments",
    cld.REVIEW_OUTCOMES_ACHIEVED: "it is required on planned reviews",
    "Unit_Cost": "costs are required on long-term, carer-support, short-term residential or "
    "nursing and respite services not delivered as CASSR commissioned support",
}
_WHY_MANDATORY[cld.COST_FREQUENCY] = _WHY_MANDATORY["Unit_Cost"]
_WHY_MANDATORY["Planned_units_per_week"] = _WHY_MANDATORY["Unit_Cost"]

_COST_COMPONENTS = frozenset(
    {"short term residential care", "short term nursing care", "unpaid carer respite",
     "carer respite"}
)  # fmt: skip
_LD_SUPPORT = "learning disability support"


@cache
def _period_checks(start_p: dt.date, end_p: dt.date) -> tuple[tuple[str, dt.date, str, str], ...]:
    """Findings (field, value, rule, message) about a stated reporting period (rules.md s2)."""
    found: list[tuple[str, dt.date, str, str]] = []
    if start_p > end_p:
        found.append(
            (
                PERIOD_START,
                start_p,
                "period-order",
                f"Reporting_Period_Start_Date {start_p} is after Reporting_Period_End_Date "
                f"{end_p}: the period must start before it ends",
            )
        )
    else:
        if (end_p + dt.timedelta(days=1)).day != 1 or end_p.month not in (3, 6, 9, 12):
            found.append(
                (
                    PERIOD_END,
                    end_p,
                    "period-quarter-end",
                    f"Reporting_Period_End_Date {end_p} is not the last day of a quarter "
                    "(31 March, 30 June, 30 September or 31 December)",
                )
            )
        expected = add_months(end_p + dt.timedelta(days=1), -12)
        if start_p != expected:
            found.append(
                (
                    PERIOD_START,
                    start_p,
                    "period-twelve-months",
                    f"Reporting_Period_Start_Date {start_p} does not begin the rolling 12 "
                    f"months ending {end_p}: expected {expected}",
                )
            )
    return tuple(found)


# --- The validator -----------------------------------------------------------------------------


class CLDValidator:
    """Checks the header given, then each row in turn (``check_row``), then the file as a whole
    (``finish``); every finding is also counted in ``summary``."""

    def __init__(self, header: Sequence[str]) -> None:
        self.summary = Summary()
        self.header_findings: list[Finding] = []
        self._index: dict[str, int] = {}
        self._width = len(header)
        self._first_la_code: str | None = None
        self._first_period: tuple[str, str] | None = None
        self._service_users: set[str] = set()
        self._links: list[tuple[int, str, str]] = []  # (row, field, linked ID)
        self._read_header(header)
        kinds = dict(FIELDS)
        # The key of each column in a row's {field: value}: its field, or a placeholder for a
        # column that is not one (or repeats one).
        by_column = {i: name for name, i in self._index.items()}
        self._keys = tuple(by_column.get(i, f"\x00column {i + 1}") for i in range(self._width))
        self._spec = {name: (_POSITION[name], kinds[name]) for name in self._index}
        self._good_postcodes: set[str] = set()
        self._plans: dict[RowContext, tuple[tuple, tuple, tuple]] = {}

    @property
    def columns(self) -> dict[str, int]:
        """Each CLD field found in the header and its column (0-based; the first if repeated)."""
        return dict(self._index)

    # Header ------------------------------------------------------------------------------------

    def _read_header(self, header: Sequence[str]) -> None:
        by_norm = {_norm(n): n for n in FIELD_NAMES}
        known = 0
        for i, raw in enumerate(header):
            name = raw.strip()
            real = name if name in _POSITION else by_norm.get(_norm(name))
            if real is None:
                if name in CENTRAL_FIELDS or name.startswith("Der_"):
                    why = "it is added centrally by NHS England and must not be sent; remove it"
                else:
                    why = "it is not a CLD Release 2 field; remove it or correct its name"
                self._header("header-unknown-column", name, f"Column '{name}' is ignored: {why}")
                continue
            known += 1
            if real in self._index:
                self._header(
                    "header-duplicate-column",
                    real,
                    f"Column {real} appears more than once (columns {self._index[real] + 1} "
                    f"and {i + 1}); keep one (only the first is checked)",
                )
                continue
            if name != real:
                self._header(
                    "header-column-case", real, f"Column '{name}' should be named exactly {real}"
                )
            self._index[real] = i
        if not known:
            hint = ""
            joined = "".join(header)
            for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
                if sep in joined:
                    hint = f" It looks separated by {label}: a CLD file must be comma-separated."
                    break
            raise UnreadableFile(
                "row 1 is not a CLD header: none of its columns is a CLD field name (such as "
                f"LA_Code, NHS_Number, Event_Type).{hint}"
            )
        missing = [n for n in FIELD_NAMES if n not in self._index]
        for name in missing:
            self._header(
                "header-missing-column",
                name,
                f"Column {name} is missing: every CLD field must have a column, even if empty",
            )

    def _header(self, rule: str, name: str, message: str) -> None:
        f = Finding(1, name, name, rule, message)
        self.header_findings.append(f)
        self._count(f)

    def _count(self, f: Finding) -> str:
        severity = RULES[f.rule].severity
        self.summary.by_rule[f.rule] += 1
        if severity == FAIL:
            self.summary.failures += 1
            self.summary.failures_by_field[f.field or "(row)"] += 1
        else:
            self.summary.warnings += 1
            self.summary.warnings_by_field[f.field or "(row)"] += 1
        return severity

    # Rows --------------------------------------------------------------------------------------

    def check_record(self, row_number: int, record: Mapping[str, str]) -> list[Finding]:
        """Check a row given as {field: value} (for the export and import)."""
        values = [""] * self._width
        for name, i in self._index.items():
            values[i] = record.get(name) or ""
        return self.check_row(row_number, values)

    def check_row(self, row_number: int, values: Sequence[str]) -> list[Finding]:
        """Every finding for one data row (values in the header's column order)."""
        self.summary.rows_read += 1
        out: list[Finding] = []
        if len(values) != self._width:
            if not any(v.strip() for v in values):
                out.append(Finding(row_number, "", "", "empty-row", "Row is empty; remove it"))
            else:
                out.append(
                    Finding(
                        row_number,
                        "",
                        "",
                        "row-length",
                        f"Row has {len(values)} values but the header has {self._width} "
                        "columns: the row was not checked. Look for a comma inside a value "
                        "that is not in double quotes, or a missing value",
                    )
                )
            return self._tally(out)
        joined = "\x00".join(values)
        if not joined.replace("\x00", "").strip():
            return self._tally(
                [Finding(row_number, "", "", "empty-row", "Row is empty; remove it")]
            )
        if (
            " \x00" in joined
            or "\x00 " in joined
            or "\t" in joined
            or joined[0].isspace()
            or joined[-1].isspace()
            or "NULL" in joined.upper()
        ):
            v = self._cleaned(row_number, values, out)
        else:
            v = dict(zip(self._keys, values, strict=True))
        dates: dict[str, dt.date] = {}
        ctx = self._context(v)
        plan = self._plans.get(ctx)
        if plan is None:
            plan = self._plans[ctx] = self._plan(ctx)
        mandatory, not_applicable, checks = plan
        for name in mandatory:
            if not v[name]:
                out.append(self._blank(row_number, name, ctx))
        for name in not_applicable:
            if v[name]:
                out.append(self._not_applicable(row_number, name, v[name], ctx))
        for name, kind, valid in checks:
            text = v[name]
            if not text:
                continue
            if kind == CODE:
                if text not in valid:
                    self._check_code(row_number, name, text, out)
            elif kind == DATE:
                day, rule, tail = _read_date(text)
                if rule is not None:
                    out.append(Finding(row_number, name, text, rule, f"{name} {text} {tail}"))
                if day is not None:
                    dates[name] = day
            elif kind == NHS:
                self._check_nhs(row_number, text, out)
            elif kind == POSTCODE:
                if text not in self._good_postcodes:
                    self._check_postcode(row_number, text, out)
            elif kind in (MONEY, INTEGER):
                self._check_number(row_number, name, kind, text, out)
            elif kind == LA_CODE:
                self._check_la_code(row_number, text, out)
            elif kind == GP_CODE:
                if not _GP_CODE.fullmatch(text):
                    out.append(
                        Finding(
                            row_number,
                            name,
                            text,
                            "gp-code-format",
                            f"GP_Practice_Code {text} is not a GP practice ODS code (a capital "
                            "letter and 5 digits, e.g. A81001); check it",
                        )
                    )
            elif kind == CQC_ID and not _CQC_ID.fullmatch(text):
                out.append(
                    Finding(
                        row_number,
                        name,
                        text,
                        "cqc-id-format",
                        f"Provider_CQC_Location_ID {text} is not a CQC location ID ('1-' "
                        "and digits, e.g. 1-123456789); check it on the CQC register",
                    )
                )
        g = v.get
        self._check_dates(row_number, v, dates, ctx, out)
        person = g(PERSON_ID, "")
        if ctx.client_type == cld.SERVICE_USER and person:
            self._service_users.add(person)
        if ctx.client_type in (cld.UNPAID_CARER, cld.UNPAID_CARER_BY_ASSOCIATION):
            for name in LINKED_PERSON_IDS:
                linked = g(name, "")
                if not linked:
                    continue
                if linked == person:
                    out.append(
                        Finding(
                            row_number,
                            name,
                            linked,
                            "linked-person-self",
                            f"{name} {linked} is this carer's own LA_Person_Unique_"
                            "Identifier: give the ID of the adult they care for",
                        )
                    )
                else:
                    self._links.append((row_number, name, linked))
        return self._tally(out)

    def _plan(self, ctx: RowContext) -> tuple[tuple, tuple, tuple]:
        """For rows like ``ctx``, the columns present that are (mandatory, not applicable, to
        check: (field, kind, the code list's valid values)); fields with nothing to check (free
        text, lists with no published values) are not in the last."""
        req, mandatory = requirements(ctx)
        present = self._spec
        not_applicable = tuple(
            n for n, r in zip(FIELD_NAMES, req, strict=True) if r == NOT_APPLICABLE and n in present
        )
        checks = tuple(
            (n, kind, _code_list(n).valid if kind == CODE else frozenset())
            for n, kind in FIELDS
            if n in present
            and req[_POSITION[n]] != NOT_APPLICABLE
            and kind not in (TEXT, UNPUBLISHED_CODE)
        )
        return tuple(n for n in mandatory if n in present), not_applicable, checks

    def _cleaned(self, row: int, values: Sequence[str], out: list[Finding]) -> dict[str, str]:
        """{field: value} with white space trimmed (kept on a code, for its own finding) and the
        word NULL read as empty (rules.md s6), for the rare row that needs it."""
        v = {}
        spec = self._spec
        for key, raw in zip(self._keys, values, strict=True):
            text = raw.strip()
            if text.upper() == "NULL":
                out.append(
                    Finding(
                        row,
                        key,
                        raw,
                        "null-text",
                        f"{key} has the word NULL: leave the field empty instead",
                    )
                )
                text = ""
            elif text and spec.get(key, (0, TEXT))[1] == CODE:
                text = raw
            v[key] = text
        return v

    def _tally(self, out: list[Finding]) -> list[Finding]:
        worst = None
        for f in out:
            if self._count(f) == FAIL:
                worst = FAIL
            elif worst is None:
                worst = WARNING
        if worst == FAIL:
            self.summary.rows_with_failures += 1
        elif worst == WARNING:
            self.summary.rows_with_warnings_only += 1
        return out

    def _context(self, v: Mapping[str, str]) -> RowContext:
        ct = canonical_code(cld.CLIENT_TYPE, v.get(cld.CLIENT_TYPE, ""))
        et_text = v.get(cld.EVENT_TYPE, "")
        et = canonical_code(cld.EVENT_TYPE, et_text) if et_text else None
        assessment_type = _norm(v.get(cld.ASSESSMENT_TYPE, ""))
        # The same rules the record applies when it is written (rules.cld).
        financial = et == cld.ASSESSMENT and not cld.method_of_assessment_required(assessment_type)
        planned = et == cld.REVIEW and cld.review_outcomes_required(
            _norm(v.get(cld.REVIEW_REASON, ""))
        )
        employment = False
        if ct == cld.SERVICE_USER and _norm(v.get(cld.PRIMARY_SUPPORT_REASON, "")) == _LD_SUPPORT:
            born = _read_date(v.get(DATE_OF_BIRTH, ""))[0] if v.get(DATE_OF_BIRTH) else None
            end = _read_date(v.get(PERIOD_END, ""))[0] if v.get(PERIOD_END) else None
            if born and end:
                age = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
                employment = 18 <= age <= 64
        costs = False
        if et == cld.SERVICE:
            # fields.csv Unit_Cost: Delivery_Mechanism is not CASSR commissioned support (a blank
            # one is not) AND (long-term support, or component short-term residential/nursing
            # care or carer respite, or carer support).
            service_type = _norm(v.get(cld.SERVICE_TYPE, ""))
            commissioned = _norm(v.get(cld.DELIVERY_MECHANISM, "")) == "cassr commissioned support"
            costs = not commissioned and (
                service_type.startswith(
                    ("long term support:", "unpaid carer support:", "carer support:")
                )
                or _norm(v.get(cld.SERVICE_COMPONENT, "")) in _COST_COMPONENTS
            )
        return RowContext(
            client_type=ct,
            event_type=et,
            financial_assessment=financial,
            has_death=bool(v.get(DATE_OF_DEATH)),
            planned_review=planned,
            employment_mandatory=employment,
            costs_mandatory=costs,
        )

    def _blank(self, row: int, name: str, ctx: RowContext) -> Finding:
        why = _WHY_MANDATORY.get(name)
        if name == EVENT_END and ctx.event_type == cld.SERVICE:
            why = "the person has a Date_of_Death, so the service must have ended"
        elif name == EVENT_END and ctx.event_type:
            why = f"only completed {ctx.event_type} events are sent, so they have an end date"
        elif name == cld.EVENT_TYPE:
            why = "every row other than a linking-only carer row is an event"
        elif name == cld.EVENT_OUTCOME:
            why = "every event other than a financial assessment needs an outcome"
        elif why is None and ctx.event_type and name in _BY_EVENT_TYPE.get(ctx.event_type, ()):
            why = f"it is required on every {ctx.event_type} event"
        elif why is None:
            why = "it is required on every row"
        return Finding(row, name, "", "mandatory-blank", f"{name} is blank: {why}")

    def _not_applicable(self, row: int, name: str, raw: str, ctx: RowContext) -> Finding:
        if ctx.client_type == cld.UNPAID_CARER_BY_ASSOCIATION and name not in _SERVICE_USER_ONLY:
            where = "a linking-only 'Unpaid carer known by association' row, which has no event"
        elif name in _CARER_FIELDS:
            where = f"a {_WHERE.get(ctx.client_type or '', 'non-carer')} row: it is for carers"
        elif name in _SERVICE_USER_ONLY or name == cld.CLIENT_FUNDING_STATUS:
            where = f"an {_WHERE.get(ctx.client_type or '', '')} row: it is for service users"
        else:
            owner = next(et for et, names in _BY_EVENT_TYPE.items() if name in names)
            where = f"a {ctx.event_type} row: it applies only to {owner} events"
        return Finding(
            row,
            name,
            raw,
            "not-applicable",
            f"{name} is filled on {where}; leave it empty (or check the Client_Type and "
            "Event_Type)",
        )

    def _check_code(self, row: int, name: str, raw: str, out: list[Finding]) -> None:
        codes_ = _code_list(name)
        text = raw.strip()
        n = _norm(text)
        hit = codes_.by_norm.get(n)
        if hit is not None:
            out.append(
                Finding(
                    row, name, raw, "code-case", f"{name} '{raw}' should be written exactly '{hit}'"
                )
            )
            return
        old = codes_.release1.get(n)
        if old is not None:
            if old[1]:
                message = f"{name} '{raw}' is Release 1 text: use the Release 2 value '{old[1]}'"
            else:
                message = (
                    f"{name} '{raw}' is a Release 1 value with no Release 2 equivalent: "
                    "choose a Release 2 value"
                )
            out.append(Finding(row, name, raw, "code-release-1", message))
            return
        expected = f"one of {codes_.shown}" if codes_.shown else "a value from the CLD code list"
        out.append(
            Finding(
                row,
                name,
                raw,
                "code-invalid",
                f"{name} '{raw}' is not a CLD value; expected {expected}",
            )
        )

    def _check_nhs(self, row: int, text: str, out: list[Finding]) -> None:
        raw = text
        digits = text
        if not _DIGITS.fullmatch(text):
            digits = _NHS_SEPARATORS.sub("", text)
            if _DIGITS.fullmatch(digits) and len(digits) == 10:
                out.append(
                    Finding(
                        row,
                        NHS_NUMBER,
                        raw,
                        "nhs-number-spaces",
                        f"NHS_Number {text} should be written as 10 digits with no spaces: "
                        f"{digits}",
                    )
                )
            else:
                out.append(
                    Finding(
                        row,
                        NHS_NUMBER,
                        raw,
                        "nhs-number-format",
                        f"NHS_Number {text} is not an NHS number: it must be 10 digits "
                        "and nothing else",
                    )
                )
                return
        if len(digits) != 10:
            out.append(
                Finding(
                    row,
                    NHS_NUMBER,
                    raw,
                    "nhs-number-format",
                    f"NHS_Number {text} has {len(digits)} digits: an NHS number has 10",
                )
            )
            return
        expected = nhs_number.check_digit(digits[:9])
        if expected is None or expected != int(digits[9]):
            out.append(
                Finding(
                    row,
                    NHS_NUMBER,
                    raw,
                    "nhs-number-check-digit",
                    f"NHS_Number {text} is not a valid NHS number (its check digit is "
                    "wrong): check it against the person's record or the NHS Spine",
                )
            )

    def _check_postcode(self, row: int, text: str, out: list[Finding]) -> None:
        raw = text
        try:
            standard = postcode.parse(text)
        except postcode.InvalidPostcode:
            if postcode.is_partial_postcode(text):
                why = "is only part of a postcode: give the full postcode, e.g. NR1 2DH"
            else:
                why = "is not a UK postcode: give the full postcode, e.g. NR1 2DH"
            out.append(
                Finding(row, POSTCODE_FIELD, raw, "postcode-invalid", f"Postcode {text} {why}")
            )
            return
        if standard == text:
            self._good_postcodes.add(text)
        else:
            out.append(
                Finding(
                    row,
                    POSTCODE_FIELD,
                    raw,
                    "postcode-format",
                    f"Postcode {text} should be written {standard}",
                )
            )

    def _check_number(self, row: int, name: str, kind: str, text: str, out: list[Finding]) -> None:
        raw = text
        plain = text.replace(",", "") if kind == MONEY else text
        if kind == MONEY and plain.startswith("£"):
            plain = plain[1:]
        if not _NUMBER.fullmatch(plain):
            what = "a whole number, e.g. 2" if kind == INTEGER else "a number, e.g. 125.50"
            out.append(Finding(row, name, raw, "number-invalid", f"{name} '{text}' is not {what}"))
            return
        if kind == INTEGER:
            if "." in plain or plain.startswith("-"):
                out.append(
                    Finding(
                        row,
                        name,
                        raw,
                        "number-invalid",
                        f"{name} '{text}' must be a whole number of 0 or more",
                    )
                )
            return
        if plain != text:
            out.append(
                Finding(
                    row,
                    name,
                    raw,
                    "number-invalid",
                    f"{name} '{text}' must be a plain number without £ or commas: {plain}",
                )
            )
            return
        try:
            amount = Decimal(plain)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return
        if amount < 0:
            out.append(
                Finding(
                    row,
                    name,
                    raw,
                    "number-negative",
                    f"{name} {text} is negative: give the amount as a positive number",
                )
            )
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            out.append(
                Finding(
                    row,
                    name,
                    raw,
                    "number-precision",
                    f"{name} {text} has more than 2 decimal places: round it to "
                    "the penny (2 places)",
                )
            )

    def _check_la_code(self, row: int, text: str, out: list[Finding]) -> None:
        raw = text
        if not _DIGITS.fullmatch(text):
            out.append(
                Finding(
                    row,
                    LA_CODE_FIELD,
                    raw,
                    "la-code-format",
                    f"LA_Code {text} is not the council's numeric CASSR code (as "
                    "used in national adult social care collections)",
                )
            )
            return
        if self._first_la_code is None:
            self._first_la_code = text
        elif text != self._first_la_code:
            out.append(
                Finding(
                    row,
                    LA_CODE_FIELD,
                    raw,
                    "la-code-differs",
                    f"LA_Code {text} differs from {self._first_la_code} on the "
                    "first row: a file is one council's, with the same code on "
                    "every row",
                )
            )

    def _check_dates(
        self,
        row: int,
        v: Mapping[str, str],
        dates: Mapping[str, dt.date],
        ctx: RowContext,
        out: list[Finding],
    ) -> None:
        start_p, end_p = dates.get(PERIOD_START), dates.get(PERIOD_END)
        born, died = dates.get(DATE_OF_BIRTH), dates.get(DATE_OF_DEATH)
        start = dates.get(EVENT_START)  # only dates of fields that apply are read
        end = dates.get(EVENT_END)

        def add(name: str, value: dt.date, rule: str, message: str) -> None:
            out.append(Finding(row, name, value.isoformat(), rule, message))

        if start_p and end_p:
            for name, value, rule, message in _period_checks(start_p, end_p):
                add(name, value, rule, message)
            period = (v.get(PERIOD_START, ""), v.get(PERIOD_END, ""))
            if self._first_period is None:
                self._first_period = period
            elif period != self._first_period:
                add(
                    PERIOD_START,
                    start_p,
                    "period-differs",
                    f"Reporting period {period[0]} to {period[1]} differs from "
                    f"{self._first_period[0]} to {self._first_period[1]} on the first row: "
                    "every row of a file should carry the same period",
                )
        if start and end and end < start:
            add(
                EVENT_END,
                end,
                "event-end-before-start",
                f"Event_End_Date {end} is before Event_Start_Date {start}: an event cannot end "
                "before it starts; correct one of the dates",
            )
        elif start and start_p and end_p and start_p <= end_p and ctx.event_type:
            self._check_in_period(row, ctx.event_type, start, end, start_p, end_p, died, add)
        if born:
            if end_p and born > end_p:
                add(
                    DATE_OF_BIRTH,
                    born,
                    "birth-after-period",
                    f"Date_of_Birth {born} is after the reporting period ends ({end_p}); "
                    "check the date",
                )
            elif start and born > start:
                add(
                    DATE_OF_BIRTH,
                    born,
                    "birth-after-event",
                    f"Date_of_Birth {born} is after Event_Start_Date {start}: a person cannot "
                    "have an event before they were born",
                )
            elif (
                end_p
                and end_p.year - born.year - ((end_p.month, end_p.day) < (born.month, born.day))
                > 115
            ):
                add(
                    DATE_OF_BIRTH,
                    born,
                    "age-implausible",
                    f"Date_of_Birth {born} makes the person over 115 at {end_p}: is it a "
                    "placeholder date? Give the real date of birth",
                )
        if died:
            if born and died < born:
                add(
                    DATE_OF_DEATH,
                    died,
                    "death-before-birth",
                    f"Date_of_Death {died} is before Date_of_Birth {born}",
                )
            elif start and died < start:
                add(
                    DATE_OF_DEATH,
                    died,
                    "death-before-event",
                    f"Date_of_Death {died} is before Event_Start_Date {start}: the row will be "
                    "excluded; correct the dates or remove the event",
                )
            elif start_p and died < start_p:
                add(
                    DATE_OF_DEATH,
                    died,
                    "death-before-period",
                    f"Date_of_Death {died} is before the reporting period starts ({start_p}): "
                    "the row will be excluded centrally; should it be sent?",
                )
            if end and start and died >= start and end > died:
                add(
                    EVENT_END,
                    end,
                    "event-end-after-death",
                    f"Event_End_Date {end} is after Date_of_Death {died}: the event is treated "
                    "as ending on the date of death; correct the end date",
                )

    @staticmethod
    def _check_in_period(row, event_type, start, end, start_p, end_p, died, add) -> None:
        """rules.md s3: requests, assessments and reviews count when they end in the period (and
        start by its end); services when they start by its end and end (if at all) after its
        start. The derived end date is the date of death when death comes first."""
        if end and died and died < end:
            end = died
        if start > end_p:
            add(
                EVENT_START,
                start,
                "event-outside-period",
                f"Event_Start_Date {start} is after the reporting period ends ({end_p}): the "
                "event will not be counted; send it in a later return",
            )
        elif event_type == cld.SERVICE:
            if end and end < start_p:
                add(
                    EVENT_END,
                    end,
                    "event-outside-period",
                    f"Event_End_Date {end} is before the reporting period starts ({start_p}): "
                    "only services active in the period are sent",
                )
        elif end and not start_p <= end <= end_p:
            when = (
                "before the reporting period starts"
                if end < start_p
                else ("after the reporting period ends")
            )
            add(
                EVENT_END,
                end,
                "event-outside-period",
                f"Event_End_Date {end} is {when} ({start_p} to {end_p}): only {event_type} "
                "events completed in the period are sent",
            )

    # End of file -------------------------------------------------------------------------------

    def finish(self) -> list[Finding]:
        """Checks that need the whole file: linked person IDs (a carer's cared-for adults must be
        service users in the submission: rules.md s1) and a file with no rows."""
        out = []
        if self.summary.rows_read == 0:
            out.append(
                Finding(
                    1,
                    "",
                    "",
                    "no-rows",
                    "The file has a header but no rows: there is nothing to submit",
                )
            )
        for row, name, linked in self._links:
            if linked not in self._service_users:
                out.append(
                    Finding(
                        row,
                        name,
                        linked,
                        "linked-person-not-in-file",
                        f"{name} {linked} is not the LA_Person_Unique_Identifier of any "
                        "service user in this file: a carer is linked only to adults who "
                        "are service users in the submission; check the ID",
                    )
                )
        for f in out:
            self._count(f)
        return out


# --- Reading a file ----------------------------------------------------------------------------


class CLDValidation:
    """Iterate to stream the findings of a CLD CSV (header findings first, then each row's,
    then the whole file's); ``summary`` is complete once iteration ends. Raises
    :class:`UnreadableFile` when the input is not a CSV file with a CLD header."""

    def __init__(self, lines: Iterable[str], name: str = "the file") -> None:
        self._lines = lines
        self.name = name
        self.validator: CLDValidator | None = None

    @property
    def summary(self) -> Summary:
        return self.validator.summary if self.validator else Summary()

    def __iter__(self) -> Iterator[Finding]:
        reader = csv.reader(self._lines)
        row_number = 1
        try:
            header = next(reader, None)
            while header is not None and not any(h.strip() for h in header):
                header = next(reader, None)  # blank lines before the header
            if header is None:
                raise UnreadableFile(f"{self.name} is empty: expected a CLD header row")
            if any("\x00" in h for h in header):
                raise UnreadableFile(f"{self.name} is not a text CSV file (it has NUL bytes)")
            validator = self.validator = CLDValidator(header)
            yield from validator.header_findings
            for values in reader:
                row_number += 1
                if not values:  # a blank line
                    continue
                yield from validator.check_row(row_number, values)
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"{self.name} is not UTF-8 text (at row {row_number}): save it as 'CSV UTF-8'"
            ) from None
        except csv.Error as e:
            raise UnreadableFile(f"{self.name}, row {row_number + 1}: not valid CSV: {e}") from None
        yield from validator.finish()


def validate_csv(lines: Iterable[str], name: str = "the file") -> CLDValidation:
    """Stream the findings of CLD CSV text (a file opened with ``newline=""`` and
    ``encoding="utf-8-sig"``, or any iterable of lines)."""
    return CLDValidation(lines, name)
