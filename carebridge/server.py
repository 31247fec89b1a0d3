"""The production web server: gunicorn serving the WSGI app (static files by WhiteNoise)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from carebridge.wsgi import application

        return application


# Seconds a request may take before gunicorn restarts its worker (long work runs elsewhere: the
# performance page's refresh, returns.refresh_runs).
WORKER_TIMEOUT_S = 60


def run(*, host: str, port: int, workers: int = 2) -> None:
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": 4,
            "worker_class": "gthread",
            "timeout": WORKER_TIMEOUT_S,
            "accesslog": "-",
            "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        }
    ).run()
