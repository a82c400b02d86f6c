from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from maillage.accounts.models import DOCTOR_ROLES
from maillage.billing.fees import FEE_NOTICE, sector_description
from maillage.consultations.forms import WEEKDAYS, hours_text
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest, private_file
from maillage.core.public_cache import cache_public_page
from maillage.directory.models import Practice
from maillage.profiles import selectors, services
from maillage.profiles.forms import ProfileForm, PublishForm, SearchForm
from maillage.profiles.models import DoctorProfile


@login_not_required
@require_safe
@cache_public_page
def directory(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[selectors.Found] = []
    commune = None
    searched = bool(request.GET) and form.is_valid()
    if searched:
        data = form.cleaned_data
        commune = selectors.find_commune(data["commune"])
        if data["commune"] and commune is None:
            form.add_error("commune", _("Commune inconnue : essayez son code postal."))
        else:
            results = selectors.search(
                specialty=data["specialite"],
                commune=commune,
                radius_km=data["rayon"] or 25,
                teleconsultation=data["teleconsultation"],
                new_patients=data["nouveaux"],
                treating=data["traitant"],
                language=data["langue"],
                open_now=data["ouvert"],
            )
    return render(
        request,
        "profiles/directory.html",
        {"form": form, "results": results, "commune": commune, "searched": searched},
        status=400 if form.errors else 200,
    )


def _json_ld(request: HttpRequest, profile: DoctorProfile) -> str:
    version = profile.published_version
    practice = version.practice if version else None
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Physician",
        "name": profile.doctor.display_name,
        "medicalSpecialty": profile.doctor.professional.get_specialty_display(),
        "url": request.build_absolute_uri(),
        "availableLanguage": version.languages if version else [],
    }
    if practice is not None:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": practice.address,
            "postalCode": practice.postcode,
            "addressLocality": practice.commune.name,
            "addressCountry": "FR",
        }
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(practice.latitude),
            "longitude": float(practice.longitude),
        }
        if practice.phone:
            data["telephone"] = practice.phone
    # "</" cannot close the script element from inside the JSON.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


@login_not_required
@require_safe
@cache_public_page
def profile_page(request: HttpRequest, slug: str) -> HttpResponse:
    profile = selectors.get_published(slug=slug)
    version = profile.published_version
    professional = profile.doctor.professional
    return render(
        request,
        "profiles/profile.html",
        {
            "profile": profile,
            "version": version,
            "professional": professional,
            "practice": version.practice if version else None,
            "sector": sector_description(professional.convention_sector, professional.optam),
            "fee_notice": FEE_NOTICE,
            "json_ld": _json_ld(request, profile),
            "teleconsultation": hasattr(profile.doctor, "teleconsultation_offer")
            and profile.doctor.teleconsultation_offer.enabled,
            "languages": dict(selectors.LANGUAGES),
            "opening_hours": _opening_hours(version.practice if version else None),
        },
    )


def _opening_hours(practice: Practice | None) -> list[tuple[str, str]]:
    """(day, "08:30-12:00, 14:00-19:00") for the week, from the practice's stored hours."""
    availability = getattr(practice, "availability", None) if practice else None
    if availability is None:
        return []
    weekly = availability.opening_hours or {}
    return [
        (capfirst(str(name)), hours_text(weekly.get(str(day), [])) or _("fermé"))
        for day, name in enumerate(WEEKDAYS)
    ]


@login_not_required
@require_safe
def photo(request: HttpRequest, slug: str) -> FileResponse:
    profile = selectors.get_published(slug=slug)
    version = profile.published_version
    if version is None or not version.photo:
        raise Http404
    response = private_file(
        version.photo, content_type="image/jpeg", filename="photo.jpg", inline=True
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def _doctor_only(request: AuthedRequest) -> None:
    professional = getattr(request.user, "professional", None)
    if request.user.role not in DOCTOR_ROLES or professional is None:
        raise Http404


@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest) -> HttpResponse:
    """The doctor writes their profile; each save is a version, linted at once."""
    _doctor_only(request)
    profile = services.profile_of(request.user)
    latest = profile.versions.first()
    initial: dict[str, Any] = {}
    if latest is not None:
        initial = {
            "presentation": latest.presentation,
            "practice": latest.practice,
            "languages": latest.languages,
            "accepts_new_patients": latest.accepts_new_patients,
            "accepts_treating": latest.accepts_treating,
            "fees": latest.fees,
        }
    form = ProfileForm(
        request.POST or None, request.FILES or None, doctor=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.save_version(
                actor=request.user,
                draft=services.ProfileDraft(
                    presentation=data["presentation"],
                    languages=data["languages"],
                    practice=data["practice"],
                    accepts_new_patients=data["accepts_new_patients"],
                    accepts_treating=data["accepts_treating"],
                    fees=data["fees"],
                    photo=data["photo"],
                ),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            if version.findings:
                messages.warning(
                    request, _("Enregistré. Relisez les remarques sur les règles de communication.")
                )
            else:
                messages.success(request, _("Enregistré, sans remarque."))
            return redirect("profiles:edit")
    findings = []
    if latest is not None:
        texts = {"presentation": latest.presentation, "fees": latest.fees}
        for finding in latest.findings:
            text = texts.get(str(finding.get("field")), "")
            start, end = int(str(finding.get("start", 0))), int(str(finding.get("end", 0)))
            findings.append({**finding, "excerpt": text[start:end] if end > start else ""})
    return render(
        request,
        "profiles/edit.html",
        {
            "form": form,
            "profile": profile,
            "latest": latest,
            "findings": findings,
            "publish_form": PublishForm(),
            "consent_statement": services.CONSENT_STATEMENT,
            "versions": profile.versions.all()[:10],
            "public_url": reverse("profiles:profile", args=[profile.slug]),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def publish(request: AuthedRequest) -> HttpResponse:
    _doctor_only(request)
    profile = services.profile_of(request.user)
    latest = profile.versions.first()
    if latest is None:
        messages.error(request, _("Enregistrez d'abord votre profil."))
        return redirect("profiles:edit")
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.publish(
            actor=request.user,
            version=latest,
            consent=bool(form.cleaned_data.get("consent")),
            justification=form.cleaned_data.get("justification") or "",
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("profiles:edit")
    messages.success(request, _("Votre profil est publié dans l'annuaire."))
    return redirect("profiles:profile", slug=profile.slug)


@require_POST
def withdraw(request: AuthedRequest) -> HttpResponse:
    _doctor_only(request)
    try:
        services.withdraw(actor=request.user)
    except DoctorProfile.DoesNotExist as missing:
        raise Http404 from missing
    messages.success(request, _("Votre profil est retiré de l'annuaire."))
    return redirect("profiles:edit")
