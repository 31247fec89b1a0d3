from django.db import models

from carebridge.rules import safeguarding as sg


class ConcernRiskType(models.Model):
    """One type of abuse or neglect a concern is about (a concern may be about several: the
    SAC counts each different type once per enquiry)."""

    concern = models.ForeignKey("Concern", on_delete=models.CASCADE, related_name="risk_types")
    risk_type = models.CharField(max_length=30, choices=sg.TYPE_OF_RISK)

    class Meta:
        ordering = ["concern", "id"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "risk_type"], name="one_row_per_risk_type")
        ]

    def __str__(self) -> str:
        return self.get_risk_type_display()
