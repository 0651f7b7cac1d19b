"""Where unhandled errors are reported, besides the log.

* Mail: Django's AdminEmailHandler (LOGGING in settings) mails each unhandled request error to
  settings.ADMINS (env ADMINS); failing scheduled jobs are mailed by workflow.scheduled.
* Sentry, when SENTRY_DSN is set: the maintained SDK with its Django and Celery integrations.
  It is an optional dependency (`pip install '.[ops]'`): with a DSN but without the package
  the portal starts, and says once in the log that nothing goes to Sentry."""

import logging

log = logging.getLogger(__name__)


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float = 0.0) -> bool:
    """Start the Sentry SDK for `dsn`; False (and a warning) when it is not installed."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        log.warning("SENTRY_DSN is set but sentry-sdk is not installed: errors go to mail only")
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        # personal data (names, phones of the roster) never leaves the installation
        send_default_pii=False,
    )
    return True
