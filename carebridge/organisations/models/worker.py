from django.contrib.auth.models import AbstractUser
from django.db import models

from carebridge.core.access import Role


class Worker(AbstractUser):
    """A person who signs in: a member of a team with one role (see core.access for what
    each role may do)."""

    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.PROTECT,
        related_name="workers",
        null=True,
        blank=True,
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    job_title = models.CharField(max_length=200, blank=True)
    professional_registration = models.CharField(
        "Social Work England or other registration number", max_length=30, blank=True
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
