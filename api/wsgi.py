"""The WSGI entry point gunicorn serves: `api.wsgi:app`."""
from . import create_app

app = create_app()
