from django.db import models

from carebridge.rules import cld
from carebridge.rules import nhs_number as nhs


class Person(models.Model):
    """A person known to adult social care: someone who may need care and support, or an
    unpaid carer. ``person_id`` is the council person ID (CLD ``LA_Person_Unique_Identifier``),
    stable for life."""

    person_id = models.CharField("Council person ID", max_length=20, unique=True)
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True, unique=True)
    nhs_number_status = models.CharField(
        "NHS number verification status",
        max_length=2,
        choices=list(nhs.VERIFICATION_STATUS.items()),
        default="07",
    )
    title = models.CharField(max_length=20, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(db_index=True)
    date_of_death = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=cld.choices(cld.GENDER))
    ethnicity = models.CharField(max_length=120, choices=cld.choices(cld.ETHNICITY))
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    postcode_compact = models.CharField(max_length=7, blank=True, db_index=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    gp_practice = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_people",
        limit_choices_to={"kind": "gp_practice"},
    )
    primary_support_reason = models.CharField(
        max_length=80, choices=cld.choices(cld.PRIMARY_SUPPORT_REASON), default=cld.UNKNOWN
    )
    communication_needs = models.TextField(blank=True)
    is_restricted = models.BooleanField(
        "Restricted record",
        default=False,
        help_text="Only named workers can find or open a restricted record.",
    )
    # Optimistic concurrency: incremented on every change; an edit based on an older
    # version is refused with the other person's changes shown (never silently overwritten).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "given_name"])]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.full_name} ({self.person_id})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def nhs_number_formatted(self) -> str:
        return nhs.NHSNumber(self.nhs_number).formatted() if self.nhs_number else ""

    @property
    def address_lines(self) -> list[str]:
        return [
            p for p in (self.address_line_1, self.address_line_2, self.town, self.postcode) if p
        ]
