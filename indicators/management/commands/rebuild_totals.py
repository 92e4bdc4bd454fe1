from django.core.management.base import BaseCommand
from django.db import transaction

from indicators import totals
from indicators.models import UnitTotals


class Command(BaseCommand):
    help = (
        "Recompute the stored totals of every unit and period from the published figures (after figures "
        "were changed directly in the database)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        totals.rebuild()
        self.stdout.write(f"{UnitTotals.objects.count()} stored totals rebuilt.")
