"""Turn an uploaded file into something safe to store and serve.

The type comes from the bytes only (never from the name or the browser). Images are
decoded and re-encoded, which drops every byte we did not draw ourselves: EXIF (GPS,
camera serial numbers), XMP, comments, ICC profiles, appended payloads. PDFs are kept
as they are, so they are screened instead, and refused when they carry active content.

The PDF screen is a denylist over the raw bytes and the Flate-compressed streams
(object streams included), with PDF name escapes (``/J#61vaScript``) decoded. It is
not a PDF parser: serve stored PDFs with ``Content-Disposition: attachment`` and
``X-Content-Type-Options: nosniff`` all the same.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Final

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from PIL import Image, ImageCms, ImageFile, ImageOps

__all__ = [
    "ALLOWED",
    "MAX_IMAGE_PIXELS",
    "MAX_IMAGE_SIDE",
    "MAX_NAME_LENGTH",
    "MAX_UPLOAD_BYTES",
    "CleanUpload",
    "clean_upload",
]

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES: Final = 10 * 1024 * 1024
ALLOWED: Final = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
#: Checked on the header, before any pixel is decoded. Pillow's own global limit is
#: left alone: it belongs to the whole process, and we only need ours to be stricter.
MAX_IMAGE_PIXELS: Final = 40_000_000
MAX_IMAGE_SIDE: Final = 3000
MAX_NAME_LENGTH: Final = 120

_MEBIBYTE: Final = 1024 * 1024
_SNIFF_WINDOW: Final = 64 * 1024
# Acrobat only looks for %%EOF in the last 1024 bytes; anything after it is a payload.
_PDF_EOF_WINDOW: Final = 1024
# Inflating is where a small PDF becomes a large amount of work: past this, refuse.
_PDF_INFLATE_BUDGET = 256 * _MEBIBYTE
_INFLATE_INPUT_CHUNK: Final = 16 * 1024
_INFLATE_OUTPUT_CHUNK: Final = _MEBIBYTE
_NAME_OVERLAP: Final = 64  # longest escaped name we look for, across chunk boundaries

_MESSAGES: Final[dict[str, StrOrPromise]] = {
    "too_large": _("Le fichier dépasse %(limit)s Mo."),
    "empty": _("Le fichier est vide."),
    "type": _("Formats acceptés : photo JPEG, PNG ou WebP, document PDF."),
    "image": _("Cette image est illisible."),
    "image_pixels": _("Cette image est trop grande : %(limit)s mégapixels au maximum."),
    "pdf_active": _(
        "Ce PDF contient des éléments actifs (script, lancement d'application ou fichier "
        "joint). Enregistrez-le de nouveau avec « Imprimer en PDF » puis réessayez."
    ),
    "pdf_unverifiable": _(
        "Ce PDF ne peut pas être vérifié (chiffré, ou trop volumineux une fois décompressé). "
        "Enregistrez-le de nouveau avec « Imprimer en PDF » puis réessayez."
    ),
    "pdf_incomplete": _("Ce PDF est incomplet ou endommagé."),
}


@dataclass(frozen=True)
class CleanUpload:
    # Neither the bytes nor the name (often the patient's) belong in a repr, a log or an
    # error report (STYLE rule 10).
    content: bytes = field(repr=False)
    content_type: str
    extension: str
    original_name: str = field(repr=False)
    width: int | None
    height: int | None


@dataclass(frozen=True)
class _Kind:
    content_type: str
    extension: str
    pillow_format: str | None  # None: not an image, stored as is


_JPEG: Final = _Kind("image/jpeg", ".jpg", "JPEG")
_PNG: Final = _Kind("image/png", ".png", "PNG")
_WEBP: Final = _Kind("image/webp", ".webp", "WEBP")
_PDF: Final = _Kind("application/pdf", ".pdf", None)

_PNG_MAGIC: Final = b"\x89PNG\r\n\x1a\n"
_ZIP_LOCAL_HEADER: Final = b"PK\x03\x04"
_HTML_MARKER: Final = re.compile(rb"<(?:script|html|\?php)", re.IGNORECASE)


def _refusal(key: str, code: str, **params: int) -> ValidationError:
    return ValidationError(_MESSAGES[key], code=code, params=params or None)


def clean_upload(uploaded: UploadedFile) -> CleanUpload:
    """Check an uploaded file and return what may be stored and served.

    Raises:
        ValidationError: with code ``too_large``, ``empty``, ``type``, ``image`` or
            ``pdf``, and a message that can be shown to the person uploading.
    """
    data = _read_at_most(uploaded, MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refusal("too_large", "too_large", limit=MAX_UPLOAD_BYTES // _MEBIBYTE)
    if not data:
        raise _refusal("empty", "empty")
    kind = _sniff(data)
    _refuse_polyglot(data, kind)
    name = _safe_name(uploaded.name, kind.extension)
    if kind.pillow_format is None:
        _screen_pdf(data)
        return CleanUpload(data, kind.content_type, kind.extension, name, None, None)
    content, (width, height) = _reencode_image(data, kind.pillow_format)
    return CleanUpload(content, kind.content_type, kind.extension, name, width, height)


def _read_at_most(uploaded: UploadedFile, limit: int) -> bytes:
    uploaded.seek(0)
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = uploaded.read(remaining)
        if not chunk:
            break
        if not isinstance(chunk, bytes):
            msg = "uploads must be read in binary mode"
            raise TypeError(msg)
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _sniff(data: bytes) -> _Kind:
    if data.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if data.startswith(_PNG_MAGIC):
        return _PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _WEBP
    if data.startswith(b"%PDF-"):
        return _PDF
    raise _refusal("type", "type")


def _refuse_polyglot(data: bytes, kind: _Kind) -> None:
    # An archive appended to an image sits at its end, however large the image.
    windows = [data] if kind is _PDF else [data[:_SNIFF_WINDOW], data[-_SNIFF_WINDOW:]]
    for window in windows:
        if _ZIP_LOCAL_HEADER in window or _HTML_MARKER.search(window):
            raise _refusal("type", "type")


# --- Names -----------------------------------------------------------------------------

_EXTENSION_ALIASES: Final = frozenset({"jpg", "jpeg", "jpe", "jfif", "png", "webp", "pdf"})
_UNSAFE_IN_NAME: Final = re.compile(r'[<>:"|?*]')


def _safe_name(raw: str | None, extension: str) -> str:
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Categories C*: control characters (NUL…), and format characters such as U+202E,
    # which displays "photo\u202egpj.exe" as "photoexe.jpg".
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(_UNSAFE_IN_NAME.sub("_", name).split())
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in _EXTENSION_ALIASES:
        name = stem
    # The stored type decides the extension: "facture.html" holding a PDF is served as
    # "facture.html.pdf", never as something a browser would render.
    name = name.strip(" .")[: MAX_NAME_LENGTH - len(extension)].rstrip(" .")
    return f"{name or 'fichier'}{extension}"


# --- Images ----------------------------------------------------------------------------

_SRGB: Final = ImageCms.createProfile("sRGB")
_KEPT_MODES: Final = {
    "JPEG": frozenset({"L", "RGB"}),
    "PNG": frozenset({"L", "LA", "I;16", "RGB", "RGBA"}),
    "WEBP": frozenset({"RGB", "RGBA"}),
}
_ALPHA_MODES: Final = frozenset({"LA", "La", "PA", "RGBA", "RGBa"})


def _reencode_image(data: bytes, pillow_format: str) -> tuple[bytes, tuple[int, int]]:
    try:
        image = _decode(data, pillow_format)
        return _encode(image, pillow_format), image.size
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refusal("image_pixels", "image", limit=MAX_IMAGE_PIXELS // 1_000_000) from exc
    except MemoryError:
        raise
    except Exception as exc:
        # Pillow's decoders answer hostile input with an open-ended set of exception
        # types (OSError, SyntaxError, ValueError, struct.error, EOFError…): all of them
        # mean that we cannot read this image. The class name is enough to investigate;
        # never log the exception itself, whose frames hold the image.
        logger.info("image upload refused", extra={"reason": type(exc).__name__})
        raise _refusal("image", "image") from exc


# WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True when imported (to render
# what it can). A patient's photo must be whole, so decoding here puts the flag back to False
# for its duration, under a lock since the flag is shared by every thread.
_TRUNCATION_FLAG_LOCK = threading.Lock()


def _load_whole(opened: Image.Image) -> None:
    with _TRUNCATION_FLAG_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            opened.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decode(data: bytes, pillow_format: str) -> Image.Image:
    with Image.open(BytesIO(data), formats=[pillow_format]) as opened:
        width, height = opened.size
        if width * height > MAX_IMAGE_PIXELS:
            raise _refusal("image_pixels", "image", limit=MAX_IMAGE_PIXELS // 1_000_000)
        target = _fitted(opened.size)
        if target != opened.size:
            # JPEG only (a no-op elsewhere): let libjpeg decode at 1/2, 1/4 or 1/8 scale,
            # at least twice the final size, so a large photo never sits whole in memory.
            opened.draft(None, (2 * target[0], 2 * target[1]))
        _load_whole(opened)
        # Mirrored orientations swap left and right: clinically meaningful, so an
        # unreadable orientation refuses the image rather than guessing.
        ImageOps.exif_transpose(opened, in_place=True)  # no second full-size copy
    image: Image.Image = opened
    if image.mode in {"P", "PA"}:
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    image = _to_srgb(image)
    return _to_output_mode(image, pillow_format)


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    longest = max(width, height)
    if longest <= MAX_IMAGE_SIDE:
        return size
    return (
        max(1, round(width * MAX_IMAGE_SIDE / longest)),
        max(1, round(height * MAX_IMAGE_SIDE / longest)),
    )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES or "transparency" in image.info


def _to_srgb(image: Image.Image) -> Image.Image:
    # The embedded profile is applied, then dropped: the output is plain sRGB and needs
    # none, and a profile is free text an uploader controls.
    profile = image.info.get("icc_profile")
    if not isinstance(profile, bytes) or not profile:
        return image
    if image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        converted = ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(BytesIO(profile)),
            _SRGB,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # unusable profile: the pixels are read as sRGB
    return image if converted is None else converted


def _to_output_mode(image: Image.Image, pillow_format: str) -> Image.Image:
    if image.mode in _KEPT_MODES[pillow_format] and "transparency" not in image.info:
        return image
    if pillow_format == "JPEG":
        return image.convert("L" if image.mode == "1" else "RGB")
    if pillow_format == "PNG" and image.mode == "1":
        return image.convert("L")
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _encode(image: Image.Image, pillow_format: str) -> bytes:
    # Encoders fall back on `info` for the ICC profile, transparency and JPEG comments;
    # everything useful in it has been applied to the pixels by now.
    image.info = {}
    out = BytesIO()
    if pillow_format == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    elif pillow_format == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------

_PDF_NAME_END: Final = rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"


def _pdf_name_pattern(*names: str) -> re.Pattern[bytes]:
    """Match any of `names` as a whole PDF name, each character possibly #-escaped."""

    def char(c: str) -> str:
        escaped = "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{ord(c):02x}")
        return f"(?:{re.escape(c)}|#{escaped})"

    alternatives = "|".join(
        "".join(char(c) for c in name) for name in sorted(names, key=len, reverse=True)
    )
    return re.compile(b"/(?:" + alternatives.encode("ascii") + b")" + _PDF_NAME_END)


# A JavaScript action is `<< /S /JavaScript /JS … >>`, so /OpenAction or /AA running a
# script is caught by its /JavaScript and /JS names. A benign /OpenAction is accepted.
_PDF_ACTIVE: Final = _pdf_name_pattern(
    "JavaScript",
    "JS",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "FileAttachment",
    "RichMedia",
    "XFA",
)
_PDF_ENCRYPT: Final = _pdf_name_pattern("Encrypt")
_PDF_OBJECT_STREAM: Final = _pdf_name_pattern("ObjStm")
_PDF_STREAM_START: Final = re.compile(rb"(?<![A-Za-z])stream[ \t]*(?:\r\n|\r|\n)")


def _screen_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise _refusal("pdf_incomplete", "pdf")
    if _PDF_ACTIVE.search(data):
        raise _refusal("pdf_active", "pdf")
    # Encrypted object streams hide their dictionaries from any scan.
    if _PDF_ENCRYPT.search(data) and _PDF_OBJECT_STREAM.search(data):
        raise _refusal("pdf_unverifiable", "pdf")
    for inflated in _inflated_streams(data):
        if _PDF_ACTIVE.search(inflated):
            raise _refusal("pdf_active", "pdf")


def _inflated_streams(data: bytes) -> Iterator[bytes]:
    """Yield the Flate streams of `data`, inflated, in overlapping chunks."""
    view = memoryview(data)
    budget = _PDF_INFLATE_BUDGET
    for start in _PDF_STREAM_START.finditer(data):
        position = start.end()
        header = data[position : position + 2]
        if len(header) < 2 or header[0] & 0x0F != 8 or int.from_bytes(header) % 31:
            continue  # no zlib header (RFC 1950): not Flate
        inflater = zlib.decompressobj()
        overlap = b""
        while position < len(data) and not inflater.eof:
            pending: bytes | memoryview = view[position : position + _INFLATE_INPUT_CHUNK]
            position += _INFLATE_INPUT_CHUNK
            while pending and not inflater.eof:
                try:
                    output = inflater.decompress(pending, _INFLATE_OUTPUT_CHUNK)
                except zlib.error:
                    position = len(data)  # not Flate (or broken): nothing more to read
                    break
                pending = inflater.unconsumed_tail
                budget -= len(output)
                if budget < 0:
                    raise _refusal("pdf_unverifiable", "pdf")
                if output:
                    yield overlap + output
                    overlap = output[-_NAME_OVERLAP:]


def private_storage() -> Storage:
    """Where uploaded and generated health files live: never served by the web server itself.

    A callable, so that migrations name it rather than a storage of one environment; apps
    import it into their models module, where their migrations look it up.
    """
    return storages["private"]
