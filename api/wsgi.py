"""The WSGI entry point gunicorn serves: `api.wsgi:app`."""
import gc

from . import create_app
from .http import logs

# Every record as a JSON line to stderr (unbuffered), which systemd's journal or the process manager keeps.
logs.write_to_stderr()

app = create_app()
# What is loaded by now (the app, its models and schemas) lives as long as the worker:
# freeze it so the collector's full passes skip it (each was a pause of ~50 ms).
gc.freeze()
