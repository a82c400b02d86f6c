from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms

from maillage.core import uploads
from maillage.core.uploads import MAX_UPLOAD_BYTES, CleanUpload, clean_upload

SIXTY_FOUR_KB = 64 * 1024
RED = (255, 0, 0)
BLUE = (0, 0, 255)


def upload(content: bytes, name: str = "fichier", content_type: str = "image/jpeg") -> UploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(uploaded: UploadedFile) -> ValidationError:
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        clean_upload(uploaded)
    return caught.value


def encoded(image: Image.Image, pillow_format: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, pillow_format, **params)
    return out.getvalue()


def reopened(clean: CleanUpload) -> Image.Image:
    image = Image.open(io.BytesIO(clean.content))
    image.load()
    return image


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def one_colour_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG, written row by row so that a huge one stays small in memory."""
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def pdf(
    catalog: bytes = b"", objects: tuple[bytes, ...] = (), trailer: bytes = b"", padding: int = 0
) -> bytes:
    bodies = (
        b"<< /Type /Catalog /Pages 2 0 R" + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *objects,
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(bodies) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def object_stream(dictionary: bytes) -> bytes:
    packed = zlib.compress(b"5 0 " + dictionary)
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(packed), packed)
    )


def test_a_photo_loses_its_exif_and_gps_but_keeps_its_visual_orientation() -> None:
    # given: a landscape photo, red on the left, that the camera says to turn a quarter right
    photo = Image.new("RGB", (40, 20), BLUE)
    photo.paste(RED, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Camera of Dr Martin"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 41.0, 30.0)
    original = encoded(photo, "JPEG", exif=exif, comment=b"Jean Dupont", xmp=b"<x:xmpmeta/>")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    # when
    clean = clean_upload(upload(original, "photo.jpg"))

    # then: a portrait, red on top, and nothing but pixels
    stored = reopened(clean)
    assert (clean.width, clean.height) == stored.size == (20, 40)
    assert stored.getpixel((10, 5)) == pytest.approx(RED, abs=40)
    assert stored.getpixel((10, 35)) == pytest.approx(BLUE, abs=40)
    assert not stored.getexif()
    assert {"exif", "xmp", "comment", "icc_profile"}.isdisjoint(stored.info)
    assert b"Dupont" not in clean.content
    assert b"Martin" not in clean.content
    assert (clean.content_type, clean.extension) == ("image/jpeg", ".jpg")


@pytest.mark.parametrize(
    ("pillow_format", "content_type", "extension"),
    [("PNG", "image/png", ".png"), ("WEBP", "image/webp", ".webp")],
)
def test_png_and_webp_are_accepted_and_re_encoded_without_metadata(
    pillow_format: str, content_type: str, extension: str
) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Jean Dupont"
    original = encoded(Image.new("RGBA", (30, 20), (*RED, 128)), pillow_format, exif=exif)

    clean = clean_upload(upload(original, "scan.jpg", content_type="application/pdf"))

    stored = reopened(clean)
    assert (clean.content_type, clean.extension) == (content_type, extension)
    assert clean.original_name == f"scan{extension}"
    assert (clean.width, clean.height) == stored.size == (30, 20)
    assert stored.mode == "RGBA"
    assert clean.content != original
    assert not stored.getexif()
    assert b"Dupont" not in clean.content


@pytest.mark.parametrize(
    ("image", "pillow_format", "expected_mode"),
    [
        (Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG", "RGB"),
        (Image.new("L", (8, 8), 128), "JPEG", "L"),
        (Image.new("P", (8, 8), 1), "PNG", "RGBA"),
        (Image.new("LA", (8, 8), (128, 64)), "PNG", "LA"),
        (Image.new("I;16", (8, 8), 40000), "PNG", "I;16"),
    ],
)
def test_colour_modes_become_ones_the_output_format_stores_faithfully(
    image: Image.Image, pillow_format: str, expected_mode: str
) -> None:
    params: dict[str, object] = {"transparency": 1} if image.mode == "P" else {}

    stored = reopened(clean_upload(upload(encoded(image, pillow_format, **params))))

    assert stored.mode == expected_mode


def linear_rgb_profile() -> bytes:
    """The sRGB primaries with a gamma of 1: mid-grey in it is a light grey in sRGB."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (tag_count,) = struct.unpack_from(">I", profile, 128)
    for index in range(tag_count):
        tag, offset, _ = struct.unpack_from(">4sII", profile, 132 + 12 * index)
        if tag in {b"rTRC", b"gTRC", b"bTRC"}:
            struct.pack_into(">4sxxxxHxxi", profile, offset, b"para", 0, 1 << 16)
    return bytes(profile)


def test_an_embedded_colour_profile_is_applied_then_dropped() -> None:
    grey = (128, 128, 128)
    original = encoded(Image.new("RGB", (8, 8), grey), "PNG", icc_profile=linear_rgb_profile())

    stored = reopened(clean_upload(upload(original)))

    assert "icc_profile" not in stored.info
    assert stored.getpixel((4, 4)) == (188, 188, 188)


def test_a_palette_image_is_smoothed_when_downscaled_not_decimated() -> None:
    stripes = Image.frombytes("P", (6000, 2), bytes([0, 1]) * 6000)
    stripes.putpalette([0, 0, 0, 255, 255, 255])

    stored = reopened(clean_upload(upload(encoded(stripes, "PNG"))))

    assert stored.size == (3000, 1)
    assert stored.getpixel((1500, 0)) == pytest.approx((128, 128, 128), abs=16)


@pytest.mark.parametrize(
    ("pillow_format", "size", "expected"),
    [("JPEG", (12000, 1000), (3000, 250)), ("PNG", (2000, 9000), (667, 3000))],
)
def test_a_large_image_is_downscaled_to_3000_px_on_its_longest_side(
    pillow_format: str, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    original = encoded(Image.new("RGB", size, RED), pillow_format)

    clean = clean_upload(upload(original))

    assert (clean.width, clean.height) == reopened(clean).size == expected


@pytest.mark.parametrize("side", [7000, 20000], ids=["over-our-limit", "over-pillows-limit"])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(side: int) -> None:
    error = refusal(upload(one_colour_png(side, side), "bombe.png"))

    assert error.code == "image"
    assert error.messages == ["Cette image est trop grande : 40 mégapixels au maximum."]


def test_a_truncated_image_is_unreadable() -> None:
    original = encoded(Image.new("RGB", (64, 64), RED), "PNG")

    error = refusal(upload(original[: len(original) // 2]))

    assert error.code == "image"
    assert error.messages == ["Cette image est illisible."]


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<p>hello</p>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        pytest.param(zip_archive(), "photo.jpg", id="zip-named-jpg"),
        pytest.param(
            b"<!doctype html><html><script>alert(1)</script>", "cr.pdf", id="html-named-pdf"
        ),
        pytest.param(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "photo.png", id="gif"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "photo.jpg", id="svg"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00", "ordonnance.pdf", id="executable"),
        pytest.param(b"Compte rendu de consultation", "cr.pdf", id="text"),
        pytest.param(b"\n%PDF-1.7\n%%EOF\n", "cr.pdf", id="pdf-header-not-first"),
    ],
)
def test_a_file_that_is_not_an_accepted_format_is_refused_whatever_its_name(
    content: bytes, name: str
) -> None:
    error = refusal(upload(content, name))

    assert error.code == "type"
    assert error.messages == ["Formats acceptés : photo JPEG, PNG ou WebP, document PDF."]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(encoded(Image.new("RGB", (8, 8)), "JPEG") + zip_archive(), id="jpeg+zip"),
        pytest.param(
            encoded(Image.new("RGB", (400, 400)), "JPEG", quality=100)
            + b"\0" * 70_000
            + zip_archive(),
            id="jpeg+zip-past-64kb",
        ),
        pytest.param(
            encoded(Image.new("RGB", (8, 8)), "PNG")[:33]
            + png_chunk(b"tEXt", b"Comment\0<?PHP system($_GET[0]); ?>")
            + encoded(Image.new("RGB", (8, 8)), "PNG")[33:],
            id="png-with-php",
        ),
        pytest.param(
            pdf(padding=SIXTY_FOUR_KB, objects=(zip_archive(), SIXTY_FOUR_KB * b"x")),
            id="pdf-with-zip-in-the-middle",
        ),
        pytest.param(
            pdf(padding=SIXTY_FOUR_KB, objects=(b"(<ScRiPt>alert(1))", SIXTY_FOUR_KB * b"x")),
            id="pdf-with-script-tag-in-the-middle",
        ),
    ],
)
def test_a_polyglot_is_refused(content: bytes) -> None:
    assert refusal(upload(content)).code == "type"


def test_a_minimal_pdf_is_kept_as_is() -> None:
    original = pdf(catalog=b" /OpenAction [3 0 R /Fit]")

    clean = clean_upload(upload(original, "compte-rendu.pdf"))

    assert clean == CleanUpload(original, "application/pdf", ".pdf", "compte-rendu.pdf", None, None)


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(
            pdf(catalog=b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            id="open-action-js",
        ),
        pytest.param(
            pdf(catalog=b" /AA << /WC 4 0 R >>", objects=(b"<< /JS (app.alert(1)) >>",)),
            id="js-key",
        ),
        pytest.param(
            pdf(catalog=b" /OpenAction << /S /J#61vaScript /J#53 (x) >>"), id="escaped-names"
        ),
        pytest.param(pdf(catalog=b" /OpenAction << /S /Launch /F (cmd.exe) >>"), id="launch"),
        pytest.param(
            pdf(catalog=b" /Names << /EmbeddedFiles 4 0 R >>", objects=(b"<< >>",)), id="attachment"
        ),
        pytest.param(
            pdf(
                catalog=b" /OpenAction 5 0 R",
                objects=(object_stream(b"<< /S /JavaScript /JS (x) >>"),),
            ),
            id="js-in-compressed-object-stream",
        ),
    ],
)
def test_a_pdf_with_active_content_is_refused(document: bytes) -> None:
    error = refusal(upload(document, "cr.pdf"))

    assert error.code == "pdf"
    assert "éléments actifs" in error.messages[0]


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(pdf()[:-40], id="truncated"),
        pytest.param(pdf() + b"\n" * 2000, id="payload-after-eof"),
        pytest.param(
            pdf(
                objects=(object_stream(b"<< >>"), b"<< /Filter /Standard >>"),
                trailer=b" /Encrypt 5 0 R",
            ),
            id="encrypted-object-streams",
        ),
    ],
)
def test_a_pdf_that_cannot_be_checked_is_refused(document: bytes) -> None:
    assert refusal(upload(document, "cr.pdf")).code == "pdf"


def test_a_pdf_inflating_past_the_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "_PDF_INFLATE_BUDGET", 1000)
    document = pdf(objects=(object_stream(b"<< /Producer (" + b"a" * 2000 + b") >>"),))

    error = refusal(upload(document, "cr.pdf"))

    assert error.code == "pdf"
    assert "vérifié" in error.messages[0]


def test_an_empty_file_is_refused() -> None:
    error = refusal(upload(b""))

    assert error.code == "empty"
    assert error.messages == ["Le fichier est vide."]


def test_a_file_of_exactly_the_limit_is_accepted() -> None:
    # the padding comment also lengthens the startxref offset, hence the second pass
    padding = MAX_UPLOAD_BYTES - len(pdf()) - 2
    padding += MAX_UPLOAD_BYTES - len(pdf(padding=padding))
    document = pdf(padding=padding)
    assert len(document) == MAX_UPLOAD_BYTES

    assert clean_upload(upload(document, "cr.pdf")).content == document


class CountingFile(io.BytesIO):
    bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_a_larger_file_is_refused_after_reading_one_byte_past_the_limit() -> None:
    stream = CountingFile(b"\xff\xd8\xff" + bytes(3 * MAX_UPLOAD_BYTES))

    error = refusal(UploadedFile(stream, "photo.jpg"))

    assert error.code == "too_large"
    assert error.messages == ["Le fichier dépasse 10 Mo."]
    assert stream.bytes_read == MAX_UPLOAD_BYTES + 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd\x00.jpg", "passwd.jpg"),
        ("..\\..\\Windows\\win.ini\r\n.JPEG", "win.ini.jpg"),
        ("photo\u202egnp.exe", "photognp.exe.jpg"),
        ('<img src=x onerror="alert(1)">.jpg', "_img src=x onerror=_alert(1)__.jpg"),
        ("  ...cachée  .jpg", "cachée.jpg"),
        ("..", "fichier.jpg"),
        ("é" * 300 + ".jpg", "é" * 116 + ".jpg"),
    ],
)
def test_the_original_name_is_reduced_to_a_safe_basename(name: str, expected: str) -> None:
    uploaded = upload(encoded(Image.new("RGB", (8, 8)), "JPEG"))
    vars(uploaded)["_name"] = name  # bypasses Django's basename(): other callers may not have it

    assert clean_upload(uploaded).original_name == expected


def test_the_name_takes_the_extension_of_the_real_type() -> None:
    clean = clean_upload(upload(encoded(Image.new("RGB", (8, 8)), "PNG"), "facture.pdf"))

    assert clean.original_name == "facture.png"


def test_the_repr_shows_neither_the_name_nor_the_content() -> None:
    clean = clean_upload(upload(pdf(), "IRM Jean Dupont.pdf"))

    assert "Dupont" not in repr(clean)
    assert "PDF-1.7" not in repr(clean)


MAGICS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBP", b"%PDF-"]
VALID = [
    encoded(Image.new("RGB", (16, 16), RED), "JPEG"),
    encoded(Image.new("RGBA", (16, 16), RED), "PNG"),
    encoded(Image.new("RGB", (16, 16), RED), "WEBP"),
    pdf(),
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    content = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(1, 8))):
        content[draw(st.integers(0, len(content) - 1))] = draw(st.integers(0, 255))
    return bytes(content[: draw(st.integers(1, len(content)))])


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=2048)
    | st.tuples(st.sampled_from(MAGICS), st.binary(max_size=2048)).map(b"".join)
    | mutated()
)
def test_arbitrary_bytes_are_either_cleaned_or_refused_with_a_validation_error(
    content: bytes,
) -> None:
    try:
        clean = clean_upload(upload(content))
    except ValidationError as error:
        code = error.code
    else:
        assert clean.content_type in uploads.ALLOWED
        assert clean.content
        return
    assert code in {"empty", "type", "image", "pdf"}


def test_a_truncated_image_is_refused_even_after_weasyprint_loosened_pillow() -> None:
    from importlib import import_module

    from PIL import ImageFile

    import_module("weasyprint")  # sets ImageFile.LOAD_TRUNCATED_IMAGES = True on import

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "blue").save(buffer, "JPEG")
    cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]

    with pytest.raises(ValidationError) as refused:
        clean_upload(SimpleUploadedFile("cut.jpg", cut, "image/jpeg"))

    assert refused.value.code == "image"
