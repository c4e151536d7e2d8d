#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests of tap.py's counting, printed as TAP: the counter that decides
whether make check passes must itself be right; and of lib/queue, which
orders the parallel plan's builds and guests."""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap  # noqa: E402

CASES = [
    ('leaves', 'TAP version 13\n1..3\nok 1 a\nnot ok 2 b\nok 3 c # SKIP\n',
     (1, 1, 1)),
    ('a plan with missing results', 'TAP version 13\n1..4\nok 1 a\n',
     (1, 3, 0)),
    ('a parent counts only its subtests',
     'KTAP version 1\n1..1\n    KTAP version 1\n    1..2\n    ok 1 x\n'
     '    ok 2 y\nok 1 suite\n', (2, 0, 0)),
    ('a failed parent with passing subtests is one failure',
     'KTAP version 1\n1..1\n    TAP version 13\n    1..1\n    ok 1 x\n'
     'not ok 1 prog # exit=139\n', (1, 1, 0)),
    ('a failed subtest is not counted twice',
     'KTAP version 1\n1..1\n    TAP version 13\n    1..2\n    ok 1 x\n'
     '    not ok 2 y\nnot ok 1 prog\n', (1, 1, 0)),
    ('two nested streams under one parent',
     'KTAP version 1\n1..2\n    TAP version 13\n    1..1\n    ok 1 x\n'
     'ok 1 p\n    TAP version 13\n    1..2\n    ok 1 y\nok 2 q\n', (2, 1, 0)),
    ('results beyond the plan', 'TAP version 13\n1..1\nok 1 a\nok 2 b\n',
     (2, 1, 0)),
    ('a run without a plan', 'TAP version 13\nok 1 a\n', (1, 1, 0)),
    ('bail out', 'TAP version 13\n1..1\nBail out! no device\n', (0, 2, 0)),
    ('KUnit with a parameterised case',
     'KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..1\n'
     '        KTAP version 1\n        # Subtest: p\n        ok 1 p1\n'
     '        ok 2 p2\n    ok 1 p\nok 1 s\n', (2, 0, 0)),
]


def since():
    """sum --since: a file this run made counts, an older or missing one is
    a failure."""
    with tempfile.TemporaryDirectory() as d:
        old, stamp, new = (os.path.join(d, x) for x in ('old', 'stamp', 'new'))
        for path, when in ((old, 1000), (stamp, 2000), (new, 3000)):
            with open(path, 'w') as f:
                f.write('TAP version 13\n1..1\nok 1 a\n')
            os.utime(path, (when, when))
        with contextlib.redirect_stdout(io.StringIO()) as out:
            rc = tap.total([new, old, os.path.join(d, 'missing')], stamp)
    return rc == 1 and out.getvalue().splitlines()[-1] == '1 passed, 2 failed'


def queue():
    """lib/queue: while one holds the lock, the waiters go by their key's
    place in KDT_QUEUE_ORDER (a key not in it last), then as they came."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'queue')
    env = dict(os.environ, KDT_QUEUE_ORDER='debug kcsan y')
    with tempfile.TemporaryDirectory() as d:
        lock, log = os.path.join(d, 'lock'), os.path.join(d, 'log')

        def start(key, secs):
            return subprocess.Popen(
                [script, lock, key, 'sh', '-c',
                 f'echo {key} >> {log}; sleep {secs}'], env=env)
        procs = [start('holder', 2)]
        time.sleep(0.5)
        for key in ('7.3', 'y', 'debug', 'y2', 'kcsan'):
            procs.append(start(key, 0))
            time.sleep(0.2)
        rcs = [p.wait(timeout=60) for p in procs]
        with open(log) as f:
            order = f.read().split()
    return rcs == [0] * 6 and order == ['holder', 'debug', 'kcsan', 'y',
                                        '7.3', 'y2']


def main():
    print('TAP version 13')
    failed = 0
    n = 0
    for n, (name, text, want) in enumerate(CASES, 1):
        c = tap.Count()
        tap.count(text.splitlines(), c)
        got = (c.passed, c.failed, c.skipped)
        ok = got == want
        failed += not ok
        print(f'{"ok" if ok else "not ok"} {n} tap.py counts {name}')
        if not ok:
            print(f'# want passed/failed/skipped {want}, got {got}')
    ok = since()
    failed += not ok
    print(f'{"ok" if ok else "not ok"} {n + 1} tap.py sum --since counts '
          'an old or missing file as failed')
    ok = queue()
    failed += not ok
    print(f'{"ok" if ok else "not ok"} {n + 2} lib/queue serves the waiters '
          'in KDT_QUEUE_ORDER, then as they came')
    print(f'1..{len(CASES) + 2}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
