from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "baolei.people"
    label = "people"
    verbose_name = "人员信息"
