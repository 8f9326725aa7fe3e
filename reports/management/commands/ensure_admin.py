"""``python manage.py ensure_admin --username U --password P``: create or reset a superuser."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser with the given password, or reset the password if it exists "
        "(with --if-missing an existing user is left as it is)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="only create the user; an existing one keeps its password",
        )

    def handle(self, *args, username, password, if_missing, **options):
        model = get_user_model()
        if if_missing and model.objects.filter(username=username).exists():
            self.stdout.write(f"Superuser {username} exists; password unchanged")
            return
        user, created = model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"{'Created' if created else 'Updated'} superuser {username}")
