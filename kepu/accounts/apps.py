from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kepu.accounts"
    label = "accounts"
    verbose_name = "账户"
