from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from maillage.accounts.specialties import Specialty
from maillage.cases import selectors, services
from maillage.cases.forms import CommentForm, NewCaseForm, ReviewForm
from maillage.cases.models import Case, Comment
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest, private_file
from maillage.core.ratelimit import limit_posts
from maillage.deid.images import BURNT_IN_TEXT_WARNING

# Sermo's published figures (ANCHORS.md §1C), shown beside ours.
SERMO_FIRST_ANSWER_HOURS = 1.5
SERMO_RESOLUTION_HOURS = 24


def _doctor_only(request: AuthedRequest) -> None:
    if not services.is_verified_doctor(request.user):
        raise Http404


@require_safe
def case_list(request: AuthedRequest) -> HttpResponse:
    _doctor_only(request)
    specialty = request.GET.get("specialite", "")
    if specialty not in Specialty.values:
        specialty = ""
    search = request.GET.get("q", "")[:100]
    resolved_only = request.GET.get("bibliotheque") == "1"
    cases, cursor = selectors.list_cases(
        actor=request.user,
        specialty=specialty,
        search=search,
        resolved_only=resolved_only,
        before=request.GET.get("avant", ""),
    )
    return render(
        request,
        "cases/list.html",
        {
            "cases": cases,
            "cursor": cursor,
            "specialty": specialty,
            "search": search,
            "resolved_only": resolved_only,
            "specialties": Specialty.choices,
            "drafts": selectors.list_my_drafts(actor=request.user),
            "metrics": selectors.get_community_metrics(),
            "sermo_first": SERMO_FIRST_ANSWER_HOURS,
            "sermo_resolution": SERMO_RESOLUTION_HOURS,
        },
    )


@limit_posts("case")
@require_http_methods(["GET", "POST"])
def new_case(request: AuthedRequest) -> HttpResponse:
    _doctor_only(request)
    form = NewCaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.start_case(
                actor=request.user,
                title=data["title"],
                question=data["question"],
                body=data["body"],
                specialties=data["specialties"],
                poll_question=data["poll_question"],
                poll_options=(data["poll_options"] or "").splitlines(),
                images=data["images"] or [],
                dicom_files=data["dicom_files"] or [],
                idempotency_key=data["idempotency_key"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("cases:review", case_id=case.public_id)
    return render(request, "cases/new.html", {"form": form}, status=400 if form.errors else 200)


PLACEHOLDER = re.compile(r"\[[A-ZÀ-ÝÉ\- ]{2,20}\]")


def _segments(text: str) -> list[tuple[str, str]]:
    """The scrubbed text cut into (segment, kind), its placeholders marked for highlighting."""
    parts: list[tuple[str, str]] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], ""))
        parts.append((match.group(0), "removed"))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], ""))
    return parts


@require_http_methods(["GET", "POST"])
def review(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    """The author reads the de-identified version, highlighted, and publishes it."""
    _doctor_only(request)
    case = selectors.get_case_for(actor=request.user, case_id=case_id)
    if case.author_id != request.user.pk:
        raise Http404
    if case.is_public:
        return redirect("cases:detail", case_id=case.public_id)
    form = ReviewForm(
        request.POST or None,
        initial={"title": case.title, "question": case.question, "body": case.body},
    )
    images = list(case.images.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if images and not data["images_checked"]:
            form.add_error("images_checked", str(BURNT_IN_TEXT_WARNING))
        else:
            try:
                services.publish_case(
                    actor=request.user,
                    case=case,
                    title=data["title"],
                    question=data["question"],
                    body=data["body"],
                )
            except services.NeedsAnotherReview as again:
                messages.warning(request, str(again.message))
                return redirect("cases:review", case_id=case.public_id)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request, _("Votre cas est publié ; les confrères concernés sont prévenus.")
                )
                return redirect("cases:detail", case_id=case.public_id)
    return render(
        request,
        "cases/review.html",
        {
            "case": case,
            "form": form,
            "images": images,
            "burnt_in_warning": BURNT_IN_TEXT_WARNING,
            "removed_count": len(case.findings),
            "title_parts": _segments(case.title),
            "question_parts": _segments(case.question),
            "body_parts": _segments(case.body),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def case_detail(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    _doctor_only(request)
    case = selectors.get_case_for(actor=request.user, case_id=case_id)
    if not case.is_public:
        return redirect("cases:review", case_id=case.public_id)
    form = CommentForm(request.POST or None if request.POST.get("action") == "comment" else None)
    if request.method == "POST":
        response = _act(request, case, form)
        if response is not None:
            return response
    else:
        services.record_view(actor=request.user, case=case)
    comments = list(selectors.list_comments(case=case))
    poll = getattr(case, "poll", None)
    poll_results: list[tuple[int, str, int]] = []
    my_vote = None
    if poll is not None:
        counts = [0] * len(poll.options)
        for vote in poll.votes.all():
            if 0 <= vote.option < len(counts):
                counts[vote.option] += 1
            if vote.voter_id == request.user.pk:
                my_vote = vote.option
        poll_results = [(index, label, counts[index]) for index, label in enumerate(poll.options)]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "comments": comments,
            "form": form,
            "poll": poll,
            "poll_results": poll_results,
            "my_vote": my_vote,
            "images": list(case.images.all()),
            "is_author": case.author_id == request.user.pk,
            "routed": selectors.routing_summary(case=case)
            if case.author_id == request.user.pk
            else None,
            "following": case.follows.filter(user=request.user).exists(),
            "first_answer_hours": _hours(case.published_at, case.first_answer_at),
            "resolution_hours": _hours(case.published_at, case.resolved_at),
        },
        status=400 if form.errors else 200,
    )


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 1)


def _act(request: AuthedRequest, case: Case, form: CommentForm) -> HttpResponse | None:
    action = request.POST.get("action", "")
    actor = request.user
    back = redirect("cases:detail", case_id=case.public_id)
    try:
        if action == "comment":
            if not form.is_valid():
                return None
            _comment, scrubbed = services.add_comment(
                actor=actor, case=case, body=form.cleaned_data["body"]
            )
            if scrubbed:
                messages.warning(
                    request, _("Des éléments identifiants ont été retirés de votre réponse.")
                )
        elif action == "helpful":
            comment = _comment_of(case, request.POST.get("comment"))
            if comment is None:
                raise Http404
            services.mark_helpful(actor=actor, comment=comment)
        elif action == "vote":
            poll = getattr(case, "poll", None)
            if poll is None:
                raise Http404
            services.vote(actor=actor, poll=poll, option=int(request.POST.get("option", "-1")))
        elif action == "answering":
            services.mark_answering(actor=actor, case=case)
        elif action == "follow":
            services.toggle_follow(actor=actor, case=case)
        elif action == "resolve":
            best = _comment_of(case, request.POST.get("comment"))
            services.resolve(actor=actor, case=case, best_comment=best)
        else:
            return None
    except (DomainError, ValueError) as error:
        messages.error(request, str(getattr(error, "message", _("Demande invalide."))))
    return back


def _comment_of(case: Case, raw: str | None) -> Comment | None:
    comment_id = _uuid(raw)
    if comment_id is None:
        return None
    return Comment.objects.filter(case=case, public_id=comment_id).first()


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw or "")
    except ValueError:
        return None


@require_safe
def image(request: AuthedRequest, image_id: UUID) -> FileResponse:
    _doctor_only(request)
    item = selectors.get_image_for(actor=request.user, image_id=image_id)
    return private_file(
        item.file,
        content_type=item.content_type,
        filename=f"cas{item.extension}",
        inline=item.content_type != "application/dicom",
    )
