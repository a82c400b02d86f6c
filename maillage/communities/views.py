from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.accounts.decorators import role_required
from maillage.accounts.models import Role
from maillage.accounts.selectors import list_patients_actor_acts_for
from maillage.communities import selectors, services
from maillage.communities.forms import (
    ModerationForm,
    PostForm,
    PseudonymForm,
    ReportForm,
    SanctionForm,
    ThreadForm,
)
from maillage.communities.models import Community, Member, Thread
from maillage.communities.screening import Screening
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.http import AuthedRequest, private_file
from maillage.core.ratelimit import limit_posts
from maillage.health_info.selectors import published_titles

ALERT_KEY = "communities_alert"
PERSONAL_CHOICES = (services.KEEP, services.REMOVE)


def _remember_alert(request: AuthedRequest, screening: Screening) -> None:
    """Numbers to show the author at once; kept in the session, never in a URL."""
    if screening.risk >= 2:
        request.session[ALERT_KEY] = {
            "numbers": list(screening.numbers),
            "suicide": screening.suicide_risk,
        }


@require_safe
def community_list(request: AuthedRequest) -> HttpResponse:
    member = selectors.member_of(request.user)
    joined = {c.pk for c in member.communities.all()} if member else set()
    return render(
        request,
        "communities/list.html",
        {"communities": selectors.list_communities(), "joined": joined, "member": member},
    )


@require_safe
def rules(request: AuthedRequest) -> HttpResponse:
    return render(request, "communities/rules.html")


@require_safe
def community_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    community = selectors.get_community(slug=slug)
    search = request.GET.get("q", "")[:100]
    threads, cursor = selectors.list_threads(
        community=community, search=search, before=request.GET.get("avant", "")
    )
    member = selectors.member_of(request.user)
    return render(
        request,
        "communities/community.html",
        {
            "community": community,
            "threads": threads,
            "cursor": cursor,
            "search": search,
            "member": member,
            "is_member": member is not None and community in member.communities.all(),
            "pinned": published_titles(slugs=community.pinned_articles),
            "pseudonym_form": PseudonymForm(),
        },
    )


@require_POST
def join(request: AuthedRequest, slug: str) -> HttpResponse:
    community = selectors.get_community(slug=slug)
    form = PseudonymForm(request.POST)
    pseudonym = request.POST.get("pseudonym", "")
    try:
        services.join(actor=request.user, community=community, pseudonym=pseudonym)
    except DomainError as error:
        form.is_valid()
        form.add_error("pseudonym", str(error.message))
        return render(
            request,
            "communities/join.html",
            {"community": community, "form": form},
            status=400,
        )
    messages.success(request, _("Bienvenue dans la communauté."))
    return redirect("communities:detail", slug=community.slug)


def _submit(
    request: AuthedRequest,
    form: PostForm,
    *,
    community: Community,
    thread: Thread | None,
) -> tuple[HttpResponse | None, dict[str, Any]]:
    """Post through the services; return a redirect, or what to show beside the form."""
    choice = request.POST.get("personal", services.ASK)
    data = form.cleaned_data
    try:
        if thread is None:
            posted = services.start_thread(
                actor=request.user,
                community=community,
                title=data["title"],
                body=data["body"],
                idempotency_key=data["idempotency_key"],
                personal_data=choice if choice in PERSONAL_CHOICES else services.ASK,
                images=data["images"] or [],
            )
        else:
            posted = services.reply(
                actor=request.user,
                thread=thread,
                body=data["body"],
                idempotency_key=data["idempotency_key"],
                personal_data=choice if choice in PERSONAL_CHOICES else services.ASK,
                images=data["images"] or [],
            )
    except services.PersonalDataFound as found:
        kinds = sorted({finding.kind for finding in found.screening.personal})
        personal = {
            "kinds": kinds,
            "suggestion": found.suggestion,
            "had_images": bool(data["images"]),
        }
        return None, {"personal": personal}
    except services.NotAMember:
        return redirect("communities:detail", slug=community.slug), {}
    except NotAllowed as refused:
        form.add_error(None, str(refused.message))
        return None, {}
    except DomainError as error:
        form.add_error(None, str(error.message))
        return None, {}
    _remember_alert(request, posted.screening)
    if posted.post.status == posted.post.Status.HELD:
        messages.info(
            request,
            _(
                "Votre message ressemble à de la publicité : il sera publié après relecture "
                "par la modération."
            ),
        )
    return redirect("communities:thread", thread_id=posted.post.thread.public_id), {}


@limit_posts("community_post")
@require_http_methods(["GET", "POST"])
def new_thread(request: AuthedRequest, slug: str) -> HttpResponse:
    community = selectors.get_community(slug=slug)
    form = ThreadForm(request.POST or None, request.FILES or None)
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        response, extra = _submit(request, form, community=community, thread=None)
        if response is not None:
            return response
    status = 400 if form.errors else 200
    return render(
        request,
        "communities/new_thread.html",
        {"community": community, "form": form, **extra},
        status=status,
    )


@limit_posts("community_post")
@require_http_methods(["GET", "POST"])
def thread_detail(request: AuthedRequest, thread_id: UUID) -> HttpResponse:
    thread = selectors.get_thread(thread_id=thread_id)
    member = selectors.member_of(request.user)
    form = PostForm(request.POST or None, request.FILES or None)
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        response, extra = _submit(request, form, community=thread.community, thread=thread)
        if response is not None:
            return response
    posts, cursor = selectors.list_posts(
        thread=thread, viewer=member, after=request.GET.get("apres", "")
    )
    return render(
        request,
        "communities/thread.html",
        {
            "thread": thread,
            "community": thread.community,
            "posts": posts,
            "cursor": cursor,
            "form": form,
            "member": member,
            "is_member": member is not None and thread.community in member.communities.all(),
            "following": member is not None and thread.follows.filter(member=member).exists(),
            "alert": request.session.pop(ALERT_KEY, None),
            # The "ask your doctor online" link opens the request form, a 404 for whoever
            # writes for no patient (a professional, a moderator): as on the request list.
            "may_write_request": any(post.suggests_gp for post in posts)
            and list_patients_actor_acts_for(actor=request.user).exists(),
            **extra,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def post_action(request: AuthedRequest, post_id: UUID) -> HttpResponse:
    post = selectors.get_post(post_id=post_id)
    action = request.POST.get("action")
    try:
        if action == "helpful":
            services.mark_helpful(actor=request.user, post=post)
        elif action == "follow":
            services.toggle_follow(actor=request.user, thread=post.thread)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("communities:thread", thread_id=post.thread.public_id)


@limit_posts("report")
@require_http_methods(["GET", "POST"])
def report(request: AuthedRequest, post_id: UUID) -> HttpResponse:
    post = selectors.get_post(post_id=post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                actor=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Merci : la modération va examiner ce message."))
            return redirect("communities:thread", thread_id=post.thread.public_id)
    return render(
        request,
        "communities/report.html",
        {"post": post, "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
@role_required(Role.MODERATOR)
def moderation(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "communities/moderation.html",
        {"queue": selectors.moderation_queue(), "sanction_form": SanctionForm()},
    )


@require_POST
@role_required(Role.MODERATOR)
def moderate(request: AuthedRequest, post_id: UUID) -> HttpResponse:
    post = selectors.get_post(post_id=post_id)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une action."))
        return redirect("communities:moderation")
    try:
        services.moderate(
            actor=request.user,
            post=post,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
            body=form.cleaned_data["body"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Décision enregistrée."))
    return redirect("communities:moderation")


@require_POST
@role_required(Role.MODERATOR)
def sanction(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404
    form = SanctionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une sanction et donnez son motif."))
        return redirect("communities:moderation")
    try:
        services.sanction(
            actor=request.user,
            member=member,
            action=form.cleaned_data["action"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Sanction enregistrée ; le membre est prévenu."))
    return redirect("communities:moderation")


@require_safe
def image(request: AuthedRequest, image_id: UUID) -> FileResponse:
    item = selectors.get_image_for(viewer=selectors.member_of(request.user), image_id=image_id)
    return private_file(
        item.file, content_type=item.content_type, filename=f"photo{item.extension}", inline=True
    )
