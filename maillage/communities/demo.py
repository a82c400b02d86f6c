"""Demo communities: seven, with believable threads.

Also a professional's answer, a held promotion and a report waiting in the moderation queue.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from maillage.accounts.models import User
from maillage.communities import services
from maillage.communities.models import Community

COMMUNITIES = [
    (
        "diabete",
        "Vivre avec un diabète",
        Community.Kind.CONDITION,
        "Type 1 ou type 2 : glycémies, alimentation, capteurs, activité physique, moral.",
        ["diabete-suivi"],
    ),
    (
        "asthme-bpco",
        "Asthme et BPCO",
        Community.Kind.CONDITION,
        "Respirer mieux au quotidien : traitements de fond, crises, réhabilitation, tabac.",
        ["rhume-des-foins"],
    ),
    (
        "douleur-chronique",
        "Douleurs chroniques",
        Community.Kind.CONDITION,
        "Lombalgies, fibromyalgie, migraines : ce qui aide, ce qui pèse, comment en parler.",
        ["lombalgie", "maux-de-tete"],
    ),
    (
        "cancer",
        "Traverser un cancer",
        Community.Kind.CONDITION,
        "Pendant et après les traitements, pour les malades et leurs proches.",
        [],
    ),
    (
        "sante-mentale",
        "Santé mentale",
        Community.Kind.CONDITION,
        "Anxiété, dépression, sommeil : un espace bienveillant. Idées suicidaires : 3114.",
        ["anxiete", "insomnie"],
    ),
    (
        "aidants-parents-ages",
        "Aidants de parents âgés",
        Community.Kind.CARERS,
        "Maintien à domicile, aides, répit, démarches : entre aidants.",
        ["hypertension-suivi"],
    ),
    (
        "jeunes-parents",
        "Jeunes parents",
        Community.Kind.LIFE,
        "Fièvre, sommeil, allaitement, premiers mois : sans jugement.",
        ["fievre-enfant", "gastro-enterite"],
    ),
]

RULES = (
    "On partage son expérience, pas un diagnostic. Pas de nom, de téléphone ni d'adresse. "
    "Pas de publicité. Si quelqu'un semble en danger, signalez son message."
)

THREADS = {
    "diabete": [
        (
            "Capteur de glycémie : vos astuces pour qu'il tienne ?",
            "Mon capteur se décolle au bout d'une semaine, surtout quand il fait chaud. "
            "Vous utilisez un patch par-dessus ?",
            [
                "J'utilise un patch transparent vendu en pharmacie, ça tient les 14 jours.",
                "Je le pose à l'arrière du bras après une douche, peau bien sèche, sans crème.",
            ],
        ),
        (
            "Hypoglycémies la nuit",
            "Depuis qu'on a augmenté mon insuline lente, je me réveille en sueur vers 3 h. "
            "Ça vous est arrivé ?",
            ["Oui, mon médecin a baissé la dose du soir après avoir vu mes courbes."],
        ),
    ],
    "aidants-parents-ages": [
        (
            "Trouver du répit quand on habite loin",
            "Ma mère vit seule à la campagne, je fais 80 km deux fois par semaine. "
            "Comment trouver un accueil de jour ?",
            [
                "Le CCAS de sa commune m'a orienté vers une plateforme de répit, gratuite.",
                "Pensez à demander l'APA auprès du département, ça finance une aide à domicile.",
            ],
        )
    ],
    "jeunes-parents": [
        (
            "Fièvre à 39 chez un bébé de 8 mois",
            "Il boit bien et joue entre deux pics. Vous attendez combien de temps avant "
            "de consulter ?",
            ["La fiche de la bibliothèque sur la fièvre de l'enfant m'a bien aidée."],
        )
    ],
    "sante-mentale": [
        (
            "Reprendre le travail après un arrêt pour dépression",
            "Je reprends lundi à mi-temps thérapeutique. J'appréhende le regard des collègues.",
            ["J'ai préparé deux phrases pour répondre aux questions, ça m'a rassuré."],
        )
    ],
}


def _post_key() -> uuid.UUID:
    return uuid.uuid4()


def seed_communities(
    *, patients: Sequence[User], doctor: User, moderator: User
) -> dict[str, Community]:
    """Create the communities and their threads; return them by slug."""
    communities = {
        slug: Community.objects.create(
            slug=slug,
            name=name,
            kind=kind,
            description=description,
            rules=RULES,
            pinned_articles=pinned,
            position=index,
        )
        for index, (slug, name, kind, description, pinned) in enumerate(COMMUNITIES)
    }
    pseudonyms = ["Colibri", "Mésange", "Roseau", "Écureuil", "Héron", "Tilleul"]
    writers = list(patients)[: len(pseudonyms)]
    for user, pseudonym in zip(writers, pseudonyms, strict=False):
        for community in communities.values():
            services.join(actor=user, community=community, pseudonym=pseudonym)
    services.join(actor=doctor, community=communities["diabete"], pseudonym="DrCalanque")
    for slug, threads in THREADS.items():
        for index, (title, body, replies) in enumerate(threads):
            author = writers[index % len(writers)]
            thread = services.start_thread(
                actor=author,
                community=communities[slug],
                title=title,
                body=body,
                idempotency_key=_post_key(),
            ).post.thread
            for offset, text in enumerate(replies, start=1):
                services.reply(
                    actor=writers[(index + offset) % len(writers)],
                    thread=thread,
                    body=text,
                    idempotency_key=_post_key(),
                )
    diabetes = communities["diabete"].threads.order_by("created_at").first()
    if diabetes is not None:
        services.reply(
            actor=doctor,
            thread=diabetes,
            body="Un film protecteur posé **avant** le capteur évite aussi les irritations. "
            "Si la peau rougit, parlez-en à votre médecin ou à votre infirmière.",
            idempotency_key=_post_key(),
        )
        # A promotion, held for review, and a reported reply: the moderator's queue has work.
        services.reply(
            actor=writers[-1],
            thread=diabetes,
            body="Code promo CAPTEUR20 : -20 % sur les patchs, livraison gratuite !",
            idempotency_key=_post_key(),
        )
        rude = services.reply(
            actor=writers[1],
            thread=diabetes,
            body="Franchement, si ton capteur se décolle c'est que tu t'y prends mal.",
            idempotency_key=_post_key(),
        ).post
        services.report(actor=writers[0], post=rude, reason="abuse", note="Ton blessant.")
    return communities
