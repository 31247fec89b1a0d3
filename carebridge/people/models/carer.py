from django.db import models

from carebridge.rules.local_codes import CARER_RELATIONSHIPS


class CarerRelationship(models.Model):
    """An unpaid carer and the adult they care for: two people, each with their own record."""

    carer = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="caring_for")
    cared_for = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="carers")
    relationship = models.CharField(max_length=30, choices=CARER_RELATIONSHIPS)
    lives_with_cared_for = models.BooleanField(default=False)
    is_main_carer = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(carer=models.F("cared_for")), name="carer_not_self"
            ),
            models.UniqueConstraint(
                fields=["carer", "cared_for"],
                condition=models.Q(ended_on__isnull=True),
                name="unique_current_carer_relationship",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carer_id} cares for {self.cared_for_id}"
