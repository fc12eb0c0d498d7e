"""The screens the browser tests look through."""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
# A small phone, as the discussion's "within two screens" is measured.
SMALL_PHONE = {"width": 360, "height": 640}
