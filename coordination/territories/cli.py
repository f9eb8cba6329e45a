"""`flask territories …`: import the official list of territoires d'industrie."""

from flask.cli import AppGroup

territories_cli = AppGroup("territories", help="Territoires d'industrie.")
