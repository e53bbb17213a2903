"""The WSGI entry point gunicorn serves: `api.wsgi:app`."""
import gc
import logging
import sys

from . import create_app

# The request and event lines (api.http.logs, api.acts.events) are JSON already: write them as they are,
# to stderr (unbuffered), which systemd's journal or the process manager keeps.
_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("%(message)s"))
logging.getLogger("benniu").addHandler(_handler)
logging.getLogger("benniu").setLevel(logging.INFO)
logging.getLogger("benniu").propagate = False

app = create_app()
# What is loaded by now (the app, its models and schemas) lives as long as the worker:
# freeze it so the collector's full passes skip it (each was a pause of ~50 ms).
gc.freeze()
