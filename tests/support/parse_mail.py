"""Parses one RFC 5322 message with Python's email package (an independent MIME parser) and
prints what a mail client would show, as JSON: decoded headers and each part's text.

usage: /usr/bin/python3 parse_mail.py FILE
"""
import json
import sys
from email import policy
from email.parser import BytesParser

with open(sys.argv[1], "rb") as f:
    msg = BytesParser(policy=policy.default).parse(f)
parts = []
for part in msg.walk():
    if part.is_multipart():
        continue
    parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                  "encoding": part.get("Content-Transfer-Encoding", ""),
                  "text": part.get_content()})
print(json.dumps({"subject": str(msg["subject"]), "raw_subject": msg.get("subject").__class__.__name__,
                  "from": str(msg["from"]), "to": str(msg["to"]), "cc": str(msg.get("cc", "")),
                  "content_type": msg.get_content_type(), "message_id": str(msg["message-id"]),
                  "parts": parts}, ensure_ascii=False))
