from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.accounts.selectors import list_patients_actor_acts_for
from maillage.core.exceptions import DomainError
from maillage.core.http import AuthedRequest
from maillage.directory import selectors, services
from maillage.directory.forms import TreatingDoctorForm


@require_http_methods(["GET", "POST"])
def treating_doctor(request: AuthedRequest) -> HttpResponse:
    """Choose the médecin traitant of oneself or of someone one represents."""
    patients = list_patients_actor_acts_for(actor=request.user)
    people = list(patients)
    if not people:
        raise Http404
    form = TreatingDoctorForm(
        request.POST or None,
        patients=patients,
        doctors=selectors.list_declarable_doctors_for(actor=request.user),
        initial={"patient": request.user.pk},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            patient, doctor = form.cleaned_data["patient"], form.cleaned_data["doctor"]
            try:
                services.declare_treating_doctor(actor=request.user, patient=patient, doctor=doctor)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request,
                    _("%(doctor)s est désormais le médecin traitant de %(patient)s.")
                    % {"doctor": doctor.display_name, "patient": patient.get_full_name()},
                )
                return redirect("directory:treating_doctor")
        status = 422
    declarations = selectors.list_treating_declarations_for(actor=request.user)
    ctx = {"form": form, "people": [(person, declarations.get(person.pk)) for person in people]}
    return render(request, "directory/treating_doctor.html", ctx, status=status)
