from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from carebridge.core.access import Role


class WorkerManager(UserManager):
    def get_queryset(self):
        # Every page shows the signed-in worker's team and checks it for access: load it with
        # the worker (one query per request, not three).
        return super().get_queryset().select_related("team", "team__organisation")


class Worker(AbstractUser):
    """A person who signs in: a member of a team with one role (see core.access for what
    each role may do)."""

    objects = WorkerManager()

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
