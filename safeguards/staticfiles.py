"""How production stores its static files: hashed names, compressed, served by WhiteNoise."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage as WhiteNoiseStorage

logger = logging.getLogger(__name__)


class CompressedManifestStaticFilesStorage(WhiteNoiseStorage):
    """WhiteNoise's storage, which still renders pages before `collectstatic` has run.

    Django's manifest storage raises on every `{% static %}` until the files
    are collected, so a server started without them answers nothing but 500s.
    Here it logs an error once and links the plain names instead: the pages
    work (unstyled until the files are collected). Once the manifest is
    there, any file missing from it still raises, as it should.
    """

    _reported_missing_manifest = False

    def stored_name(self, name: str) -> str:
        if self.hashed_files:
            return super().stored_name(name)
        if not CompressedManifestStaticFilesStorage._reported_missing_manifest:
            CompressedManifestStaticFilesStorage._reported_missing_manifest = True
            logger.error(
                "No static files manifest in %s: run `manage.py collectstatic` and restart.",
                self.location,
            )
        return name
