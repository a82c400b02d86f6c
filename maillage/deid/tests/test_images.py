from __future__ import annotations

from io import BytesIO

import pytest
from django.utils.functional import Promise
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from maillage.deid.images import BURNT_IN_TEXT_WARNING, ImageScrub, scrub_image

ARTIST = "Dr Pierre Martin"
PATIENT = "Jeanne Dupont"


def _exif(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = ARTIST
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.DateTime] = "2024:03:12 10:00:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 41.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 11.0, 0.0)
    return exif


def _jpeg_with_gps(*, orientation: int = 1) -> bytes:
    out = BytesIO()
    image = Image.new("RGB", (40, 20), "red")
    image.paste("blue", (0, 0, 10, 20))  # left edge blue: shows where the rotation went
    image.save(out, "JPEG", exif=_exif(orientation=orientation), comment=PATIENT.encode())
    return out.getvalue()


def _open(result: ImageScrub) -> Image.Image:
    return Image.open(BytesIO(result.content))


def test_jpeg_loses_exif_gps_and_comment() -> None:
    source = _jpeg_with_gps()
    assert ARTIST.encode() in source  # the fixture really carries the metadata
    with Image.open(BytesIO(source)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    result = scrub_image(source)

    assert result.content_type == "image/jpeg"
    assert set(result.removed) >= {"exif", "gps", "comment"}
    with _open(result) as after:
        assert len(after.getexif()) == 0
        assert not after.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in after.info
        assert "comment" not in after.info
    assert ARTIST.encode() not in result.content
    assert PATIENT.encode() not in result.content
    assert b"PhoneCam" not in result.content


def test_orientation_is_applied_to_the_pixels() -> None:
    # Orientation 6: the camera was turned; viewers rotate 90° clockwise to display.
    result = scrub_image(_jpeg_with_gps(orientation=6))
    with _open(result) as after:
        assert after.size == (20, 40)
        top = after.getpixel((10, 2))
        assert isinstance(top, tuple)
        assert top[2] > 150  # the blue edge is now on top
        assert ExifTags.Base.Orientation not in after.getexif()


def test_png_text_chunks_are_removed_and_icc_profile_kept() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    info = PngInfo()
    info.add_text("Author", PATIENT)
    info.add_text("Comment", "née le 12/03/1975", zip=True)
    info.add_itxt("Description", "Chambre 12, M. Girard")
    out = BytesIO()
    Image.new("RGBA", (8, 8), (0, 255, 0, 128)).save(
        out, "PNG", pnginfo=info, icc_profile=icc, exif=_exif()
    )

    result = scrub_image(out.getvalue())

    assert result.content_type == "image/png"
    assert set(result.removed) >= {"png_text", "exif", "gps"}
    with _open(result) as after:
        assert getattr(after, "text", {}) == {}
        assert len(after.getexif()) == 0
        assert after.info.get("icc_profile") == icc
        assert after.mode == "RGBA"
    assert PATIENT.encode() not in result.content
    assert b"Girard" not in result.content


def test_webp_loses_exif_and_xmp() -> None:
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jeanne Dupont</dc:creator></x:xmpmeta>'
    out = BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "WEBP", exif=_exif(), xmp=xmp)

    result = scrub_image(out.getvalue())

    assert result.content_type == "image/webp"
    assert set(result.removed) >= {"exif", "gps", "xmp"}
    assert PATIENT.encode() not in result.content
    assert ARTIST.encode() not in result.content


def test_clean_image_reports_nothing_removed() -> None:
    out = BytesIO()
    Image.new("L", (4, 4)).save(out, "PNG")
    assert scrub_image(out.getvalue()).removed == ()


@pytest.mark.parametrize("pillow_format", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(pillow_format: str) -> None:
    out = BytesIO()
    Image.new("RGB", (4, 4)).save(out, pillow_format)
    with pytest.raises(ValueError, match="JPEG, PNG ou WebP"):
        scrub_image(out.getvalue())


def test_garbage_is_refused() -> None:
    with pytest.raises(ValueError, match="JPEG, PNG ou WebP"):
        scrub_image(b"%PDF-1.7 not an image")


def test_burnt_in_text_warning_is_lazy_and_french() -> None:
    assert isinstance(BURNT_IN_TEXT_WARNING, Promise)
    assert "écrit dans l'image" in str(BURNT_IN_TEXT_WARNING)
