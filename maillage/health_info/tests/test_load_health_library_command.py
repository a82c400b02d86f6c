from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maillage.accounts.models import User
from maillage.health_info.models import ArticleVersion
from maillage.health_info.tests.factories import write_article_file

pytestmark = pytest.mark.django_db


def test_the_command_loads_the_directory(tmp_path: Path, author: User, reviewer: User) -> None:
    write_article_file(tmp_path, "rhume")
    out = StringIO()

    call_command(
        "load_health_library",
        "--author",
        author.email.upper(),
        "--reviewer",
        reviewer.email,
        "--directory",
        str(tmp_path),
        stdout=out,
    )

    assert "1 article(s) publié(s), 0 mis à jour, 0 inchangé(s)" in out.getvalue()
    assert ArticleVersion.objects.filter(article__slug="rhume", status="published").exists()


def test_an_unknown_reviewer_is_an_error(tmp_path: Path, author: User) -> None:
    with pytest.raises(CommandError, match="--reviewer"):
        call_command(
            "load_health_library", "--author", author.email, "--reviewer", "nobody@example.test"
        )


def test_an_invalid_file_stops_the_command_with_its_name(
    tmp_path: Path, author: User, reviewer: User
) -> None:
    write_article_file(tmp_path, "rhume", title="")

    with pytest.raises(CommandError, match=r"rhume\.json"):
        call_command(
            "load_health_library",
            f"--author={author.email}",
            f"--reviewer={reviewer.email}",
            f"--directory={tmp_path}",
        )
