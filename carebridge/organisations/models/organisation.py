from django.db import models

from carebridge.rules.local_codes import ORGANISATION_KINDS


class Organisation(models.Model):
    """A council, NHS trust, ICB, care provider or GP practice.

    Identifiers: the council's ONS code and its CASSR code (CLD ``LA_Code``); NHS bodies and GP
    practices by ODS code; providers by CQC location ID.
    """

    COUNCIL = "council"
    NHS_TRUST = "nhs_trust"
    ICB = "icb"
    PROVIDER = "provider"
    GP_PRACTICE = "gp_practice"

    kind = models.CharField(max_length=20, choices=ORGANISATION_KINDS)
    name = models.CharField(max_length=200)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    cassr_code = models.CharField("CASSR code (CLD LA_Code)", max_length=3, blank=True)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    cqc_location_id = models.CharField("CQC location ID", max_length=20, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ods_code"], condition=~models.Q(ods_code=""), name="unique_ods_code"
            ),
            models.UniqueConstraint(
                fields=["cqc_location_id"],
                condition=~models.Q(cqc_location_id=""),
                name="unique_cqc_location_id",
            ),
        ]

    def __str__(self) -> str:
        code = self.ods_code or self.ons_code or self.cqc_location_id
        return f"{self.name} ({code})" if code else self.name
