# Most of our Spanish readers are in Mexico: numbers are written 1,234.5 there,
# not 1.234,5 as in Spain, which Django's "es" formats follow.
from django.conf.locale.es_MX.formats import *  # noqa: F403
