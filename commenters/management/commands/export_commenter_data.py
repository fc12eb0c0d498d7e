import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from commenters.privacy import commenter_export


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything the site holds about the commenter with EMAIL, with the "
        "reports and ratings filed from the browsers they posted from."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        data = commenter_export(email)
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
