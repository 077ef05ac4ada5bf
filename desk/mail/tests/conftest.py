"""The real Dovecot the IMAP tests poll (desk/mail/tests/dovecot.py), one server per session."""

from desk.mail.tests.dovecot import dovecot, dovecot_server  # noqa: F401
