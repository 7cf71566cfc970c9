"""Publish the work-safety review catalog of domain.md §4 for an agency that has none.

``seed_review_catalog 舒``: safe to run twice (an agency with a catalog is left as it is).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.accounts.models import Role, User
from sanxiang.agencies.models import Agency
from sanxiang.review import catalog, selectors, services


class Command(BaseCommand):
    help = "为尚无法制审核目录清单的机关发布安全生产审核目录清单（个人2万元、单位5万元，含本数）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("agency", help="机关简称，如“舒”")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(short_name=options["agency"]).first()
        if agency is None:
            raise CommandError(f"没有简称为“{options['agency']}”的机关。")
        if selectors.catalog_in_force(agency.pk) is not None:
            self.stdout.write("0 个目录清单已发布（该机关已有目录清单）。")
            return
        admin = User.objects.filter(agency=agency, roles__role=Role.ADMIN).order_by("pk").first()
        if admin is None:
            raise CommandError("该机关没有系统管理员账户，无法发布目录清单。")
        services.catalog_publish(actor=admin, agency=agency, spec=catalog.WORK_SAFETY, note="初始目录清单")
        self.stdout.write("1 个目录清单已发布。")
