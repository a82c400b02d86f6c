"""Validation des identifiants de santé français.

Module pur (aucun modèle Django) :

* NIR — numéro d'inscription au répertoire (« numéro de sécurité sociale »),
  13 caractères + clé de contrôle sur 2 chiffres (modulo 97) ;
* RPPS — 11 chiffres ; la clé de Luhn n'est qu'un *avertissement*, car la
  spécification de l'ANS n'est pas confirmée ;
* ADELI — 9 chiffres ; FINESS — 9 caractères (département puis 7 chiffres) ;
* IDNPS — identifiant national de professionnel de santé dérivé du RPPS.

Les fonctions ``validate_*`` lèvent :class:`~django.core.exceptions.ValidationError`
avec un ``code`` stable ; les messages sont paresseux (``gettext_lazy``) et ne
nécessitent donc pas de réglages Django tant qu'ils ne sont pas affichés.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = [
    "NIR_LENGTH",
    "RppsCheck",
    "format_nir",
    "idnps_from_rpps",
    "is_valid_nir",
    "luhn_check_digit",
    "luhn_ok",
    "mask_nir",
    "nir_key",
    "normalize_nir",
    "normalize_rpps",
    "validate_adeli",
    "validate_finess",
    "validate_nir",
    "validate_rpps",
]

# ---------------------------------------------------------------------------
# Outils communs
# ---------------------------------------------------------------------------

#: Espaces (y compris insécables), points et tirets (ASCII et typographiques)
#: tolérés à la saisie.
_NIR_SEPARATORS: Final = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")
_WHITESPACE: Final = re.compile(r"\s+")
_ASCII_UPPER: Final = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_ASCII_DIGITS: Final = frozenset(string.digits)


def _is_ascii_digits(value: str) -> bool:
    """Vrai si ``value`` est non vide et ne contient que des chiffres 0-9.

    ``str.isdigit`` accepte aussi les chiffres non ASCII (« ² », « ٣ »…),
    d'où ce test explicite.
    """
    return bool(value) and all(char in _ASCII_DIGITS for char in value)


def _strip_whitespace(value: str) -> str:
    return _WHITESPACE.sub("", value)


# ---------------------------------------------------------------------------
# NIR
# ---------------------------------------------------------------------------

NIR_LENGTH: Final = 15
_NIR_BODY_LENGTH: Final = 13
_NIR_GROUPS: Final = (1, 2, 2, 2, 3, 3, 2)
_MASK_CHAR: Final = "\u2022"  # « • »

#: Structure d'un NIR normalisé (15 caractères).
_NIR_PATTERN: Final = re.compile(
    r"""
    (?P<sex>[123478])                       # 1/2 ; 3/4/7/8 : numéros provisoires
    (?P<year>[0-9]{2})
    (?P<month>0[1-9]|1[0-2]|[2-3][0-9]|4[0-2]|[5-9][0-9])
    (?P<department>0[1-9]|[1-9][0-9]|2[AB]) # 01-95, 96, 97/98 outre-mer, 99 étranger
    (?P<commune>[0-9]{3})
    (?P<order>[0-9]{3})
    (?P<key>[0-9]{2})
    """,
    re.VERBOSE,
)

#: Pour le calcul de la clé, la Corse est remplacée par un code numérique
#: (2A → 19, 2B → 18), uniquement aux positions 6-7 du corps.
_CORSICA_FOR_KEY: Final = {"2A": "19", "2B": "18"}


def normalize_nir(value: str) -> str:
    """Retire espaces, points et tirets, et met les lettres ASCII en majuscules.

    >>> normalize_nir("2 95 10 99 126 111 93")
    '295109912611193'
    >>> normalize_nir("253072b07300470")
    '253072B07300470'
    """
    return _NIR_SEPARATORS.sub("", value).translate(_ASCII_UPPER)


def nir_key(body13: str) -> int:
    """Calcule la clé (1 à 97) d'un corps de NIR normalisé de 13 caractères.

    clé = 97 - (corps mod 97), la Corse étant comptée 19 (2A) ou 18 (2B).

    Lève :class:`ValueError` si ``body13`` n'est pas un corps de 13 caractères
    composé de chiffres (hormis 2A/2B en positions 6-7).
    """
    if len(body13) != _NIR_BODY_LENGTH:
        msg = f"Le corps d'un NIR comporte {_NIR_BODY_LENGTH} caractères."
        raise ValueError(msg)
    department = body13[5:7]
    numeric = body13[:5] + _CORSICA_FOR_KEY.get(department, department) + body13[7:]
    if not _is_ascii_digits(numeric):
        msg = "Le corps d'un NIR ne contient que des chiffres (hors 2A/2B)."
        raise ValueError(msg)
    return 97 - int(numeric) % 97


def validate_nir(value: str) -> str:
    """Valide un NIR et renvoie sa forme normalisée (15 caractères).

    Codes d'erreur : ``nir_length``, ``nir_format``, ``nir_key``.
    """
    nir = normalize_nir(value)
    if len(nir) != NIR_LENGTH:
        raise ValidationError(
            _(
                "Le numéro de sécurité sociale doit comporter 15 caractères "
                "(13 caractères suivis d'une clé de 2 chiffres)."
            ),
            code="nir_length",
        )
    if _NIR_PATTERN.fullmatch(nir) is None:
        raise ValidationError(
            _(
                "Ce numéro de sécurité sociale n'a pas un format valide : "
                "vérifiez le sexe, le mois et le département de naissance."
            ),
            code="nir_format",
        )
    if int(nir[_NIR_BODY_LENGTH:]) != nir_key(nir[:_NIR_BODY_LENGTH]):
        raise ValidationError(
            _(
                "La clé de ce numéro de sécurité sociale ne correspond pas : "
                "vérifiez les chiffres saisis."
            ),
            code="nir_key",
        )
    return nir


def is_valid_nir(value: str) -> bool:
    """Vrai si ``value`` est un NIR valide (format et clé)."""
    try:
        validate_nir(value)
    except ValidationError:
        return False
    return True


def _group(value: str, sizes: tuple[int, ...]) -> list[str]:
    groups: list[str] = []
    start = 0
    for size in sizes:
        groups.append(value[start : start + size])
        start += size
    return groups


def format_nir(value: str) -> str:
    """Présente un NIR par groupes : ``"2 95 10 99 126 111 93"``.

    Une valeur qui ne fait pas 15 caractères une fois normalisée est renvoyée
    normalisée, sans regroupement (la fonction ne valide pas).
    """
    nir = normalize_nir(value)
    if len(nir) != NIR_LENGTH:
        return nir
    return " ".join(_group(nir, _NIR_GROUPS))


def mask_nir(value: str) -> str:
    """Masque un NIR en ne laissant voir que le sexe et l'année de naissance.

    ``"295109912611193"`` → ``"2 95 •• •• ••• ••• ••"``. Une valeur mal formée
    (autre que vide) est entièrement masquée, pour ne jamais rien divulguer.
    """
    nir = normalize_nir(value)
    if not nir:
        return ""
    masked = [_MASK_CHAR * size for size in _NIR_GROUPS]
    if len(nir) == NIR_LENGTH:
        masked[0] = nir[0]
        masked[1] = nir[1:3]
    return " ".join(masked)


# ---------------------------------------------------------------------------
# RPPS / IDNPS
# ---------------------------------------------------------------------------

_RPPS_PATTERN: Final = re.compile(r"[0-9]{11}")


def _luhn_sum(digits: str) -> int:
    """Somme de Luhn de chiffres ASCII (le dernier chiffre est la clé)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total


def luhn_ok(digits: str) -> bool:
    """Vrai si ``digits`` (chiffres ASCII, dernier = clé) vérifie Luhn.

    Renvoie ``False`` pour une chaîne vide ou contenant autre chose que 0-9.
    """
    return _is_ascii_digits(digits) and _luhn_sum(digits) % 10 == 0


def luhn_check_digit(partial: str) -> int:
    """Chiffre de Luhn à ajouter à ``partial`` (chiffres ASCII) pour qu'il passe.

    Lève :class:`ValueError` si ``partial`` n'est pas composé de chiffres.
    """
    if not _is_ascii_digits(partial):
        msg = "Le calcul de la clé de Luhn attend uniquement des chiffres."
        raise ValueError(msg)
    return (10 - _luhn_sum(partial + "0") % 10) % 10


@dataclass(frozen=True, slots=True)
class RppsCheck:
    """Résultat de la validation d'un RPPS : numéro normalisé et clé de Luhn."""

    value: str
    luhn_ok: bool

    @property
    def warning(self) -> str | None:
        """Avertissement (non bloquant) si la clé de Luhn ne correspond pas."""
        if self.luhn_ok:
            return None
        return gettext(
            "La clé de contrôle de ce numéro RPPS ne correspond pas : "
            "vérifiez-le dans l'Annuaire santé."
        )


def normalize_rpps(value: str) -> str:
    """Retire les espaces d'un numéro RPPS."""
    return _strip_whitespace(value)


def validate_rpps(value: str) -> RppsCheck:
    """Valide un RPPS (11 chiffres, code ``rpps_format``).

    La clé de Luhn n'est pas bloquante : voir :attr:`RppsCheck.warning`.
    """
    rpps = normalize_rpps(value)
    if _RPPS_PATTERN.fullmatch(rpps) is None:
        raise ValidationError(
            _("Le numéro RPPS doit comporter exactement 11 chiffres."),
            code="rpps_format",
        )
    return RppsCheck(value=rpps, luhn_ok=luhn_ok(rpps))


def idnps_from_rpps(rpps: str) -> str:
    """IDNPS d'un professionnel inscrit au RPPS : ``"8"`` suivi du RPPS.

    Le RPPS est validé (format seulement) ; lève ``ValidationError`` sinon.
    """
    return "8" + validate_rpps(rpps).value


# ---------------------------------------------------------------------------
# ADELI / FINESS (longueur et jeu de caractères uniquement)
# ---------------------------------------------------------------------------

_ADELI_PATTERN: Final = re.compile(r"[0-9]{9}")
_FINESS_PATTERN: Final = re.compile(r"(?:[0-9]{2}|2[AB])[0-9]{7}")


def validate_adeli(value: str) -> str:
    """Valide un numéro ADELI (9 chiffres) et le renvoie sans espaces."""
    adeli = _strip_whitespace(value)
    if _ADELI_PATTERN.fullmatch(adeli) is None:
        raise ValidationError(
            _("Le numéro ADELI doit comporter exactement 9 chiffres."),
            code="adeli_format",
        )
    return adeli


def validate_finess(value: str) -> str:
    """Valide un numéro FINESS (9 caractères : département puis 7 chiffres).

    Le département est numérique ou 2A/2B. Renvoie la valeur sans espaces,
    en majuscules.
    """
    finess = _strip_whitespace(value).translate(_ASCII_UPPER)
    if _FINESS_PATTERN.fullmatch(finess) is None:
        raise ValidationError(
            _(
                "Le numéro FINESS doit comporter 9 caractères : le département "
                "(2 chiffres, ou 2A/2B pour la Corse) puis 7 chiffres."
            ),
            code="finess_format",
        )
    return finess
