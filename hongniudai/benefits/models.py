"""The rollup of 利益联结 (`ReceivedYear`): what each household received in a year from the sources
of one village (its contracts' rent, its organisations' wages and dividends, its returnee
businesses' wages), so that a village's year reads a page of rows instead of summing every payment
per request. Kept true by `benefits.rollups` (never edited by hand)."""

from __future__ import annotations

from django.db import models

from hongniudai.places.models import AreaNode, Household


class ReceivedYear(models.Model):
    """One household's year from one village's sources, per source and in total (yuan)."""

    village = models.ForeignKey(AreaNode, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="benefit_years")
    year = models.PositiveSmallIntegerField()
    rent = models.DecimalField(max_digits=14, decimal_places=2)
    wages = models.DecimalField(max_digits=14, decimal_places=2)
    dividends = models.DecimalField(max_digits=14, decimal_places=2)
    returnee_wages = models.DecimalField(max_digits=14, decimal_places=2)
    total = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "household"], name="benefits_received_once"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.year}: {self.total}"
