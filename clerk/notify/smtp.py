"""E-mail over SMTP (stdlib smtplib): STARTTLS and login when configured.

Everything up to and including RCPT TO is "before the message": a refusal or a dropped
connection there is a definite failure. Once the message body is on its way (DATA), a
dropped connection or a timeout leaves it uncertain; a reply code other than 250 is a
definite refusal.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid

from clerk.config import NotifySettings
from clerk.notify.outcome import SendFailed, SendUncertain


def compose(settings: NotifySettings, to: str, subject: str, body: str, key: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"], msg["To"], msg["Subject"] = settings.smtp_from, to, subject
    msg["Date"] = formatdate(localtime=True)
    # The notification id in the Message-ID: a mailbox that sees one twice can tell.
    msg["Message-ID"] = make_msgid(idstring=key, domain=settings.smtp_from.rpartition("@")[2] or None)
    msg.set_content(body)
    return msg


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}".strip()


def _open(settings: NotifySettings) -> smtplib.SMTP:
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        conn = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendFailed(f"无法连接邮件服务器 {where}：{exc}") from exc
    try:
        conn.ehlo()
        if settings.smtp_starttls:
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
        if settings.smtp_user:
            conn.login(settings.smtp_user, settings.smtp_password)
    except smtplib.SMTPResponseException as exc:
        conn.close()
        raise SendFailed(f"邮件服务器 {where} 拒绝连接或登录：{_reply(exc)}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        conn.close()
        raise SendFailed(f"与邮件服务器 {where} 建立连接失败：{exc}") from exc
    return conn


def _envelope(conn: smtplib.SMTP, sender: str, to: str) -> None:
    try:
        code, text = conn.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, text, sender)
        code, text = conn.rcpt(to)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({to: (code, text)})
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = exc.recipients[to]
        raise SendFailed(f"邮件服务器拒收收件人 {to}：{code} {text.decode('utf-8', 'replace')}") from exc
    except smtplib.SMTPResponseException as exc:
        raise SendFailed(f"邮件服务器拒收：{_reply(exc)}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise SendFailed(f"邮件发送前连接中断：{exc}") from exc


def _data(conn: smtplib.SMTP, msg: EmailMessage) -> None:
    try:
        code, text = conn.data(msg.as_bytes())
    except smtplib.SMTPResponseException as exc:  # DATA itself refused: nothing was handed over
        raise SendFailed(f"邮件服务器拒收：{_reply(exc)}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise SendUncertain(f"邮件已发出但未收到邮件服务器的确认：{exc}") from exc
    if code != 250:
        raise SendFailed(f"邮件服务器拒收：{code} {text.decode('utf-8', 'replace')}")


def send_email(settings: NotifySettings, to: str, subject: str, body: str, key: str) -> None:
    """Send one message; returns once the server accepted it (250 after DATA).
    Raises SendFailed (surely not sent) or SendUncertain (perhaps sent)."""
    msg = compose(settings, to, subject, body, key)
    conn = _open(settings)
    try:
        _envelope(conn, settings.smtp_from, to)
        _data(conn, msg)
    finally:
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()  # after a 250 the message is the server's; a lost QUIT changes nothing
