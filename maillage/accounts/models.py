from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from maillage.accounts.specialties import Specialty


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    GP = "gp", _("Médecin généraliste")
    SPECIALIST = "specialist", _("Médecin spécialiste")
    STAFF = "staff", _("Personnel du cabinet")
    MODERATOR = "moderator", _("Modérateur")
    EDITOR = "editor", _("Éditeur")
    COORDINATOR = "coordinator", _("Coordinateur")
    OPERATOR = "operator", _("Opérateur")


# Roles that handle identified health data: MFA is mandatory for them (PGSSI-S).
PROFESSIONAL_ROLES = frozenset(
    {
        Role.GP,
        Role.SPECIALIST,
        Role.STAFF,
        Role.MODERATOR,
        Role.EDITOR,
        Role.COORDINATOR,
        Role.OPERATOR,
    }
)
DOCTOR_ROLES = frozenset({Role.GP, Role.SPECIALIST})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.OPERATOR)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Logs in with its e-mail; `role` is the primary role (home page, MFA rule)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("adresse e-mail"), max_length=254, unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.PATIENT)
    phone = models.CharField(_("téléphone mobile"), max_length=20, blank=True)
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("utilisateur")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [models.Index(fields=["role", "last_name"])]

    def __str__(self) -> str:
        return f"User {self.public_id}"

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def display_name(self) -> str:
        if self.role in DOCTOR_ROLES:
            return f"Dr {self.get_full_name()}"
        return self.get_full_name()

    @cached_property
    def roles(self) -> frozenset[str]:
        """The primary role and every additional role (one query, cached on the instance)."""
        extra = self.role_assignments.values_list("role", flat=True) if self.pk else []
        return frozenset({self.role, *extra})

    def has_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_doctor(self) -> bool:
        return self.role in DOCTOR_ROLES

    @property
    def requires_mfa(self) -> bool:
        return not self.roles.isdisjoint(PROFESSIONAL_ROLES)


class RoleAssignment(models.Model):
    """An additional role (a GP who also reviews health articles, for instance)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_role_once_per_user")
        ]

    def __str__(self) -> str:
        return f"RoleAssignment {self.pk}"


class ConventionSector(models.TextChoices):
    SECTOR_1 = "1", _("Secteur 1 (tarifs conventionnels)")
    SECTOR_2 = "2", _("Secteur 2 (honoraires libres, avec tact et mesure)")
    NOT_CONVENTIONED = "nc", _("Non conventionné")


class Professional(models.Model):
    """Professional identity of a doctor: RPPS and the Ordre's specialty."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("à vérifier")
        OPERATOR = "operator", _("vérifié par un opérateur (Annuaire santé)")
        PRO_SANTE_CONNECT = "psc", _("vérifié par Pro Santé Connect")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="professional")
    rpps = models.CharField(_("numéro RPPS"), max_length=11, unique=True)
    # The Luhn key of RPPS is not confirmed by ANS: a mismatch is a warning, never a block.
    rpps_key_ok = models.BooleanField(default=True)
    specialty = models.CharField(_("spécialité"), max_length=40, choices=Specialty.choices)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # Convention with the Assurance Maladie: it sets the codes a doctor bills and whether fees
    # may exceed the tariff (fee information before any telemedicine act, arrêté 30 mai 2018).
    convention_sector = models.CharField(
        _("secteur conventionnel"),
        max_length=4,
        choices=ConventionSector.choices,
        default=ConventionSector.SECTOR_1,
    )
    optam = models.BooleanField(_("adhérent OPTAM"), default=False)
    # Secure health messaging address (MSSanté) for reports sent to this doctor.
    mssante_address = models.EmailField(_("adresse MSSanté"), blank=True)

    class Meta:
        verbose_name = _("professionnel de santé")
        indexes = [models.Index(fields=["specialty"])]

    def __str__(self) -> str:
        return f"Professional {self.pk}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class PatientProfile(models.Model):
    """Civil identity of a patient, as needed for care (INS traits come later)."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Femme")
        MALE = "M", _("Homme")
        UNDETERMINED = "I", _("Indéterminé")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient_profile")
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_name = models.CharField(_("nom de naissance"), max_length=150, blank=True)
    nir = models.CharField(_("numéro de sécurité sociale"), max_length=15, blank=True)
    commune = models.ForeignKey(
        "core.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Known date of death: the record is then kept 10 years from it (R.1112-7 CSP).
    deceased_on = models.DateField(_("date de décès"), null=True, blank=True)

    class Meta:
        verbose_name = _("profil patient")

    def __str__(self) -> str:
        return f"PatientProfile {self.pk}"

    def age_on(self, day: date) -> int:
        birthday_passed = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if birthday_passed else 1)


class Proxy(models.Model):
    """Someone allowed to act for a patient: a parent for a minor, or a carer with consent."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("parent (titulaire de l'autorité parentale)")
        CARER = "carer", _("aidant, avec l'accord du patient")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="proxies")
    proxy = models.ForeignKey(User, on_delete=models.CASCADE, related_name="represented")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # For a carer: when and how the patient's consent was recorded (the patient's own action).
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_statement = models.TextField(blank=True)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mandataire")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "proxy"],
                condition=models.Q(revoked_at__isnull=True),
                name="accounts_one_active_proxy_per_pair",
            ),
            models.CheckConstraint(
                condition=~models.Q(patient=models.F("proxy")), name="accounts_proxy_not_self"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="carer") | models.Q(consent_recorded_at__isnull=False),
                name="accounts_carer_needs_consent",
            ),
        ]
        indexes = [models.Index(fields=["proxy", "revoked_at"])]

    def __str__(self) -> str:
        return f"Proxy {self.public_id}"

    @staticmethod
    def active_at_q(moment: datetime) -> models.Q:
        """Proxies in force at `moment`: not revoked, started, not yet ended."""
        return models.Q(revoked_at__isnull=True, starts_at__lte=moment) & (
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=moment)
        )


class CarerInvitation(models.Model):
    """A patient asks someone, by e-mail, to become their carer; the proxy exists once accepted.

    Addressed to an e-mail rather than an account, so that inviting tells the patient nothing
    about who has an account, and the carer consents by accepting.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="carer_invitations")
    email = models.EmailField()
    consent_statement = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    proxy = models.OneToOneField(
        Proxy, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        verbose_name = _("invitation d'aidant")
        constraints = [
            models.UniqueConstraint(
                "patient",
                Lower("email"),
                condition=models.Q(answered_at__isnull=True, cancelled_at__isnull=True),
                name="accounts_one_open_invitation_per_email",
            )
        ]
        indexes = [models.Index(Lower("email"), name="accounts_invitation_email_idx")]

    def __str__(self) -> str:
        return f"CarerInvitation {self.public_id}"

    def is_open_at(self, moment: datetime) -> bool:
        return self.answered_at is None and self.cancelled_at is None and moment < self.expires_at
