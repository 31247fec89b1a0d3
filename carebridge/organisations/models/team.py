from django.db import models

from carebridge.rules.local_codes import TEAM_KINDS

from .organisation import Organisation


class Team(models.Model):
    """A team belongs to one employing organisation (the council, or an NHS trust hosting
    council functions under a s75 agreement)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=TEAM_KINDS)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name
