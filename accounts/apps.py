from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Django's User is not ours to change: a password change is seen as the row is saved.
        from django.contrib.auth.models import User
        from django.db.models.signals import pre_save

        from accounts.services import api_tokens_revoke_on_password_change

        def revoke_tokens(sender, instance, update_fields=None, **kwargs) -> None:
            if update_fields is None or "password" in update_fields:  # a login saves last_login only
                api_tokens_revoke_on_password_change(user=instance)

        pre_save.connect(revoke_tokens, sender=User, weak=False, dispatch_uid="accounts.revoke_tokens")
