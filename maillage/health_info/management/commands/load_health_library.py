"""Load the articles of content/fr/ into the library through the review workflow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maillage.accounts.models import User
from maillage.core.exceptions import DomainError
from maillage.health_info.services import CONTENT_DIR, load_library


def _user(email: str, option: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(f"{option} : aucun compte avec l'adresse {email}")
    return user


class Command(BaseCommand):
    help = (
        "Publie les articles de content/fr/*.json (rédigés par --author, relus par --reviewer) ; "
        "un article inchangé est laissé tel quel, un article modifié reçoit une nouvelle version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--author", required=True, help="e-mail de l'éditeur auteur")
        parser.add_argument("--reviewer", required=True, help="e-mail de l'éditeur relecteur")
        parser.add_argument(
            "--directory", type=Path, default=CONTENT_DIR, help="dossier des fichiers JSON"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        author = _user(options["author"], "--author")
        reviewer = _user(options["reviewer"], "--reviewer")
        try:
            report = load_library(author=author, reviewer=reviewer, directory=options["directory"])
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            f"Bibliothèque santé : {len(report.created)} article(s) publié(s), "
            f"{len(report.updated)} mis à jour, {len(report.unchanged)} inchangé(s)."
        )
