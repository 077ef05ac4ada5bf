"""The mail parser (`desk.mail.parsing`) on the corpus in `mail/` (see its README) and on mails
built here (30 attachments, 20 MB, header variants). Pure: no database."""

from __future__ import annotations

import base64
import dataclasses
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from desk.mail.parsing import Bounce, MailFile, MalformedMail, ParsedMail, parse

CORPUS = Path(__file__).parent / "mail"
DESK = "support+t1042-5c1e9a7b3d2f4e60@desk.example"
FIRST_ID = "0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b@desk.example"
REPLY_ID = "4b7d1c9e2f3a4d5b8c6e7f8091a2b3c4@desk.example"
DELIVERY = "6f1e2d3c-4b5a-4987-8a6b-5c4d3e2f1a0b"
QUOTED = "Thanks for getting in touch"
NEPAL = timezone(timedelta(hours=5, minutes=45))
PNG = b"\x89PNG\r\n\x1a\n"
PDF = b"%PDF-1.4"
HTML_TAG = re.compile(
    r"</?(?:html|head|body|div|p|br|span|b|i|a|img|table|tr|td|ul|li|font|style|blockquote|hr)\b[^>]*>"
)


def cpu_time() -> float:
    """This process's CPU time: a parse's time budget, whatever else the machine is running."""
    return time.process_time()


def raw(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def mail(name: str) -> ParsedMail:
    return parse(raw(name))


def html_only(data: bytes) -> bytes:
    """The same mail without its text/plain alternatives: the text then comes from the HTML."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    for part in message.walk():
        if part.get_content_type() == "multipart/alternative":
            part.set_payload([child for child in part.get_payload() if child.get_content_type() != "text/plain"])
    return message.as_bytes()


def build(text: str = "Hello", *, subject: str = "Question", **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Priya Sharma <priya.sharma@gmail.com>"
    message["To"] = "support@desk.example"
    message["Subject"] = subject
    message["Message-ID"] = "<built.1@example.com>"
    message["Date"] = "Thu, 3 Dec 2026 16:16:42 +0545"
    for name, value in headers.items():
        del message[name.replace("_", "-")]
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


def parsed(message: EmailMessage) -> ParsedMail:
    return parse(message.as_bytes())


def names(parsed_mail: ParsedMail) -> list[str]:
    return [file.filename for file in parsed_mail.files]


# --- the whole corpus -----------------------------------------------------------------------

CORPUS_FILES = sorted(path.name for path in CORPUS.glob("*.eml"))
MALFORMED = {"empty.eml", "garbage.eml"}


def test_the_readme_lists_every_corpus_file():
    readme = (CORPUS / "README.md").read_text()
    listed = set(re.findall(r"`([\w.-]+\.eml)`", readme))
    assert listed == set(CORPUS_FILES)
    assert len(CORPUS_FILES) >= 35


@pytest.mark.parametrize("name", sorted(set(CORPUS_FILES) - MALFORMED))
def test_every_corpus_mail_parses_into_clean_fields(name):
    result = mail(name)
    assert isinstance(result, ParsedMail)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.subject = "changed"  # type: ignore[misc]
    one_line = [
        result.message_id,
        result.from_address,
        result.from_name,
        result.reply_to,
        result.subject,
        result.automatic_reason,
        *result.to,
        *result.cc,
        *result.delivered_to,
        *result.in_reply_to,
        *result.references,
        *(file.filename for file in result.files),
        *(file.content_id for file in result.files),
        *result.problems,
    ]
    for value in one_line:
        assert isinstance(value, str)
        assert not re.search(r"[\x00-\x1f\x7f]", value), (name, value)
    for address in (result.from_address, result.reply_to, *result.to, *result.cc, *result.delivered_to):
        assert address == address.lower()
        assert address == "" or re.fullmatch(r"[^@\s<>]+@[^@\s<>\"]+", address), address
    assert not HTML_TAG.search(result.text), result.text
    assert not HTML_TAG.search(result.full_text), result.full_text
    assert "\x00" not in result.text and "\r" not in result.full_text
    assert result.text == result.text.strip()
    assert result.date is None or result.date.tzinfo is not None
    for file in result.files:
        assert isinstance(file, MailFile) and file.filename and file.content_type == file.content_type.lower()
        assert "/" not in file.filename and "\\" not in file.filename


@pytest.mark.parametrize(
    "name",
    [
        "gmail_reply.eml",
        "outlook_desktop_reply.eml",
        "outlook_com_reply.eml",
        "apple_mail_reply.eml",
        "iphone_photo_reply.eml",
        "thunderbird_reply.eml",
    ],
)
def test_replies_from_every_client_thread_and_lose_their_quote(name):
    result = mail(name)
    assert result.in_reply_to == (REPLY_ID,)
    assert result.references[-1] == REPLY_ID
    assert DESK in result.to
    assert result.subject.lower().endswith("re: [#1042] booking not showing in my account")
    assert QUOTED not in result.text
    assert QUOTED in result.full_text
    assert not result.auto_reply and not result.bulk and result.automatic_reason == ""
    assert result.bounce is None
    assert result.problems == ()


# --- replies --------------------------------------------------------------------------------


def test_gmail_reply():
    result = mail("gmail_reply.eml")
    assert result.message_id == "CAJ8f3sT2pXkV4e9qHn0mW7yRb+1LzQd5vGx2cNwA6uE_oKpYhg@mail.gmail.com"
    assert (result.from_address, result.from_name) == ("priya.sharma@gmail.com", "Priya Sharma")
    assert result.to == (DESK,)
    assert result.delivered_to == ("support@desk.example",)
    assert result.references == (FIRST_ID, REPLY_ID)
    assert result.date == datetime(2026, 12, 3, 16, 16, 42, tzinfo=NEPAL)
    assert result.text == (
        "Hi Alice,\n\n"
        "The booking reference is HTK-55821. I paid with eSewa on 1 December and got\n"
        "the confirmation SMS, but the booking is still not in my account."
    )
    # The sign-off and the two-line "On … wrote:" go with the quote; the full text keeps them.
    assert "Thanks,\nPriya" in result.full_text
    assert "> Thanks for getting in touch. Could you send us the booking reference from" in result.full_text
    assert "wrote:" not in result.text
    assert result.files == ()


def test_gmail_reply_read_from_its_html():
    result = parse(html_only(raw("gmail_reply.eml")))
    assert result.text == (
        "Hi Alice,\n\nThe booking reference is HTK-55821. I paid with eSewa on 1 December and got the "
        "confirmation SMS, but the booking is still not in my account."
    )
    assert "> Thanks for getting in touch." in result.full_text  # the blockquote, as a quote


def test_outlook_desktop_reply_with_winmail_dat():
    result = mail("outlook_desktop_reply.eml")
    assert result.message_id == "5F3A9C1E2B7D4E08A6C1F29D7B3E4A51@EXCH01.himalayantreks.local"
    assert result.subject == "RE: [#1042] Booking not showing in my account"
    assert result.date == datetime(2026, 12, 3, 10, 42, 18, tzinfo=UTC)
    assert result.text == (
        "Hello,\n\nWe checked on our side: the payment went through on 1 December but the booking still "
        "does not show up for the customer. The payment log is in the attached file."
    )
    assert "Best regards" not in result.text and "+977 1 4412345" not in result.text
    assert "-----Original Message-----" in result.full_text and "-----Original Message-----" not in result.text
    assert "Anil Gurung\nOperations | Himalayan Treks Pvt. Ltd." in result.full_text
    [tnef] = result.files
    assert (tnef.filename, tnef.content_type, tnef.inline, tnef.content_id) == (
        "winmail.dat",
        "application/ms-tnef",
        False,
        "",
    )
    assert tnef.content.startswith(b"\x78\x9f\x3e\x22")  # the TNEF signature
    assert len(tnef.content) == 71


def test_outlook_desktop_reply_read_from_its_html():
    result = parse(html_only(raw("outlook_desktop_reply.eml")))
    assert result.text == (
        "Hello,\n\nWe checked on our side: the payment went through on 1 December but the booking still "
        "does not show up for the customer. The payment log is in the attached file."
    )
    # Word's HTML: no style sheet, no conditional comments, no markup left.
    assert "MsoNormal" not in result.full_text and "font-family" not in result.full_text
    assert "From: Support Desk <support+t1042-5c1e9a7b3d2f4e60@desk.example>\nSent: Thursday" in result.full_text
    assert "**" not in result.full_text
    assert [file.filename for file in result.files] == ["winmail.dat"]


def test_outlook_com_reply():
    result = mail("outlook_com_reply.eml")
    assert result.message_id == (
        "DB9PR02MB72451C3E8F2A4B6D9E0F1A2BC3D4E5F6A7B8@DB9PR02MB7245.eurprd02.prod.outlook.com"
    )
    assert result.to == (DESK,)
    assert result.text == "I logged out and in again and now it's there. You can close the ticket."
    assert "Get Outlook for Android" in result.full_text
    assert "________________________________\nFrom: Support Desk" in result.full_text


def test_outlook_com_reply_read_from_its_html():
    result = parse(html_only(raw("outlook_com_reply.eml")))
    assert result.text == "I logged out and in again and now it's there. You can close the ticket."
    # The link kept readable, as plain-text mail writes it; the <hr> gone.
    assert "Get Outlook for Android <https://aka.ms/AAb9ysg>" in result.full_text
    assert "* * *" not in result.full_text


def test_apple_mail_reply():
    result = mail("apple_mail_reply.eml")
    assert result.message_id == "7A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9@icloud.com"
    assert result.from_address == "tom.becker@icloud.com"
    assert result.references == (FIRST_ID, REPLY_ID)
    assert result.text == (
        "Hello Alice,\n\nhere it is: HTK-55821. The app says \u201cno bookings yet\u201d since Monday.\n\nTom"
    )
    assert "> On 3 Dec 2026, at 10:15, Support Desk" in result.full_text
    html = parse(html_only(raw("apple_mail_reply.eml")))
    assert html.text == result.text
    assert "> Hi Tom,\n>\n> Thanks for getting in touch." in html.full_text  # blockquote type=cite


def test_iphone_reply_with_only_a_photo_has_no_text_but_the_file():
    result = mail("iphone_photo_reply.eml")
    assert result.text == ""
    assert result.full_text.startswith("Sent from my iPhone\n\n> On 3 Dec 2026, at 16:00, Support Desk")
    assert "\ufeff" not in result.full_text  # the BOM iOS leaves in the quote
    [photo] = result.files
    assert (photo.filename, photo.content_type, photo.inline) == ("IMG_4127.jpeg", "image/jpeg", True)
    assert photo.content.startswith(b"\xff\xd8\xff") and len(photo.content) == 632


def test_thunderbird_reply_flowed_with_a_signature():
    result = mail("thunderbird_reply.eml")
    assert (result.from_address, result.from_name) == ("jana.novakova@posteo.de", "Jana Nováková")
    assert result.text == (
        "Hi Alice,\n\n"
        # format=flowed: the soft line break after "for " is joined
        "the reference is HTK-55821. I booked the Annapurna Base Camp trek for two people, starting 14 March, "
        "and paid the deposit of 120 € by card.\n\n"
        # a list that starts with "- " is not taken for a signature
        "- first traveller: Jana Nováková\n"
        "- second traveller: Petr Novák"
    )
    assert "+49 30 1234567" not in result.text
    assert "-- \nJana Nováková\n+49 30 1234567" in result.full_text  # the "-- " delimiter intact
    assert "On 12/3/26 10:15 AM, Support Desk wrote:" in result.full_text


# --- other shapes ---------------------------------------------------------------------------


def test_html_only_mail_is_readable_text():
    result = mail("html_only.eml")
    assert result.subject == "Change of date for booking HTK-60412"
    assert result.text == (
        "Hello Support Desk,\n\n"
        "I want to change the date of my booking HTK-60412:\n\n"
        "- from 10 January\n"
        "- to 17 January\n\n"
        "Everything is on my booking page <https://desk.example/bookings/HTK-60412>. "
        "Price & conditions: https://himalayantreks.com.np/terms.\n\n"
        "Name: Ramesh Thapa\n"
        "Phone: +977 98510 12345"
    )
    assert "Regards,\nRamesh" in result.full_text  # the signature, cut from the text only
    for noise in ("**", "_change", "font-family", "pixel.gif", "fb.png", "Facebook", "![", "]("):
        assert noise not in result.full_text
    assert result.files == ()


def test_text_plain_that_is_an_html_document_is_converted():
    result = parsed(build("<!DOCTYPE html><html><body><p>Hello <b>there</b></p><p>Line two</p></body></html>"))
    assert result.text == "Hello there\n\nLine two"


def test_inline_images():
    result = mail("inline_images.eml")
    assert result.text.startswith("Here is the error I get when I open the booking:\n\n[image: error.png]")
    assert result.text.endswith("Ramesh")
    assert [(f.filename, f.content_type, f.inline, f.content_id) for f in result.files] == [
        ("error.png", "image/png", True, "ii_m4k9abc01"),
        # no file name: one made up, with the extension of its type; inline by its Content-ID
        ("attachment-2.png", "image/png", True, "receipt@01DB4F2A.7C3E9B10"),
    ]
    assert all(file.content.startswith(PNG) for file in result.files)
    html = parse(html_only(raw("inline_images.eml")))
    assert (
        html.text
        == "Here is the error I get when I open the booking:\n\nand this is the payment receipt from eSewa:\n\nRamesh"
    )
    assert len(html.files) == 2


def test_forward_inline_keeps_the_forwarded_mail():
    result = mail("forward_inline_gmail.eml")
    assert result.subject == "Fwd: Your booking HTK-60412 is confirmed"
    assert result.text.startswith(
        "Hi, I got this confirmation but the date is wrong: it should be 17 January.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Himalayan Treks <bookings@himalayantreks.com.np>\n"
    )
    assert "Your booking HTK-60412 (Poon Hill trek, 10 January 2027, 2 people) is" in result.text
    assert result.text.endswith("Best regards,\nHimalayan Treks")
    assert result.text == result.full_text
    html = parse(html_only(raw("forward_inline_gmail.eml")))
    assert "---------- Forwarded message ---------" in html.text
    assert "The balance of NPR 24,000 is due on arrival." in html.text


def test_outlook_style_forward_keeps_the_forwarded_mail():
    body = (
        "Please see below.\n\n"
        "________________________________\n"
        "From: Himalayan Treks <bookings@himalayantreks.com.np>\n"
        "Sent: Tuesday, December 1, 2026 09:12\n"
        "To: Ramesh Thapa <ramesh.thapa@outlook.com>\n"
        "Subject: Your booking HTK-60412 is confirmed\n\n"
        "Dear Ramesh, your booking is confirmed.\n"
    )
    forward = parsed(build(body, subject="FW: Your booking HTK-60412 is confirmed"))
    assert forward.text.startswith("Please see below.\n\nFrom: Himalayan Treks")
    assert forward.text.endswith("Dear Ramesh, your booking is confirmed.")
    reply = parsed(build(body, subject="RE: Your booking HTK-60412 is confirmed"))
    assert reply.text == "Please see below."


def test_forward_as_attachment_becomes_an_eml_file():
    result = mail("forward_attached.eml")
    assert result.text == "The invoice below charges the deposit twice. Can you refund one of them?\n\nLukas"
    assert "Dear Lukas" not in result.full_text  # the attached mail's text is not ours
    [eml] = result.files  # its PDF stays inside it
    assert eml.filename == "Invoice INV-2026-0187 for booking HTK-60977.eml"
    assert eml.content_type == "message/rfc822"
    assert eml.inline  # NeoMutt attaches it inline
    inner = BytesParser(policy=policy.default).parsebytes(eml.content)
    assert inner["Message-ID"] == "<inv-2026-0187.1796385302@himalayantreks.com.np>"
    [pdf] = [part for part in inner.walk() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "INV-2026-0187.pdf" and pdf.get_payload(decode=True).startswith(PDF)


def test_mailing_list_mail_is_bulk():
    result = mail("mailing_list.eml")
    assert result.bulk and not result.auto_reply
    assert result.automatic_reason == "Precedence: list"
    assert result.to == ("guides@lists.trekking-guides.org",)
    assert result.text == (
        "Namaste all,\n\nthe TIMS and ACAP permit office in Pokhara is closed this Friday for the\n"
        "festival. Get your permits on Thursday.\n\nBikash"
    )
    assert "To unsubscribe send an email to guides-leave@lists.trekking-guides.org" in result.full_text


def test_out_of_office_from_exchange():
    result = mail("ooo_exchange.eml")
    assert result.auto_reply and result.bulk
    assert result.automatic_reason.startswith("Auto-Submitted: auto-generated")
    assert "Automatic reply:" in result.automatic_reason
    assert result.in_reply_to == (REPLY_ID,)
    assert result.text.startswith("I am out of the office until Monday 7 December")
    assert result.bounce is None


def test_out_of_office_from_gmail():
    result = mail("ooo_gmail.eml")
    assert result.auto_reply and result.bulk
    assert result.automatic_reason == "Auto-Submitted: auto-replied"
    assert result.subject == "Away until 10 December"
    assert result.text == (
        "I am trekking in the Annapurna region until 10 December, without network.\n"
        "I will answer when I am back.\n\nPriya"
    )


@pytest.mark.parametrize(
    ("headers", "subject", "auto_reply", "bulk", "reason"),
    [
        ({}, "Question", False, False, ""),
        ({"Auto-Submitted": "no"}, "Question", False, False, ""),
        ({"Auto-Submitted": "auto-replied"}, "Re: Question", True, True, "Auto-Submitted: auto-replied"),
        ({"Auto-Submitted": "auto-generated"}, "Your receipt", False, True, "Auto-Submitted: auto-generated"),
        ({"Auto-Submitted": "auto-notified"}, "Notice", False, True, "Auto-Submitted: auto-notified"),
        ({"X-Autoreply": "yes"}, "Re: Question", True, False, "X-Autoreply: yes"),
        ({"X-Autorespond": "Vacation"}, "Re: Question", True, False, "X-Autorespond: Vacation"),
        ({"X-Autoreply-From": "a@b.example"}, "Re: Question", True, False, "X-Autoreply-From: a@b.example"),
        ({"Precedence": "bulk"}, "Newsletter", False, True, "Precedence: bulk"),
        ({"Precedence": "junk"}, "Offer", False, True, "Precedence: junk"),
        ({"Precedence": "auto_reply"}, "Re: Question", True, False, "Precedence: auto_reply"),
        ({"List-Id": "<news.himalayantreks.com.np>"}, "News", False, True, "List-Id: <news.himalayantreks.com.np>"),
        ({"List-Unsubscribe": "<https://x.example/u>"}, "News", False, True, "List-Unsubscribe: <https://x.example/u>"),
        # Exchange marks plenty of ordinary mail so: alone, these are no automatic reply
        ({"X-Auto-Response-Suppress": "All"}, "Re: Question", False, False, ""),
        ({"X-MS-Exchange-Inbox-Rules-Loop": "a@b.example"}, "FW: Question", False, False, ""),
        ({"X-Auto-Response-Suppress": "All"}, "Out of Office: Question", True, False, "X-Auto-Response-Suppress: All"),
        ({"X-Auto-Response-Suppress": "All"}, "Out of office next week?", False, False, ""),  # a person's subject
        ({}, "Automatic reply: Question", False, False, ""),  # a subject alone is not enough
    ],
)
def test_automatic_mail_headers(headers, subject, auto_reply, bulk, reason):
    result = parsed(build(subject=subject, **headers))
    assert (result.auto_reply, result.bulk) == (auto_reply, bulk)
    assert result.automatic_reason.startswith(reason)
    assert bool(result.automatic_reason) == bool(reason)


def test_read_receipt_is_an_automatic_reply_without_files():
    receipt = EmailMessage()
    receipt["From"] = "Anil Gurung <anil.gurung@himalayantreks.com.np>"
    receipt["To"] = DESK
    receipt["Subject"] = "Read: [#1042] Booking not showing in my account"
    receipt["Message-ID"] = "<mdn.1@himalayantreks.com.np>"
    receipt.set_content("Your message was read on Thursday, December 3, 2026 10:20:00 AM.")
    receipt.make_mixed()
    status = EmailMessage()
    status.set_content(
        b"Reporting-UA: EXCH01.himalayantreks.local\r\nFinal-Recipient: rfc822;anil.gurung@himalayantreks.com.np\r\n"
        b"Original-Message-ID: <"
        + REPLY_ID.encode()
        + b">\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n",
        maintype="message",
        subtype="disposition-notification",
        cte="7bit",
    )
    receipt.attach(status)
    receipt.replace_header("Content-Type", 'multipart/report; report-type=disposition-notification; boundary="mdn"')
    receipt.set_boundary("mdn")
    result = parse(receipt.as_bytes())
    assert result.auto_reply and result.bounce is None
    assert result.automatic_reason == "Content-Type: multipart/report; report-type=disposition-notification"
    assert result.text == "Your message was read on Thursday, December 3, 2026 10:20:00 AM."
    assert result.files == ()


# --- bounces --------------------------------------------------------------------------------


def test_hard_bounce():
    result = mail("bounce_hard.eml")
    assert result.bounce == Bounce(
        recipients=("priya.sharma@exmaple.com",),
        status="5.1.1",
        permanent=True,
        diagnostic=(
            "550 5.1.1 <priya.sharma@exmaple.com>: Recipient address rejected: User unknown in virtual mailbox table"
        ),
        original_message_id=REPLY_ID,
        delivery_id=DELIVERY,
    )
    assert not result.auto_reply  # a bounce, though it says Auto-Submitted: auto-replied
    assert result.automatic_reason == "Content-Type: multipart/report; report-type=delivery-status"
    assert result.from_address == "mailer-daemon@mail.desk.example"
    assert result.text.startswith("This is the mail system at host mail.desk.example.")
    # no delivery-status part among the files; the returned original as a mail file
    assert [(f.filename, f.content_type) for f in result.files] == [
        ("[#1042] Booking not showing in my account.eml", "message/rfc822")
    ]
    assert f"X-Desk-Delivery: {DELIVERY}".encode() in result.files[0].content


def test_soft_bounce():
    result = mail("bounce_soft.eml")
    bounce = result.bounce
    assert bounce is not None
    assert bounce.recipients == ("ram@slow-mail.example.np",)
    assert (bounce.status, bounce.permanent) == ("4.4.7", False)
    assert bounce.diagnostic.startswith("The recipient server did not accept our requests to connect.")
    assert "\n" not in bounce.diagnostic and len(bounce.diagnostic) <= 500
    assert (bounce.original_message_id, bounce.delivery_id) == (REPLY_ID, DELIVERY)  # text/rfc822-headers
    assert result.text.startswith("** Message not delivered **")
    assert result.files == ()


def test_delay_notice_names_no_failed_recipient():
    bounce = mail("bounce_delayed.eml").bounce
    assert bounce == Bounce(
        recipients=(),
        status="4.4.1",
        permanent=False,
        diagnostic="connect to mx.slow-mail.example.np[198.51.100.99]:25: Connection timed out",
        original_message_id=REPLY_ID,
        delivery_id=DELIVERY,
    )


def test_exim_bounce_without_dsn():
    result = mail("bounce_exim.eml")
    assert result.bounce == Bounce(
        recipients=("booking@oldhost.example",),
        status="5.2.2",
        permanent=True,
        diagnostic="550 5.2.2 Mailbox full",
        original_message_id=REPLY_ID,
        delivery_id=DELIVERY,
    )
    assert result.automatic_reason == "X-Failed-Recipients: booking@oldhost.example"


def test_diagnostic_is_one_line_of_at_most_500_characters():
    data = raw("bounce_hard.eml").replace(
        b"Diagnostic-Code: smtp; 550 5.1.1", b"Diagnostic-Code: smtp; 550 5.1.1 " + b"x" * 900 + b"\n    more"
    )
    bounce = parse(data).bounce
    assert bounce is not None and len(bounce.diagnostic) == 500 and "\n" not in bounce.diagnostic


def test_ordinary_mail_is_no_bounce():
    assert mail("gmail_reply.eml").bounce is None
    assert mail("forward_attached.eml").bounce is None  # a message/rfc822 part is not a report


# --- charsets and encodings -----------------------------------------------------------------


def test_iso_8859_1_german_reply():
    result = mail("charset_iso-8859-1.eml")
    assert result.subject == "AW: Stornierung der Buchung für März"
    assert result.from_name == "Jürgen Weiß"
    assert result.text == (
        "Guten Tag,\n\nbitte stornieren Sie meine Buchung HTK-61020 für März. Die Bestätigung\nhabe ich nie erhalten."
    )
    assert "Mit freundlichen Grüßen\nJürgen Weiß" in result.full_text  # a German sign-off, cut
    assert "> vielen Dank für Ihre Nachricht." in result.full_text  # "Am … schrieb …:", cut
    assert "vielen Dank" not in result.text


def test_iso_8859_2_czech():
    result = mail("charset_iso-8859-2.eml")
    assert result.subject == "Změna termínu"
    assert result.from_name == "Petr Dvořák"
    assert "potřebuji změnit termín treku na 21. března. Děkuji za rychlou odpověď." in result.text


def test_iso_8859_15_french_reply_with_the_euro_sign():
    result = mail("charset_iso-8859-15.eml")
    assert result.subject == "Re : Prix facturé à 495 €"  # a no-break space, as a space
    assert result.from_name == "Élodie Lefèvre"
    assert result.text == (
        "Bonjour,\n\nle prix affiché était de 450 € mais on m'a débité 495 €. Pouvez-vous\nvérifier ?"
    )
    assert "Cordialement" not in result.text and "Merci pour votre message" not in result.text
    assert "Le 03/12/2026 à 10:15, Support Desk a écrit :" in result.full_text


def test_windows_1252():
    result = mail("charset_windows-1252.eml")
    assert result.subject == "Invoice – wrong amount"
    assert result.from_name == "Seán O’Brien"
    assert result.text == (
        "Hi,\n\nthe “Everest View” trek – booked for 12 February – shows €1,250 instead of €1,150.\n"
        "Please correct the invoice."
    )


def test_windows_1251_russian():
    result = mail("charset_windows-1251.eml")
    assert result.subject == "Не вижу бронирование"
    assert (result.from_name, result.reply_to) == ("Ольга Смирнова", "olga.smirnova@mail.ru")
    assert "Я не могу найти своё бронирование HTK-61544 в личном кабинете." in result.text


def test_shift_jis_japanese_with_windows_characters():
    result = mail("charset_shift_jis.eml")
    assert result.subject == "予約についての質問"
    assert result.from_name == "髙橋 健"
    assert "① 集合場所はどこですか？\n② 空港送迎は含まれていますか？" in result.text
    assert result.text.endswith("髙橋 健")
    assert "\ufffd" not in result.full_text
    assert result.problems == ()


def test_nepali_in_utf8():
    result = mail("utf8_nepali.eml")
    assert result.subject == "बुकिङ देखिँदैन – HTK-55821"
    assert result.from_name == "सीता श्रेष्ठ"
    assert result.text.startswith("नमस्ते,\n\nमेरो बुकिङ HTK-55821 मेरो खातामा देखिँदैन।")
    assert "कृपया छिटो जाँच गरिदिनुहोस्।" in result.text


def test_encoded_words():
    result = mail("encoded_words.eml")
    # adjacent encoded words join without the space between them; plain words keep theirs
    assert result.subject == "Trek permit – पर्मिट für März and plain words"
    # an encoded comma in a display name splits no address
    assert (result.from_name, result.from_address) == ("Thapa, Ramesh (थापा)", "ramesh.thapa@example.com")
    assert result.to == ("support@desk.example", "bookings@desk.example")
    assert result.cc == ("anna@example.org", "bjorn@example.org")  # a group, flattened
    assert result.text == "Do I need a permit (परमिट) for the Mardi Himal trek in March?"


def test_rfc2231_and_encoded_file_names():
    result = mail("rfc2231_filename.eml")
    assert names(result) == [
        "परमिट permit.pdf",
        "Reisepass Jürgen Weiß (Kopie).pdf",
        "Foto für den Pass.png",
        "notes.txt",  # "C:\Users\anna\Desktop\notes.txt", without its directories
    ]
    assert [file.content_type for file in result.files] == [
        "application/pdf",
        "application/pdf",
        "image/png",
        "text/plain",
    ]
    assert result.files[0].content.startswith(PDF) and result.files[2].content.startswith(PNG)
    assert result.files[3].content == b"Passport number on page 2."
    assert result.text == "Here are the documents."  # the text/plain attachment is a file, not text


def test_raw_8bit_utf8_headers():
    result = mail("raw_utf8_headers.eml")
    assert result.subject == "Rückerstattung für Buchung HTK-62001"
    assert result.from_name == "Zoë Müller"
    assert result.text == "Grüezi, ich möchte die Rückerstattung für HTK-62001 beantragen."


def test_raw_8bit_latin1_headers_fall_back_to_windows_1252():
    data = build(subject="placeholder").as_bytes().replace(b"placeholder", "Réservation annulée".encode("latin-1"))
    result = parse(data)
    assert result.subject == "Réservation annulée"


def test_unknown_and_wrong_charsets_fall_back():
    result = mail("bogus_charset.eml")
    assert result.from_name == "André"  # x-bogus, UTF-8 bytes
    assert result.subject == "Café – crème brûlée"  # x-unknown, Windows-1252 bytes
    assert result.text == ("Première partie en UTF-8 : déjà vu.\n\nDeuxième partie, déclarée UTF-8 mais en Latin-1.")
    assert "unknown charset 'x-unknown-8bit-charset' in part 1" in result.problems
    assert "text not in its charset 'utf-8' in part 2" in result.problems


@pytest.mark.parametrize("charset", ["base64", "rot13", "punycode", "idna", "zlib", ""])
def test_codecs_that_are_no_charsets_are_never_used(charset):
    message = build()
    message.set_content("Caf\u00e9 ok".encode(), maintype="text", subtype="plain", cte="8bit")
    message.set_param("charset", charset) if charset else message.del_param("charset")
    result = parsed(message)
    assert result.text == "Café ok"


def test_quoted_printable_and_base64_bodies():
    assert "“no bookings yet”" in mail("apple_mail_reply.eml").text  # quoted-printable UTF-8
    assert mail("outlook_com_reply.eml").text.startswith("I logged out")  # base64 UTF-8


# --- broken mail ----------------------------------------------------------------------------


def test_multipart_without_boundary_is_recovered():
    result = mail("no_boundary.eml")
    assert result.text == "The receipt is attached."
    [receipt] = result.files
    assert (receipt.filename, receipt.content_type) == ("receipt.png", "image/png")
    assert receipt.content.startswith(PNG)
    assert "missing MIME boundary in the body" in result.problems
    assert "MIME boundary guessed in the body" in result.problems


def test_multipart_without_boundary_or_parts_is_text():
    data = build("just words\nno parts").as_bytes().replace(b'text/plain; charset="utf-8"', b"multipart/mixed")
    result = parse(data)
    assert result.text == "just words\nno parts"
    assert any("without parts" in problem for problem in result.problems)


def test_boundary_that_never_closes():
    result = mail("unclosed_boundary.eml")
    assert result.text == "My passport scan, as you asked."
    [scan] = result.files
    assert scan.filename == "passport.pdf" and scan.content.startswith(PDF) and scan.content.endswith(b"%%EOF\n")
    assert result.problems == ("MIME boundary never closed in the body",)


def test_bad_base64():
    result = mail("bad_base64.eml")
    assert result.text == "Here are the files."
    statement, screenshot = result.files
    assert statement.filename == "statement.pdf" and statement.content.startswith(PDF)  # junk skipped
    assert statement.content.endswith(b"%%EOF\n")
    assert (screenshot.filename, screenshot.content) == ("screenshot.png", b"")  # undecodable: empty
    assert result.problems == (
        "bad base64 in part 2: invalid characters skipped",
        "bad base64 in part 3: cannot be decoded",
    )


def test_header_injection_attempts_are_flattened():
    result = mail("header_injection.eml")
    assert result.subject == "Refund request Bcc: victim@example.com <b>hi</b>"
    assert (result.from_address, result.from_name) == (
        "attacker@evil.example",
        "Support Desk Bcc: everyone@desk.example",
    )
    assert result.reply_to == ""  # "=?UTF-8?Q?admin=40desk.example?=" is no address
    assert result.in_reply_to == ("a@evil.example",)
    assert "line breaks removed from the Subject header" in result.problems
    assert "line breaks removed from the From header" in result.problems
    assert "unreadable address in the Reply-To header" in result.problems
    # "../../../etc/passwd" without its directories; the right-to-left override gone
    assert names(result) == ["passwd", "reportfdp.exe"]


def test_nul_in_headers_and_body():
    result = mail("nul_in_header.eml")
    assert result.subject == "Booking question HTK-62220"
    assert result.from_name == "Bishnu Karki"
    assert result.message_id == "nul.header.1@example.com"
    assert result.text == "Is breakfast included?"
    assert "NUL removed from the Subject header" in result.problems


def test_no_message_id():
    result = mail("no_message_id.eml")
    assert result.message_id == ""
    assert result.problems == ("no Message-ID",)
    assert result.from_address == "www-data@booking.himalayantreks.com.np"
    assert result.text.endswith("Message: Can I bring my dog on the Langtang trek?")


def test_no_from():
    result = mail("no_from.eml")
    assert (result.from_address, result.from_name) == ("", "")
    assert result.problems == ("no From address",)
    assert result.text == "A mail without a From header."


def test_unreadable_from():
    result = parsed(build(From="Priya Sharma"))
    assert result.from_address == ""
    assert "unreadable From address" in result.problems


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (raw("empty.eml"), "empty"),
        (b"   \r\n\r\n  ", "empty"),
        (raw("garbage.eml"), "no headers"),
        (b'{"from": "a@b.example", "subject": "json"}\n', "no mail headers"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "no headers"),
    ],
)
def test_what_is_no_mail_is_malformed(data, reason):
    with pytest.raises(MalformedMail) as caught:
        parse(data)
    assert str(caught.value).startswith(reason)
    assert "\n" not in str(caught.value)


def test_not_bytes_is_malformed():
    with pytest.raises(MalformedMail, match="not bytes"):
        parse("From: a@b.example\n\nhi")  # type: ignore[arg-type]


def test_deeply_nested_multiparts_are_cut_off():
    depth = 200
    data = b"From: a@b.example\r\nSubject: nested\r\nMIME-Version: 1.0\r\n"
    for level in range(depth):
        data += f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode()
    data += b"Content-Type: text/plain\r\n\r\ndeep down\r\n"
    for level in reversed(range(depth)):
        data += f"--b{level}--\r\n".encode()
    result = parse(data)
    assert result.text == ""
    assert "MIME parts nested over 50 deep: the deeper ones left out" in result.problems


def test_signatures_of_signed_mail_are_no_files():
    message = build("Signed, sealed, delivered.")
    message.add_attachment(b"0\x82\x06\x1f", maintype="application", subtype="pkcs7-signature", filename="smime.p7s")
    message.replace_header("Content-Type", 'multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256')
    message.set_boundary("signed-b")
    result = parsed(message)
    assert result.text == "Signed, sealed, delivered."
    assert result.files == ()


def test_address_headers_are_read_up_to_32_kb():
    recipients = ", ".join(f"guest{n:04d}@example.org" for n in range(2600))
    result = parsed(build(Cc=recipients))
    assert 1000 < len(result.cc) < 2600
    assert result.cc[:2] == ("guest0000@example.org", "guest0001@example.org")
    assert "over 32 KB of Cc addresses: the rest left out" in result.problems
    assert not any("unreadable address" in problem for problem in result.problems)  # cut at a comma


def test_dates():
    assert parsed(build(Date="Thu, 03 Dec 2026 10:15:10 -0000")).date == datetime(2026, 12, 3, 10, 15, 10, tzinfo=UTC)
    data = re.sub(rb"\nDate: [^\n]*", b"\nDate: next Tuesday, probably", build().as_bytes())
    result = parse(data)
    assert result.date is None and "unreadable Date header" in result.problems
    assert parse(data.replace(b"next Tuesday, probably", b"Thu, 3 Dec 2026 16:16:42")).date == datetime(
        2026, 12, 3, 16, 16, 42, tzinfo=UTC
    )  # no zone: taken as UTC, never naive


def test_message_ids_without_brackets_and_with_comments():
    data = build(In_Reply_To=f"<{REPLY_ID}> (Alice's message of Thu, 3 Dec 2026)").as_bytes()
    data = data.replace(b"\nSubject:", f"\nReferences: {FIRST_ID}\n <{REPLY_ID}>\n <{REPLY_ID}>\nSubject:".encode())
    result = parse(data)
    assert result.in_reply_to == (REPLY_ID,)
    assert result.references == (REPLY_ID,)  # bracketed ids win; each once
    bare = parsed(build(References=f"{FIRST_ID} {REPLY_ID}"))
    assert bare.references == (FIRST_ID, REPLY_ID)


# --- the new text ---------------------------------------------------------------------------


def test_a_sentence_starting_with_thanks_is_no_signature():
    result = parsed(build("Hi,\n\nThanks, that fixed it! The booking shows up now.\n\nPriya\n"))
    assert result.text == "Hi,\n\nThanks, that fixed it! The booking shows up now.\n\nPriya"
    signed = parsed(build("Hi,\n\nThe booking shows up now.\n\nThanks, Priya Sharma\n+977 9851012345\n"))
    assert signed.text == "Hi,\n\nThe booking shows up now."


def test_dash_signature_and_sent_from_my_phone_are_cut():
    result = parsed(build("It works now.\n\n-- \nPriya Sharma\nKathmandu\n"))
    assert result.text == "It works now."
    phone = parsed(build("It works now.\n\nSent from my Galaxy\n"))
    assert phone.text == "It works now."


def test_a_mail_that_is_all_quote_has_no_new_text():
    result = parsed(
        build(
            "From: Support Desk <support@desk.example>\nSent: Thursday, December 3, 2026 10:15\n"
            "To: Priya <priya.sharma@gmail.com>\nSubject: [#1042] Booking\n\nHi Priya, thanks.\n"
        )
    )
    assert result.text == ""
    assert result.full_text.startswith("From: Support Desk")


def test_interleaved_quotes_keep_the_answers():
    body = "> Could you send the reference?\nHTK-55821\n\n> And the date?\n1 December\n\n> old trailing quote\n"
    result = parsed(build(body))
    assert result.text == "> Could you send the reference?\nHTK-55821\n\n> And the date?\n1 December"


def test_long_text_is_kept_whole():
    paragraph = "The quick brown fox jumps over the lazy dog near Phewa lake. " * 20 + "\n\n"
    body = paragraph * 400 + "On Thu, 3 Dec 2026 at 10:15, Support Desk <support@desk.example> wrote:\n> old\n"
    started = cpu_time()
    result = parsed(build(body))
    assert cpu_time() - started < 3
    assert len(result.full_text) > 480_000
    # history is looked for in the first 400,000 characters only: beyond, all of it is text
    assert result.text == result.full_text


def test_huge_html_is_converted_in_part():
    html = "<html><body>" + "<p>Namaste from <b>Pokhara</b> &amp; the lakes.</p>" * 14_000 + "</body></html>"
    message = build()
    message.set_content(html, subtype="html")
    started = cpu_time()
    result = parsed(message)
    assert cpu_time() - started < 3
    assert result.text.startswith("Namaste from Pokhara & the lakes.\n\nNamaste")
    assert "HTML over 512 KB in the body: only its start converted" in result.problems


def test_inline_data_uri_images_and_scripts_are_dropped_from_html():
    image = "data:image/png;base64," + "iVBORw0KGgo" * 50_000
    html = f'<p>See the picture</p><img src="{image}"><script>alert("x")</script><style>p {{color: red}}</style>'
    message = build()
    message.set_content(html, subtype="html")
    result = parsed(message)
    assert result.text == "See the picture"
    assert result.problems == ()


# --- many files, big mail -------------------------------------------------------------------


def _tiny_png(n: int) -> bytes:
    return PNG + b"\x00\x00\x00\rIHDR" + n.to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"


def test_thirty_attachments():
    message = build("Thirty documents for the group booking.")
    expected = []
    for n in range(1, 31):
        kind = ("png", "pdf", "txt")[n % 3]
        if kind == "png":
            content, maintype, subtype = _tiny_png(n), "image", "png"
        elif kind == "pdf":
            content, maintype, subtype = PDF + b"\n%" + str(n).encode() + b"\n%%EOF\n", "application", "pdf"
        else:
            content, maintype, subtype = f"Traveller {n}: passport N{n:07d}\n".encode(), "text", "plain"
        filename = f"traveller-{n:02d}.{kind}"
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
        expected.append((filename, f"{maintype}/{subtype}", content))
    result = parsed(message)
    assert result.text == "Thirty documents for the group booking."
    assert [(f.filename, f.content_type, f.content) for f in result.files] == expected
    assert not any(file.inline for file in result.files)
    assert result.problems == ()


@pytest.fixture(scope="module")
def big_mail() -> bytes:
    """A 20 MB mail: a short reply and a 15 MB video (written out directly: the email package
    takes a second to encode it)."""
    video = base64.encodebytes(bytes(range(256)) * (15 * 4096))
    return b"".join(
        [
            b"From: Priya Sharma <priya.sharma@gmail.com>\r\nTo: support@desk.example\r\n",
            b"Subject: The video\r\nMessage-ID: <big.1@example.com>\r\nMIME-Version: 1.0\r\n",
            b'Content-Type: multipart/mixed; boundary="big"\r\n\r\n',
            b"--big\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
            b"The video of the trek is attached.\r\n\r\n> Could you send us a video?\r\n",
            b'--big\r\nContent-Type: video/mp4\r\nContent-Disposition: attachment; filename="trek.mp4"\r\n',
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            video.replace(b"\n", b"\r\n"),
            b"--big--\r\n",
        ]
    )


def test_a_20_mb_mail_parses_fast(big_mail):
    assert len(big_mail) > 20_000_000
    started = cpu_time()
    result = parse(big_mail)
    assert cpu_time() - started < 3
    assert result.text == "The video of the trek is attached."
    [video] = result.files
    assert (video.filename, video.content_type, len(video.content)) == ("trek.mp4", "video/mp4", 15 * 1024 * 1024)
    assert video.content[:4] == b"\x00\x01\x02\x03"


MEMORY_PROBE = """
import resource, sys
from desk.mail.parsing import parse
raw = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = parse(raw)
assert len(result.files[0].content) == 15 * 1024 * 1024
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_a_20_mb_mail_takes_a_few_times_its_size_in_memory(big_mail, tmp_path):
    """The peak resident memory a parse adds (in a process of its own, where nothing else counts)."""
    path = tmp_path / "big.eml"
    path.write_bytes(big_mail)
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    added = int(probe.stdout.strip()) * 1024  # ru_maxrss is in kilobytes on Linux
    assert added < 4 * len(big_mail)


def _many_parts(count: int) -> bytes:
    head = b"From: a@b.example\r\nTo: support@desk.example\r\nSubject: parts\r\nMessage-ID: <parts@b.example>\r\n"
    head += b'Content-Type: multipart/mixed; boundary="p"\r\n\r\n--p\r\nContent-Type: text/plain\r\n\r\nMany parts.\r\n'
    parts = b"".join(b'--p\r\nContent-Type: image/png; name="%d.png"\r\n\r\nx\r\n' % n for n in range(count))
    return head + parts + b"--p--\r\n"


def test_thousands_of_parts_are_read_fast():
    started = cpu_time()
    result = parse(_many_parts(5000))
    assert cpu_time() - started < 3
    assert result.text == "Many parts."
    assert len(result.files) == 5000 and result.files[-1].filename == "4999.png"
    assert result.problems == ("over 500 MIME parts",)


def test_tens_of_thousands_of_parts_are_refused():
    with pytest.raises(MalformedMail, match="more than 20000 MIME parts"):
        parse(_many_parts(20_001))
