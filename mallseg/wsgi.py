import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mallseg.settings")

application = get_wsgi_application()

# Import every view now, then hide the objects that live as long as the process (Django,
# numpy, pandas, scikit-learn: about 200,000) from the garbage collector. Otherwise every
# full collection walks them all, about 100 ms, once in every ~70 requests (bench/README.md,
# "Portal pages").
get_resolver().url_patterns  # noqa: B018
gc.freeze()
