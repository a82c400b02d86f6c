"""Strip identifying metadata from photos attached to a case discussion.

A phone photo carries the place it was taken (GPS), the date, the device, and sometimes
the owner's name (EXIF Artist, XMP creator, PNG text chunks, JPEG comments). The image
is decoded and re-encoded without any of them. The colour profile (ICC) is kept: it says
nothing about the patient, and dropping it would change the colours a dermatologist sees.

Nothing here reads text drawn *in* the picture (a wristband, a label, a screen): the
author must check that, hence :data:`BURNT_IN_TEXT_WARNING`.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Final

from django.utils.translation import gettext, gettext_lazy
from PIL import ExifTags, Image, ImageOps

from maillage.core.uploads import MAX_IMAGE_PIXELS

__all__ = ["BURNT_IN_TEXT_WARNING", "CONTENT_TYPES", "ImageScrub", "scrub_image"]

BURNT_IN_TEXT_WARNING: Final = gettext_lazy(
    "Les métadonnées de l'image (date, lieu GPS, appareil, auteur) ont été supprimées. "
    "Vérifiez vous-même qu'aucun nom, date de naissance ou autre information "
    "identifiante n'est écrit dans l'image (bracelet, étiquette, écran, compte rendu "
    "photographié) : ce texte-là n'est pas effacé automatiquement."
)

#: Pillow format name → MIME type. Anything else is refused.
CONTENT_TYPES: Final = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_JPEG_QUALITY: Final = 92
_WEBP_QUALITY: Final = 90


@dataclass(frozen=True, slots=True)
class ImageScrub:
    """The re-encoded image, and the kinds of metadata that were found and dropped."""

    content: bytes
    content_type: str
    removed: tuple[str, ...]


def scrub_image(data: bytes) -> ImageScrub:
    """Re-encode a JPEG, PNG or WebP image without its metadata.

    The visual orientation is kept (applied to the pixels) since the EXIF orientation
    tag goes with the rest.

    Raises:
        ValueError: if the data is not a JPEG, PNG or WebP image, or is too large.
    """
    try:
        opened = Image.open(BytesIO(data), formats=list(CONTENT_TYPES))
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError(gettext("Formats d'image acceptés : JPEG, PNG ou WebP.")) from exc
    with opened:
        pillow_format = opened.format or ""
        if pillow_format not in CONTENT_TYPES:
            raise ValueError(gettext("Formats d'image acceptés : JPEG, PNG ou WebP."))
        if opened.width * opened.height > MAX_IMAGE_PIXELS:
            raise ValueError(gettext("Cette image est trop grande."))
        removed = _metadata_kinds(opened)
        icc_profile = opened.info.get("icc_profile")
        try:
            upright = ImageOps.exif_transpose(opened)
        except (OSError, SyntaxError) as exc:  # truncated or corrupt pixel data
            raise ValueError(gettext("Cette image est illisible.")) from exc
    content = _encode(upright, pillow_format, icc_profile)
    return ImageScrub(content=content, content_type=CONTENT_TYPES[pillow_format], removed=removed)


def _metadata_kinds(image: Image.Image) -> tuple[str, ...]:
    """Name the kinds of metadata present (never their values: they may identify)."""
    kinds: list[str] = []
    exif = image.getexif()
    if len(exif):
        kinds.append("exif")
        if exif.get_ifd(ExifTags.IFD.GPSInfo) or ExifTags.Base.GPSInfo in exif:
            kinds.append("gps")
    info = image.info
    if "xmp" in info or "XML:com.adobe.xmp" in info:
        kinds.append("xmp")
    if info.get("comment"):
        kinds.append("comment")
    if any(marker == "APP13" for marker, _ in getattr(image, "applist", [])):
        kinds.append("iptc")
    text_chunks = getattr(image, "text", None)  # PNG tEXt, zTXt, iTXt
    if text_chunks and set(text_chunks) - {"XML:com.adobe.xmp"}:
        kinds.append("png_text")
    return tuple(kinds)


#: The only ``Image.info`` entries carried over: how to draw the pixels, nothing else.
_KEPT_INFO: Final = ("transparency", "dpi", "gamma")


def _encode(image: Image.Image, pillow_format: str, icc_profile: object) -> bytes:
    # Some encoders fall back on Image.info (where "exif" and "xmp" live) for what the
    # caller did not pass: start from a clean slate.
    image.info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    options: dict[str, object] = {}
    if isinstance(icc_profile, bytes):
        options["icc_profile"] = icc_profile
    if pillow_format == "JPEG":
        if image.mode not in {"RGB", "L", "CMYK"}:
            image = image.convert("RGB")
        options["quality"] = _JPEG_QUALITY
    elif pillow_format == "WEBP":
        options["quality"] = _WEBP_QUALITY
    out = BytesIO()
    # No exif=, no xmp=, no pnginfo=: Pillow writes none of them unless asked.
    image.save(out, format=pillow_format, **options)
    return out.getvalue()
