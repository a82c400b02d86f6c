from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import FileDataset

from maillage.deid.dicom import DEIDENTIFICATION_METHOD, declares_burnt_in_annotation, scrub_dicom


@pytest.fixture(scope="module")
def ct_small() -> bytes:
    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    return Path(str(path)).read_bytes()


def _read(data: bytes) -> FileDataset:
    return pydicom.dcmread(BytesIO(data))


def test_fixture_carries_identifiers(ct_small: bytes) -> None:
    before = _read(ct_small)
    assert str(before.PatientName) == "CompressedSamples^CT1"
    assert before.InstitutionName == "JFK IMAGING CENTER"
    assert any(element.tag.is_private for element in before)


def test_identifying_attributes_are_emptied_or_removed(ct_small: bytes) -> None:
    after = _read(scrub_dicom(ct_small))

    for keyword in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyID"):
        assert keyword in after, keyword  # type 2: present, empty
        assert not after[keyword].value, keyword
    for keyword in (
        "InstitutionName",
        "StationName",
        "OtherPatientIDsSequence",
        "StudyDescription",
        "ImageComments",
        "AdditionalPatientHistory",
        "InstanceCreatorUID",
    ):
        assert keyword not in after, keyword
    assert not any(element.tag.is_private for element in after.iterall())
    assert not after.ReferringPhysicianName
    assert not after.AccessionNumber


def test_every_date_and_time_is_emptied(ct_small: bytes) -> None:
    after = _read(scrub_dicom(ct_small))
    dated = [e for e in after.iterall() if e.VR in {"DA", "DT", "TM"}]
    assert dated
    assert all(not element.value for element in dated)
    assert after.LongitudinalTemporalInformationModified == "REMOVED"


def test_uids_are_replaced_consistently(ct_small: bytes) -> None:
    before = _read(ct_small)
    after = _read(scrub_dicom(ct_small))

    for keyword in (
        "StudyInstanceUID",
        "SeriesInstanceUID",
        "SOPInstanceUID",
        "FrameOfReferenceUID",
    ):
        assert after[keyword].value != before[keyword].value, keyword
    assert after.file_meta.MediaStorageSOPInstanceUID == after.SOPInstanceUID
    assert after.SOPClassUID == before.SOPClassUID  # "CT Image Storage" is not the patient's
    assert after.file_meta.TransferSyntaxUID == before.file_meta.TransferSyntaxUID


def test_two_runs_give_unrelated_uids(ct_small: bytes) -> None:
    first, second = _read(scrub_dicom(ct_small)), _read(scrub_dicom(ct_small))
    assert first.StudyInstanceUID != second.StudyInstanceUID


def test_file_says_it_was_deidentified_and_pixels_are_unchanged(ct_small: bytes) -> None:
    before = _read(ct_small)
    after = _read(scrub_dicom(ct_small))
    assert after.PatientIdentityRemoved == "YES"
    assert after.DeidentificationMethod == DEIDENTIFICATION_METHOD
    assert after.DeidentificationMethodCodeSequence[0].CodeValue == "113100"
    assert after.PixelData == before.PixelData


def test_raw_bytes_no_longer_hold_the_identifiers(ct_small: bytes) -> None:
    data = scrub_dicom(ct_small)
    for secret in (b"CompressedSamples", b"JFK IMAGING", b"1CT1", b"ABCD1234", b"CLUNIE1"):
        assert secret not in data, secret


def test_ages_over_89_are_capped(ct_small: bytes) -> None:
    dataset = _read(ct_small)
    dataset.PatientAge = "095Y"
    out = BytesIO()
    dataset.save_as(out)
    assert _read(scrub_dicom(out.getvalue())).PatientAge == "090Y"


def test_burnt_in_annotation_declaration(ct_small: bytes) -> None:
    assert declares_burnt_in_annotation(ct_small) is None
    dataset = _read(ct_small)
    dataset.BurnedInAnnotation = "YES"
    out = BytesIO()
    dataset.save_as(out)
    assert declares_burnt_in_annotation(out.getvalue()) is True


def test_non_dicom_is_refused() -> None:
    with pytest.raises(ValueError, match="DICOM"):
        scrub_dicom(b"\x89PNG\r\n\x1a\n not dicom")
