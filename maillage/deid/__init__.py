"""De-identification of case discussions before peers see them (issue 5, J5).

* :mod:`maillage.deid.text`: ``scrub(text)`` for French clinical free text;
* :mod:`maillage.deid.images`: ``scrub_image(data)`` drops EXIF/GPS/XMP/text chunks;
* :mod:`maillage.deid.dicom`: ``scrub_dicom(data)``, a PS3.15 basic-profile subset;
* ``manage.py deidentify --jsonl`` for batches.

A pure library (no models). The spaCy model loads on first use of ``scrub``.
"""
