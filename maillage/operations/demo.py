"""A believable rural territory for demonstrations: Ouest vosgien and sud meusien.

Communes are real (INSEE code, postcode, coordinates of the town centre); people are invented.
Everything is created through the services, so the demo's audit trail is a real one.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from maillage.accounts import services as accounts
from maillage.accounts.models import PatientProfile, Role, RoleAssignment, User
from maillage.accounts.specialties import Specialty
from maillage.cases.demo import seed_cases
from maillage.communities.demo import seed_communities
from maillage.consultations import services as consultations
from maillage.consultations.models import PracticeAvailability
from maillage.core.identifiers import nir_key
from maillage.core.models import Commune
from maillage.dashboards.demo import seed_dashboards
from maillage.directory import services as directory
from maillage.directory.models import Practice, TreatingDoctorDeclaration
from maillage.expertise.demo import seed_expertise
from maillage.health_info.services import load_library
from maillage.profiles.demo import seed_profiles
from maillage.teleconsultation.demo import seed_teleconsultations
from maillage.triage import services as triage

DEMO_PASSWORD = "Maillage-demo-2026"  # noqa: S105  # printed on purpose: demo accounts only
# Base32 TOTP secret shared by the demo professionals, so a phone app can be set up once.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPMAILLAGE"  # noqa: S105
DOMAIN = "demo.maillage.test"

COMMUNES = [
    # insee, name, postcode, department, latitude, longitude
    ("88262", "Lamarche", "88320", "88", "48.0700", "5.7810"),
    ("88321", "Neufchâteau", "88300", "88", "48.3556", "5.6961"),
    ("88516", "Vittel", "88800", "88", "48.2022", "5.9447"),
    ("88304", "Mirecourt", "88500", "88", "48.2986", "6.1339"),
    ("88160", "Épinal", "88000", "88", "48.1725", "6.4500"),
    ("88090", "Charmes", "88130", "88", "48.3730", "6.2920"),
    ("55122", "Commercy", "55200", "55", "48.7630", "5.5920"),
    ("55463", "Saint-Mihiel", "55300", "55", "48.8890", "5.5410"),
    ("55533", "Vaucouleurs", "55140", "55", "48.6030", "5.6660"),
    ("55215", "Gondrecourt-le-Château", "55130", "55", "48.5140", "5.5100"),
    ("55029", "Bar-le-Duc", "55000", "55", "48.7720", "5.1600"),
    ("55545", "Verdun", "55100", "55", "49.1600", "5.3840"),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    note: str = ""


def _email(first: str, last: str) -> str:
    clean = (
        f"{first}.{last}".lower()
        .replace("é", "e")
        .replace("è", "e")
        .replace("ë", "e")
        .replace("ï", "i")
        .replace(" ", "-")
    )
    return f"{clean}@{DOMAIN}"


def _verify_email(user: User) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _with_mfa(user: User) -> None:
    TOTP.activate(user, DEMO_TOTP_SECRET)
    RecoveryCodes.activate(user)


def demo_nir(sex: str, birth: date, department: str, commune_code: str, order: int) -> str:
    body = f"{1 if sex == 'M' else 2}{birth:%y}{birth:%m}{department}{commune_code[-3:]}{order:03d}"
    return f"{body}{nir_key(body):02d}"


PROFESSIONALS = [
    # first, last, role, specialty, rpps, practice key, extra roles
    ("Claire", "Thiébaut", Role.GP, Specialty.GENERAL_PRACTICE, "10003456789", "lamarche", []),
    ("Marc", "Perrin", Role.GP, Specialty.GENERAL_PRACTICE, "10004567891", "lamarche", []),
    (
        "Hélène",
        "Grandjean",
        Role.GP,
        Specialty.GENERAL_PRACTICE,
        "10005678912",
        "neufchateau",
        [Role.EDITOR],
    ),
    ("Antoine", "Lallemand", Role.GP, Specialty.GENERAL_PRACTICE, "10006789123", "commercy", []),
    ("Julien", "Masson", Role.SPECIALIST, Specialty.PAEDIATRICS, "10007891234", "neufchateau", []),
    ("Sophie", "Didier", Role.SPECIALIST, Specialty.CARDIOLOGY, "10008912345", "commercy", []),
    ("Luc", "Henry", Role.SPECIALIST, Specialty.DERMATOLOGY, "10009123456", "commercy", []),
    ("Nadia", "Benali", Role.SPECIALIST, Specialty.PSYCHIATRY, "10001234567", "commercy", []),
    ("Paul", "Simon", Role.EDITOR, Specialty.GENERAL_PRACTICE, "10002345678", None, []),
]

PATIENT_NAMES = [
    ("Camille", "Martin", "F"),
    ("Louis", "Bernard", "M"),
    ("Jeanne", "Petit", "F"),
    ("Gérard", "Richard", "M"),
    ("Monique", "Durand", "F"),
    ("René", "Dubois", "M"),
    ("Odile", "Moreau", "F"),
    ("Bernard", "Laurent", "M"),
    ("Yvette", "Simon", "F"),
    ("Jacques", "Michel", "M"),
    ("Denise", "Lefebvre", "F"),
    ("Marcel", "Leroy", "M"),
    ("Sylvie", "Roux", "F"),
    ("Alain", "David", "M"),
    ("Nathalie", "Bertrand", "F"),
    ("Thierry", "Morel", "M"),
    ("Brigitte", "Fournier", "F"),
    ("Patrick", "Girard", "M"),
    ("Chantal", "Bonnet", "F"),
    ("Daniel", "Dupont", "M"),
    ("Martine", "Lambert", "F"),
    ("Christian", "Fontaine", "M"),
    ("Léa", "Rousseau", "F"),
    ("Hugo", "Vincent", "M"),
    ("Manon", "Muller", "F"),
    ("Lucas", "Lefèvre", "M"),
    ("Chloé", "Faure", "F"),
    ("Nicolas", "André", "M"),
    ("Élodie", "Mercier", "F"),
]


@transaction.atomic
def build_demo_territory(seed: int = 2026) -> list[DemoLogin]:
    """Create the demo territory and return the logins to print."""
    rng = random.Random(seed)  # noqa: S311  # reproducible demo data, not security
    communes = {
        insee: Commune.objects.create(
            insee_code=insee,
            name=name,
            postcode=postcode,
            department=dept,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
        for insee, name, postcode, dept, lat, lon in COMMUNES
    }
    operator = User.objects.create_superuser(
        f"operateur@{DOMAIN}", DEMO_PASSWORD, first_name="Olivier", last_name="Garnier"
    )
    _verify_email(operator)
    _with_mfa(operator)

    practices = {
        "lamarche": Practice.objects.create(
            name="Maison de santé du Pays de Lamarche",
            kind=Practice.Kind.MSP,
            address="12 rue de la Libération",
            postcode="88320",
            commune=communes["88262"],
            latitude=Decimal("48.0702"),
            longitude=Decimal("5.7806"),
            phone="03 29 09 00 01",
            step_free_access=True,
        ),
        "neufchateau": Practice.objects.create(
            name="Cabinet médical de la Place Jeanne-d'Arc",
            kind=Practice.Kind.CABINET,
            address="3 place Jeanne-d'Arc",
            postcode="88300",
            commune=communes["88321"],
            latitude=Decimal("48.3561"),
            longitude=Decimal("5.6953"),
            phone="03 29 94 00 02",
        ),
        "commercy": Practice.objects.create(
            name="Centre de santé de Commercy",
            kind=Practice.Kind.CENTRE,
            address="8 rue Raymond-Poincaré",
            postcode="55200",
            commune=communes["55122"],
            latitude=Decimal("48.7627"),
            longitude=Decimal("5.5908"),
            phone="03 29 91 00 03",
            step_free_access=True,
        ),
    }

    doctors: dict[str, User] = {}
    for first, last, role, specialty, rpps, practice_key, extra in PROFESSIONALS:
        user = accounts.create_professional(
            actor=operator,
            email=_email(first, last),
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            role=role,
            rpps=rpps,
            specialty=specialty,
            verified=True,
        )
        for extra_role in extra:
            RoleAssignment.objects.create(user=user, role=extra_role)
        _verify_email(user)
        _with_mfa(user)
        if practice_key:
            directory.add_practice_member(
                actor=operator, practice=practices[practice_key], user=user
            )
        doctors[last] = user

    team = [
        ("Sandrine", "Colin", Role.STAFF, "lamarche"),
        ("Julie", "Mathieu", Role.STAFF, "commercy"),
        ("Isabelle", "Rousseau", Role.MODERATOR, None),
        ("Céline", "Antoine", Role.COORDINATOR, None),
    ]
    team_users: dict[str, User] = {}
    for first, last, role, practice_key in team:
        user = User.objects.create_user(
            _email(first, last), DEMO_PASSWORD, first_name=first, last_name=last, role=role
        )
        _verify_email(user)
        _with_mfa(user)
        if practice_key:
            directory.add_practice_member(
                actor=operator, practice=practices[practice_key], user=user
            )
        team_users[last] = user

    gps_by_area = {
        "88": [doctors["Thiébaut"], doctors["Perrin"], doctors["Grandjean"]],
        "55": [doctors["Lallemand"]],
    }
    vosges = [c for c in communes.values() if c.department == "88"]
    meuse = [c for c in communes.values() if c.department == "55"]
    patients: list[User] = []
    for index, (first, last, sex) in enumerate(PATIENT_NAMES):
        commune = rng.choice(vosges if index % 3 else meuse)
        birth = date(rng.randint(1938, 2004), rng.randint(1, 12), rng.randint(1, 28))
        if index == 0:  # the demo patient lives in Lamarche, followed at its maison de santé
            commune, birth = communes["88262"], date(1987, 6, 12)
        patient = accounts.register_patient(
            email=_email(first, last),
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            birth_date=birth,
            sex=sex,
            nir=demo_nir(sex, birth, commune.department, commune.insee_code, index + 1),
            commune=commune,
        )
        _verify_email(patient)
        patients.append(patient)
        # Four patients in five have a médecin traitant: the rest show up on the coordinator's map.
        if index % 5 != 4:
            doctor = (
                doctors["Thiébaut"] if index == 0 else rng.choice(gps_by_area[commune.department])
            )
            directory.declare_treating_doctor(actor=patient, patient=patient, doctor=doctor)

    # A child (no login of their own) with her mother as parent proxy.
    mother = patients[0]
    mother_profile = PatientProfile.objects.get(user=mother)
    child = accounts.register_patient(
        email=f"emma.martin.enfant@{DOMAIN}",
        password=None,
        first_name="Emma",
        last_name="Martin",
        birth_date=date(2018, 5, 14),
        sex="F",
        commune=mother_profile.commune,
    )
    _verify_email(child)
    accounts.add_parent_proxy(actor=operator, child=child, parent=mother)
    directory.declare_treating_doctor(actor=mother, patient=child, doctor=doctors["Masson"])
    # An elderly patient helped by his daughter, with his recorded consent.
    invitation = accounts.invite_carer(
        actor=patients[3],
        email=patients[2].email,
        consent_statement="J'autorise ma fille à consulter mes informations de santé.",
    )
    accounts.accept_carer_invitation(actor=patients[2], invitation=invitation)

    _seed_online_requests(practices, patients, doctors, team_users)
    seed_teleconsultations(doctors=doctors, practices=practices, patients=patients)
    seed_expertise(doctors=doctors)
    seed_cases(doctors=doctors)
    seed_dashboards(doctors=doctors, practices=practices, patients=patients)

    # The health library, written by the demo's doctor-editor and reviewed by a second one.
    load_library(author=doctors["Simon"], reviewer=doctors["Grandjean"])
    seed_communities(patients=patients, doctor=doctors["Didier"], moderator=team_users["Rousseau"])
    seed_profiles(doctors=doctors)
    # A self-assessment concluded with self-care and a check-in, for the demo patient.
    assessment = triage.start_assessment(actor=mother, patient=mother, template="mal-de-gorge")
    triage.answer_red_flags(actor=mother, assessment=assessment, ticked=[])
    for question, answer in [
        ("age", "38"),
        ("fever", "non"),
        ("days", "lt3"),
        ("cough", "oui"),
        ("one_side", "non"),
        ("details", ""),
    ]:
        assessment = triage.answer_question(
            actor=mother, assessment=assessment, question_id=question, raw=answer
        )

    return [
        DemoLogin(
            "Patient",
            mother.email,
            "mère d'Emma (mandataire), médecin traitant à Lamarche, téléconsultation imminente",
        ),
        DemoLogin("Médecin généraliste", doctors["Thiébaut"].email, "TOTP requis"),
        DemoLogin("Médecin généraliste (outsider)", doctors["Lallemand"].email, "TOTP requis"),
        DemoLogin("Cardiologue", doctors["Didier"].email, "TOTP requis"),
        DemoLogin("Dermatologue", doctors["Henry"].email, "TOTP requis"),
        DemoLogin("Psychiatre", doctors["Benali"].email, "TOTP requis"),
        DemoLogin("Pédiatre", doctors["Masson"].email, "TOTP requis"),
        DemoLogin("Secrétariat (Lamarche)", team_users["Colin"].email, "TOTP requis"),
        DemoLogin("Modératrice", team_users["Rousseau"].email, "TOTP requis"),
        DemoLogin("Éditeur", doctors["Simon"].email, "TOTP requis"),
        DemoLogin("Coordinatrice CPTS", team_users["Antoine"].email, "TOTP requis"),
        DemoLogin("Opérateur", operator.email, "TOTP requis, accès /admin/"),
    ]


def _seed_online_requests(
    practices: dict[str, Practice],
    patients: list[User],
    doctors: dict[str, User],
    team_users: dict[str, User],
) -> None:
    """Practices open to online requests, and requests in every state at Lamarche."""
    for key, practice in practices.items():
        PracticeAvailability.objects.create(
            practice=practice,
            accepts_other_patients=key == "lamarche",
            daily_capacity=25 if key == "lamarche" else 15,
        )
    lamarche = practices["lamarche"]
    followed = [
        person
        for person in patients
        if TreatingDoctorDeclaration.objects.filter(
            patient=person,
            ended_at__isnull=True,
            doctor__in=[doctors["Thiébaut"], doctors["Perrin"]],
        ).exists()
    ]
    samples = [
        (
            "renewal",
            "Renouvellement de mon traitement",
            "Mon traitement pour la tension se termine dans une semaine.",
        ),
        (
            "clinical",
            "Toux qui traîne",
            "Je tousse depuis dix jours, sans fièvre. Faut-il venir vous voir ?",
        ),
        (
            "certificate",
            "Certificat pour le club de marche",
            "Le club me demande un certificat de non contre-indication.",
        ),
        (
            "results",
            "Résultats de prise de sang",
            "Le laboratoire m'a dit que les résultats vous ont été envoyés.",
        ),
        (
            "clinical",
            "Fièvre de mon mari",
            "Fièvre depuis 4 jours qui ne baisse pas malgré le paracétamol.",
        ),
    ]
    created = []
    for person, (route, subject, message) in zip(followed, samples, strict=False):
        created.append(
            consultations.submit_request(
                actor=person,
                patient=person,
                practice=lamarche,
                route=route,
                subject=subject,
                message=message,
                idempotency_key=uuid.uuid4(),
            )
        )
    if len(followed) > len(samples):
        # A patient told to call the 15 by a self-assessment, who wrote to the practice anyway.
        person = followed[len(samples)]
        alarm = triage.start_assessment(actor=person, patient=person, template="mal-de-gorge")
        alarm = triage.answer_red_flags(actor=person, assessment=alarm, ticked=["breathing"])
        consultations.submit_request(
            actor=person,
            patient=person,
            practice=lamarche,
            route="clinical",
            subject="Après l'appel au 15",
            message="Le SAMU m'a dit de voir mon médecin demain.",
            idempotency_key=uuid.uuid4(),
            self_assessment=alarm,
        )
    secretary, gp = team_users["Colin"], doctors["Thiébaut"]
    if len(created) >= 4:
        consultations.assign_request(actor=secretary, request=created[1], clinician=gp)
        consultations.answer_request(
            actor=gp,
            request=created[2],
            body="Avez-vous déjà eu un électrocardiogramme ?",
            ask_for_more=True,
        )
        consultations.close_request(
            actor=gp, request=created[3], body="Vos résultats sont normaux. Bonne journée."
        )
