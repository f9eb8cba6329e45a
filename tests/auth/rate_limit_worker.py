"""One app instance in its own process, as a gunicorn worker would be: posts N failed
sign-ins from one address and prints the status codes. Used by test_rate_limit_storage.

    python -m tests.auth.rate_limit_worker SQLITE_URL COUNT
(RATELIMIT_STORAGE_URI comes from the environment, as in production.)
"""

import sys

from config import TestConfig
from coordination import create_app
from coordination.extensions import db


def main(database_url: str, count: int) -> None:
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    app = create_app(config)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    statuses = [
        client.post(
            "/connexion",
            data={"email": "x@example.org", "password": "x"},
            environ_base={"REMOTE_ADDR": "10.7.7.7"},
        ).status_code
        for _ in range(count)
    ]
    print(" ".join(map(str, statuses)))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
