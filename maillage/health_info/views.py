"""Public pages of the health library: patients and visitors, signed in or not."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from maillage.core.public_cache import cache_public_page
from maillage.health_info import selectors
from maillage.health_info.forms import SearchForm
from maillage.triage.assessment import load_templates


@login_not_required
@require_safe
@cache_public_page
def library(request: HttpRequest) -> HttpResponse:
    """Search the library (?q=…), or list every article from A to Z."""
    form = SearchForm(request.GET)
    ctx: dict[str, object] = {"form": form, "query": "", "results": None, "articles": None}
    if not form.is_valid():
        return render(request, "health_info/library.html", ctx, status=422)
    query = form.cleaned_data["q"].strip()
    if query:
        ctx.update(query=query, results=selectors.search_articles(query))
    else:
        ctx.update(articles=selectors.list_published_articles())
    return render(request, "health_info/library.html", ctx)


@login_not_required
@require_safe
@cache_public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = selectors.get_published_article(slug=slug)
    overdue = version.next_review_due is not None and version.next_review_due < timezone.localdate()
    assessment = load_templates().get(version.self_assessment) if version.self_assessment else None
    ctx = {"version": version, "review_overdue": overdue, "assessment": assessment}
    return render(request, "health_info/article.html", ctx)
