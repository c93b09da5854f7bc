"""Mail from a service to the people it serves, sent once (docs/adr/0028-mail-sent-once.md).

A service renders a message from its templates (``MailTemplates``) and queues it in its own
outbox table (``Outbox.queue``) inside the transaction that decided to send it, sealed with the
member's key. A ``MailSender`` in each copy of the service takes due messages one at a time
(``FOR UPDATE SKIP LOCKED``), sends them over SMTP and marks them sent in the same transaction;
a refusal or an unreachable server leaves the message waiting, with a growing delay.
``catcher`` is the local SMTP server of ``smallwins up`` and of the tests.
"""

from shared.mail.outbox import MailMessage, Outbox
from shared.mail.render import MailTemplates, Rendered
from shared.mail.sender import MailSender, SmtpTransport, Transport

__all__ = ["MailMessage", "MailSender", "MailTemplates", "Outbox", "Rendered", "SmtpTransport", "Transport"]
