from django.db import models


class PersonName(models.Model):
    """Every name a person has had: the current one, previous names (e.g. before marriage) and
    names they are also known by. Search looks at all of them."""

    class Kind(models.TextChoices):
        CURRENT = "current", "Current name"
        PREVIOUS = "previous", "Previous name"
        ALIAS = "alias", "Also known as"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    used_from = models.DateField(null=True, blank=True)
    used_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "-used_until"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PersonNameKey(models.Model):
    """Search index: the typo-tolerant and phonetic keys of each name part (rules.names)."""

    class Part(models.TextChoices):
        GIVEN = "g", "Given name"
        FAMILY = "f", "Family name"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=1, choices=Part.choices)
    key = models.CharField(max_length=110)

    class Meta:
        indexes = [models.Index(fields=["part", "key"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "part", "key"], name="unique_name_key")
        ]

    def __str__(self) -> str:
        return f"{self.part}:{self.key}"
