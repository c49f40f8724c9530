from accounts.services import demo_logins_reset
from core.commands import DataCommand


class Command(DataCommand):
    help = "Create or reset the demo logins (analyst, admin) with fresh passwords, and print them."

    def handle(self, *args, **options) -> None:
        for login in demo_logins_reset():
            self.stdout.write(f"  {login.role:<28} user: {login.username:<8} password: {login.password}")
