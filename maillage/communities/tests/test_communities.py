"""Joining, posting after screening, reading, reporting and moderating."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from maillage.accounts.models import User
from maillage.accounts.tests.factories import PatientFactory, ProfessionalFactory
from maillage.audit.models import AuditEvent
from maillage.cases.tests.test_cases import gps_jpeg
from maillage.communities import selectors, services
from maillage.communities.models import Community, Member, Post, Thread
from maillage.core.exceptions import DomainError, NotAllowed
from maillage.core.uploads import CleanUpload, clean_upload
from maillage.notifications.models import Notification

pytestmark = pytest.mark.django_db


def start(
    user: User,
    community: Community,
    body: str = "Bonjour à tous.",
    personal_data: str = services.ASK,
    images: Sequence[CleanUpload] = (),
) -> Post:
    return services.start_thread(
        actor=user,
        community=community,
        title="Mon premier message",
        body=body,
        idempotency_key=uuid.uuid4(),
        personal_data=personal_data,
        images=images,
    ).post


def test_the_pseudonym_never_holds_the_real_name(community: Community) -> None:
    user = PatientFactory(first_name="Hélène", last_name="Marchal")
    for bad in ("helene_m", "Marchal59", "a b", "xy"):
        with pytest.raises(DomainError):
            services.join(actor=user, community=community, pseudonym=bad)
    assert not Member.objects.filter(user=user).exists()
    services.join(actor=user, community=community, pseudonym="Colibri")
    other = PatientFactory()
    with pytest.raises(DomainError):
        services.join(actor=other, community=community, pseudonym="colibri")


def test_joining_is_audited(member: User, community: Community) -> None:
    assert AuditEvent.objects.filter(actor=member, action="communities.joined").exists()


def test_personal_data_stops_the_post_until_the_author_chooses(
    member: User, community: Community
) -> None:
    body = "Appelez-moi au 06 12 34 56 78 pour en parler."
    with pytest.raises(services.PersonalDataFound) as found:
        start(member, community, body)
    assert "[TÉLÉPHONE]" in found.value.suggestion
    assert not Thread.objects.exists()

    removed = start(member, community, body, personal_data=services.REMOVE)
    assert "06 12" not in removed.body
    assert not removed.needs_review

    kept = start(member, community, body, personal_data=services.KEEP)
    assert "06 12 34 56 78" in kept.body
    assert kept.needs_review


def test_a_suicidal_post_is_published_and_alerts_the_moderators(
    member: User, community: Community, moderator: User
) -> None:
    post = start(member, community, "Je n'en peux plus, j'ai envie de mourir.")
    assert post.status == Post.Status.PUBLISHED
    assert post.risk == 3
    alert = Notification.objects.get(kind="communities.alert")
    assert alert.recipient == moderator
    assert "mourir" not in alert.title


def test_promotion_is_held_and_shown_to_its_author_only(
    member: User, other_member: User, community: Community
) -> None:
    post = start(member, community, "Code promo GLYC20 : -20 % sur les capteurs, achetez ici !")
    assert post.status == Post.Status.HELD
    mine, _ = selectors.list_posts(thread=post.thread, viewer=Member.objects.get(user=member))
    theirs, _ = selectors.list_posts(
        thread=post.thread, viewer=Member.objects.get(user=other_member)
    )
    assert [p.pk for p in mine] == [post.pk]
    assert theirs == []


def test_a_double_submit_makes_one_post(member: User, community: Community) -> None:
    thread = start(member, community).thread
    key = uuid.uuid4()
    for _ in range(2):
        services.reply(actor=member, thread=thread, body="Merci !", idempotency_key=key)
    thread.refresh_from_db()
    assert thread.posts.count() == 2
    assert thread.reply_count == 1


def test_followers_are_told_of_replies_and_professionals_carry_the_badge(
    member: User, community: Community
) -> None:
    thread = start(member, community).thread
    doctor = ProfessionalFactory()
    services.join(actor=doctor, community=community, pseudonym="DrSoleil")
    posted = services.reply(
        actor=doctor,
        thread=thread,
        body="Parlez-en à votre médecin traitant.",
        idempotency_key=uuid.uuid4(),
    )
    assert posted.post.by_professional
    told = Notification.objects.get(kind="communities.reply")
    assert told.recipient == member


def test_a_diagnosis_from_a_patient_points_to_the_gp(
    member: User, other_member: User, community: Community, client: Client
) -> None:
    thread = start(member, community).thread
    services.reply(
        actor=other_member,
        thread=thread,
        body="Tu as sûrement une neuropathie, arrête ton traitement.",
        idempotency_key=uuid.uuid4(),
    )
    client.force_login(member)
    page = client.get(reverse("communities:thread", args=[thread.public_id])).content.decode()
    assert "Posez la question à votre médecin en ligne" in page
    assert reverse("consultations:new") in page


def test_reports_fill_the_queue_riskiest_first_and_moderators_hide(
    member: User, other_member: User, community: Community, moderator: User
) -> None:
    calm = start(member, community, "Quel lecteur de glycémie utilisez-vous ?")
    rude = services.reply(
        actor=other_member,
        thread=calm.thread,
        body="Question idiote.",
        idempotency_key=uuid.uuid4(),
    ).post
    services.report(actor=member, post=rude, reason="abuse")
    services.report(actor=other_member, post=calm, reason="danger")
    assert [p.pk for p in selectors.moderation_queue()] == [calm.pk, rude.pk]

    with pytest.raises(NotAllowed):
        services.moderate(actor=member, post=rude, action="hide", note="Propos blessants.")
    services.moderate(actor=moderator, post=rude, action="hide", note="Propos blessants.")
    rude.refresh_from_db()
    assert rude.status == Post.Status.HIDDEN
    assert rude.moderation_note == "Propos blessants."
    assert AuditEvent.objects.filter(actor=moderator, action="communities.moderation_hide")
    assert [p.pk for p in selectors.moderation_queue()] == [calm.pk]


def test_a_suspended_member_cannot_write(
    member: User, community: Community, moderator: User
) -> None:
    services.sanction(
        actor=moderator, member=Member.objects.get(user=member), action="suspend", note="Insultes."
    )
    with pytest.raises(NotAllowed):
        start(member, community)
    assert Notification.objects.filter(recipient=member, kind="communities.sanction").exists()


def test_search_within_a_community_tolerates_accents_and_plurals(
    member: User, community: Community
) -> None:
    start(member, community, "Mes hypoglycémies nocturnes me réveillent.")
    start(member, community, "Recette de gâteau sans sucre ?")
    threads, _ = selectors.list_threads(community=community, search="hypoglycemie")
    assert len(threads) == 1


def test_the_moderation_queue_is_for_moderators_only(client: Client, member: User) -> None:
    client.force_login(member)
    assert client.get(reverse("communities:moderation")).status_code == 404


def test_a_long_thread_pages_by_keyset_with_a_fixed_number_of_queries(
    member: User,
    other_member: User,
    community: Community,
    client: Client,
    django_assert_max_num_queries: object,
) -> None:
    thread = start(member, community).thread
    author = Member.objects.get(user=other_member)
    Post.objects.bulk_create(
        Post(thread=thread, author=author, body=f"Réponse {n}", idempotency_key=uuid.uuid4())
        for n in range(120)
    )
    client.force_login(member)
    url = reverse("communities:thread", args=[thread.public_id])
    first = client.get(url)
    assert first.status_code == 200
    cursor = first.context["cursor"]
    assert cursor
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, {"apres": cursor})
    assert second.status_code == 200
    assert [p.body for p in second.context["posts"]][:1] == ["Réponse 49"]
    assert len(queries) <= 15


def test_photos_lose_their_exif_and_follow_their_post(
    member: User, other_member: User, community: Community, moderator: User, client: Client
) -> None:
    upload = SimpleUploadedFile("photo.jpg", gps_jpeg(), content_type="image/jpeg")
    post = start(member, community, images=[clean_upload(upload)])
    photo = post.images.get()
    with photo.file.open("rb") as handle:
        assert dict(Image.open(handle).getexif()) == {}
    url = reverse("communities:image", args=[photo.public_id])
    client.force_login(other_member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    services.moderate(actor=moderator, post=post, action="hide", note="Photo inappropriée.")
    assert client.get(url).status_code == 404


def test_the_thread_page_costs_the_same_queries_for_5_or_50_posts(
    member: User, other_member: User, community: Community, client: Client
) -> None:
    client.force_login(member)
    counts = []
    for size in (5, 50):
        thread = start(member, community).thread
        author = Member.objects.get(user=other_member)
        Post.objects.bulk_create(
            Post(thread=thread, author=author, body=f"Réponse {n}", idempotency_key=uuid.uuid4())
            for n in range(size)
        )
        url = reverse("communities:thread", args=[thread.public_id])
        # The first request also fills the cached unread count and may slide the session's
        # idle expiry: per-visit costs, not the thread's; compare warm requests.
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
