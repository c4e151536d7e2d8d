#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The mails of tools/send.sh (make send).

mails.py cover-text COVER N
    Print the cover letter's text from COVER (patches/0000-cover-letter.patch,
    for a series of N patches): its subject without [PATCH 00/N], a blank
    line, and its body up to the shortlog, which b4 adds itself.

mails.py check DIR N INDEX DESTS COVER_TEXT MAINTAINER...
    Check the messages b4 send -o wrote in DIR: one cover letter (0/N) and
    each patch (i/N), From: the sender (KDT_NAME, KDT_MAIL), To and Cc with
    every MAINTAINER, each patch signed off by the sender last, the cover
    letter with COVER_TEXT. Write "i<TAB>file<TAB>title" for each message
    to INDEX and the cover letter's To and Cc to DESTS; exit 1 on any error.
"""

import email
import email.policy
import email.utils
import glob
import os
import re
import sys


def cover_text(argv):
    with open(argv[0], 'rb') as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    subject = ' '.join(str(msg['Subject']).split())
    m = re.match(r'\[PATCH 0+/(\d+)\]\s*(.+)', subject)
    if not m:
        sys.exit(f'{argv[0]}: no [PATCH 00/N] subject: {subject}')
    if int(m[1]) != int(argv[1]):
        sys.exit(f'{argv[0]} counts {m[1]} patches, series lists {argv[1]}')
    body = msg.get_content()
    short = re.search(r'^\S.* \(\d+\):$', body, re.M)
    if not short:
        sys.exit(f'{argv[0]}: no shortlog ("Author (N):") after the text')
    text = body[:short.start()].strip()
    if not text or 'EDITME' in text or '*** ' in subject:
        sys.exit(f'{argv[0]}: the cover letter is not written')
    print(f'{m[2]}\n\n{text}')


def check(argv):
    d, n, index, dests, cover = argv[0], int(argv[1]), argv[2], argv[3], argv[4]
    maints = argv[5:]
    sender = (os.environ['KDT_NAME'], os.environ['KDT_MAIL'])
    signoff = f'Signed-off-by: {sender[0]} <{sender[1]}>'
    with open(cover) as f:
        csubject, ctext = f.read().split('\n\n', 1)
    ctext = ctext.strip()
    want = [email.utils.parseaddr(x)[1].lower() for x in maints]
    errors, msgs = [], {}
    for path in sorted(glob.glob(os.path.join(d, '*.eml'))):
        name = os.path.basename(path)
        with open(path, 'rb') as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        subject = ' '.join(str(msg['Subject']).split())
        m = re.match(r'\[PATCH (\d+)/(\d+)\] (.+)', subject)
        if not m:
            errors.append(f'{name}: subject is not [PATCH i/{n}]: {subject}')
            continue
        i = int(m[1])
        if int(m[2]) != n or i > n or i in msgs:
            errors.append(f'{name}: unexpected {subject}')
            continue
        frm = msg['From'].addresses if msg['From'] else ()
        if [(a.display_name, a.addr_spec) for a in frm] != [sender]:
            errors.append(f'{name}: From: is not {sender[0]} <{sender[1]}>')
        if i > 0:
            sobs = [x for x in msg.get_content().split('\n---\n', 1)[0].splitlines()
                    if x.startswith('Signed-off-by:')]
            if sobs[-1:] != [signoff]:
                errors.append(f'{name}: the last Signed-off-by is not {signoff[15:]}')
        to = [a for h in msg.get_all('To', []) for a in h.addresses]
        cc = [a for h in msg.get_all('Cc', []) for a in h.addresses]
        if not to:
            errors.append(f'{name}: no To:')
        got = {a.addr_spec.lower() for a in to + cc}
        for w, full in zip(want, maints):
            if w not in got:
                errors.append(f'{name}: {full} is not in To/Cc')
        if i == 0:
            # The cover letter: our subject, and our text up to b4's "---".
            body = msg.get_content().split('\n---\n', 1)[0].strip()
            if m[3] != csubject:
                errors.append(f'{name}: subject is not "{csubject}"')
            if body != ctext:
                errors.append(f'{name}: the text differs from the cover letter in patches/')
        msgs[i] = (name, m[3], to, cc)
    for i in sorted(set(range(n + 1)) - set(msgs)):
        errors.append(f'no message [PATCH {i}/{n}]' + (' (cover letter)' if i == 0 else ''))
    with open(index, 'w') as f:
        for i in sorted(msgs):
            f.write(f'{i}\t{msgs[i][0]}\t{msgs[i][1]}\n')
    if 0 in msgs:
        with open(dests, 'w') as f:
            for hdr, addrs in (('To', msgs[0][2]), ('Cc', msgs[0][3])):
                for a in addrs:
                    f.write(f'{hdr}: {a}\n')
    for e in errors:
        print(f'kdt: {e}', file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'cover-text':
        cover_text(sys.argv[2:])
    elif len(sys.argv) >= 7 and sys.argv[1] == 'check':
        sys.exit(check(sys.argv[2:]))
    else:
        sys.exit(__doc__)
