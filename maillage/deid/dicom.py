"""De-identify DICOM files attached to a case discussion.

A subset of the DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile,
written with pydicom (which ships no profile): attributes that identify the patient,
the people who saw them and the place are emptied or removed, every date and time is
emptied (the "remove" variant of the longitudinal temporal option), instance UIDs are
replaced by new ones consistently inside the file, private tags, overlays and free-text
comments are removed, and the file says it was de-identified.

Text burnt into the pixels (common on ultrasound and secondary captures) is NOT handled:
:func:`declares_burnt_in_annotation` lets the page warn the author, who must check.
"""

from __future__ import annotations

from io import BytesIO
from typing import Final

import pydicom
from django.utils.translation import gettext
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.sequence import Sequence
from pydicom.uid import UID, generate_uid

__all__ = ["DEIDENTIFICATION_METHOD", "declares_burnt_in_annotation", "scrub_dicom"]

DEIDENTIFICATION_METHOD: Final = "Maillage: PS3.15 E.1 basic profile subset, dates removed"

#: Type 2 attributes, kept but emptied (PS3.15 action Z). Every PN, DA, DT and TM
#: element is emptied as well, wherever it is.
_EMPTIED: Final = frozenset(
    {
        "PatientName",
        "PatientID",
        "PatientBirthDate",
        "PatientSex",
        "AccessionNumber",
        "ReferringPhysicianName",
        "StudyID",
        "ContentCreatorName",
    }
)

#: Attributes removed outright (PS3.15 action X, and D/U attributes we do not need).
_REMOVED: Final = frozenset(
    {
        "OtherPatientIDs",
        "OtherPatientIDsSequence",
        "OtherPatientNames",
        "PatientBirthName",
        "PatientMotherBirthName",
        "PatientAddress",
        "PatientTelephoneNumbers",
        "PatientTelecomInformation",
        "PatientBirthTime",
        "PatientInsurancePlanCodeSequence",
        "PatientPrimaryLanguageCodeSequence",
        "PatientReligiousPreference",
        "MilitaryRank",
        "BranchOfService",
        "EthnicGroup",
        "Occupation",
        "MedicalRecordLocator",
        "AdditionalPatientHistory",
        "PatientComments",
        "PatientState",
        "PregnancyStatus",
        "LastMenstrualDate",
        "SpecialNeeds",
        "ResponsiblePerson",
        "ResponsibleOrganization",
        "CountryOfResidence",
        "RegionOfResidence",
        "CurrentPatientLocation",
        "PatientInstitutionResidence",
        "IssuerOfPatientID",
        "IssuerOfPatientIDQualifiersSequence",
        "InstitutionName",
        "InstitutionAddress",
        "InstitutionCodeSequence",
        "InstitutionalDepartmentName",
        "InstitutionalDepartmentTypeCodeSequence",
        "ReferringPhysicianAddress",
        "ReferringPhysicianTelephoneNumbers",
        "ReferringPhysicianIdentificationSequence",
        "PhysiciansOfRecord",
        "PhysiciansOfRecordIdentificationSequence",
        "PerformingPhysicianName",
        "PerformingPhysicianIdentificationSequence",
        "NameOfPhysiciansReadingStudy",
        "PhysiciansReadingStudyIdentificationSequence",
        "OperatorsName",
        "OperatorIdentificationSequence",
        "RequestingPhysician",
        "RequestingService",
        "ScheduledPerformingPhysicianName",
        "ScheduledPerformingPhysicianIdentificationSequence",
        "ReviewerName",
        "VerifyingObserverName",
        "VerifyingObserverSequence",
        "PersonName",
        "PersonAddress",
        "PersonTelephoneNumbers",
        "StationName",
        "DeviceSerialNumber",
        "DetectorID",
        "PlateID",
        "GantryID",
        "CassetteID",
        "StudyDescription",
        "SeriesDescription",
        "PerformedProcedureStepDescription",
        "RequestedProcedureDescription",
        "ScheduledProcedureStepDescription",
        "ProtocolName",
        "ImageComments",
        "StudyComments",
        "InterpretationText",
        "AdmittingDiagnosesDescription",
        "AdmittingDiagnosesCodeSequence",
        "DerivationDescription",
        "RequestAttributesSequence",
        "ReferencedPatientSequence",
        "ReferencedStudySequence",
        "ReferencedPerformedProcedureStepSequence",
        "AdmissionID",
        "IssuerOfAdmissionIDSequence",
        "PerformedProcedureStepID",
        "RequestedProcedureID",
        "ScheduledProcedureStepID",
        "FillerOrderNumberImagingServiceRequest",
        "PlacerOrderNumberImagingServiceRequest",
        "OrderEnteredBy",
        "OrderEntererLocation",
        "OrderCallbackPhoneNumber",
        "TextComments",
        "TextString",
        "ModifiedAttributesSequence",
        "OriginalAttributesSequence",
        "SourceApplicationEntityTitle",
        "InstanceCreatorUID",
        "TimezoneOffsetFromUTC",
    }
)

#: The software's UID, not the patient's: kept. Registered standard UIDs (SOP classes,
#: transfer syntaxes) are kept too, see _new_uid.
_KEPT_UIDS: Final = frozenset({"ImplementationClassUID"})
_DATE_TIME_VRS: Final = frozenset({"DA", "DT", "TM"})


def scrub_dicom(data: bytes) -> bytes:
    """Return a de-identified copy of a DICOM Part 10 file.

    Raises:
        ValueError: if ``data`` is not a readable DICOM file.
    """
    try:
        dataset = pydicom.dcmread(BytesIO(data))
    except (InvalidDicomError, EOFError, ValueError, OSError) as exc:
        raise ValueError(gettext("Ce fichier n'est pas un fichier DICOM lisible.")) from exc
    uid_map: dict[str, str] = {}
    dataset.remove_private_tags()
    _scrub_dataset(dataset, uid_map)
    _mark_deidentified(dataset)
    meta = dataset.file_meta
    if "MediaStorageSOPInstanceUID" in meta:
        meta.MediaStorageSOPInstanceUID = UID(
            _new_uid(str(meta.MediaStorageSOPInstanceUID), uid_map)
        )
    for keyword in ("SourceApplicationEntityTitle", "SendingApplicationEntityTitle"):
        if keyword in meta:
            delattr(meta, keyword)
    out = BytesIO()
    try:
        dataset.save_as(out, enforce_file_format=True)
    except (AttributeError, ValueError) as exc:  # "DICM" then nothing usable
        raise ValueError(gettext("Ce fichier n'est pas un fichier DICOM lisible.")) from exc
    return out.getvalue()


def declares_burnt_in_annotation(data: bytes) -> bool | None:
    """What the file says about text in its pixels: True, False, or None if it does not say.

    Only a declaration: absent or "NO" does not prove the pixels are clean.
    """
    try:
        dataset = pydicom.dcmread(BytesIO(data), stop_before_pixels=True)
    except (InvalidDicomError, EOFError, ValueError, OSError) as exc:
        raise ValueError(gettext("Ce fichier n'est pas un fichier DICOM lisible.")) from exc
    value = str(dataset.get("BurnedInAnnotation", "")).strip().upper()
    if value == "YES":
        return True
    if value == "NO":
        return False
    return None


def _scrub_dataset(dataset: Dataset, uid_map: dict[str, str]) -> None:
    for element in list(dataset):
        keyword = element.keyword
        if keyword in _REMOVED or _is_overlay_or_curve(element):
            del dataset[element.tag]
        elif element.VR == "SQ":
            sequence: Sequence = element.value
            for item in sequence:
                _scrub_dataset(item, uid_map)
        elif keyword in _EMPTIED or element.VR in _DATE_TIME_VRS or element.VR == "PN":
            element.value = None  # PS3.15 "Z": present, zero length
        elif element.VR == "UI" and keyword not in _KEPT_UIDS:
            element.value = _map_uids(element, uid_map)
        elif keyword == "PatientAge":
            element.value = _capped_age(str(element.value or ""))


def _is_overlay_or_curve(element: DataElement) -> bool:
    """Overlays (60xx) can hold burnt-in text as graphics; curves (50xx) are retired."""
    return 0x6000 <= element.tag.group <= 0x60FF or 0x5000 <= element.tag.group <= 0x50FF


def _map_uids(element: DataElement, uid_map: dict[str, str]) -> object:
    if element.VM > 1:
        return [_new_uid(str(value), uid_map) for value in element.value]
    return _new_uid(str(element.value), uid_map) if element.value else element.value


def _new_uid(value: str, uid_map: dict[str, str]) -> str:
    """A fresh UID for an instance UID; registered standard UIDs (SOP classes…) stay."""
    if not value or UID(value).name != value:  # a registered UID has a name
        return value
    if value not in uid_map:
        uid_map[value] = str(generate_uid())
    return uid_map[value]


def _capped_age(age: str) -> str:
    """Ages over 89 become "090Y" (they are rare enough to identify someone)."""
    if len(age) == 4 and age[:3].isdigit() and age[3] == "Y" and int(age[:3]) > 89:
        return "090Y"
    return age


def _mark_deidentified(dataset: Dataset) -> None:
    dataset.PatientIdentityRemoved = "YES"
    dataset.DeidentificationMethod = DEIDENTIFICATION_METHOD
    code = Dataset()
    code.CodeValue = "113100"
    code.CodingSchemeDesignator = "DCM"
    code.CodeMeaning = "Basic Application Confidentiality Profile"
    dataset.DeidentificationMethodCodeSequence = Sequence([code])
    dataset.LongitudinalTemporalInformationModified = "REMOVED"
