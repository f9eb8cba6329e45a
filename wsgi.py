"""WSGI entry point: gunicorn serves wsgi:app, the flask CLI finds it here too."""

from coordination import create_app

app = create_app()
