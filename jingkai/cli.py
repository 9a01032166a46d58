"""The `jingkai` command: Django's management commands under Jingkai's settings.

`jingkai demo`, `jingkai import …`, `jingkai serve` are management commands of the apps;
Django's own (migrate, createsuperuser, dbshell …) are there too for administrators.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingkai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jingkai", *sys.argv[1:]])


if __name__ == "__main__":
    main()
