#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Count the results of TAP and KTAP streams, and make one of a guest boot.

tap.py boot NAME LOGDIR [--kunit]
    Print a TAP stream for one boot: did QEMU end in time, did the guest run
    its tests to the end, is the kernel log free of BUG/WARNING/Oops, then the
    guest's selftests (LOGDIR/tap.log) and the KUnit suites the kernel ran at
    boot (from LOGDIR/console.log) as subtests; with --kunit, no KUnit
    output at all is a failure.

tap.py sum [--since STAMP] FILE...
    Count every leaf result of the streams in FILEs (a subtest's parent only
    counts when it failed while none of its subtests did; a plan's missing
    results count as failed), print a line per file and last the line
    "N passed, N failed[, N skipped]". Exit 1 when any failed or a file is
    empty. With --since, a FILE that is missing or older than STAMP (a step
    it needs failed, so this run did not make it) is one failure, and the
    files are named by their path under STAMP's folder, with the seconds
    after STAMP at which the run made them.
"""

import os
import re
import sys

RESULT = re.compile(r'^(\s*)(ok|not ok)\b\s*(\d+)?\s*-?\s*([^#]*)(#.*)?$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)')
HEADER = re.compile(r'^(\s*)K?TAP version \d+')
BAIL = re.compile(r'^(\s*)Bail out!')
KTAP_LINE = re.compile(r'^\s*(K?TAP version|1\.\.\d|ok |not ok |# |Bail out)')
# What a healthy kernel never prints.
KERNEL_BAD = re.compile(
    r'(BUG:|WARNING:|Oops|Kernel panic|Call Trace:|general protection|'
    r'UBSAN:|KASAN:|suspected memory leak|possible circular locking|'
    r'sleeping function called from invalid context|INFO: task .* blocked)')


class Count:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []


def count(lines, c):
    """Add the results of the TAP lines to c."""
    frames = []   # open (sub)tests: [indent, plan, results, failed at open]

    def close(frame):
        indent, plan, results, _ = frame
        if plan is not None and results < plan:
            c.failed += plan - results
            c.failures.append(f'{plan - results} result(s) missing at '
                              f'indent {indent}')
        elif plan is not None and results > plan:
            c.failed += results - plan
            c.failures.append(f'{results - plan} result(s) beyond the plan '
                              f'at indent {indent}')
        elif plan is None and indent == 0 and results:
            # KTAP lets nested suites go without a plan, never a whole run.
            c.failed += 1
            c.failures.append('a stream without a plan')

    def frame_at(indent):
        while frames and frames[-1][0] > indent:
            close(frames.pop())
        if not frames or frames[-1][0] < indent:
            frames.append([indent, None, 0, c.failed])
        return frames[-1]

    for line in lines:
        line = line.rstrip('\r\n')
        m = HEADER.match(line)
        if m:
            indent = len(m.group(1))
            while frames and frames[-1][0] >= indent:
                close(frames.pop())
            frames.append([indent, None, 0, c.failed])
            continue
        m = PLAN.match(line)
        if m:
            frame_at(len(m.group(1)))[1] = int(m.group(2))
            continue
        m = BAIL.match(line)
        if m:
            c.failed += 1
            c.failures.append(line.strip())
            continue
        m = RESULT.match(line)
        if not m:
            continue
        indent = len(m.group(1))
        failed_before = c.failed
        had_children = bool(frames) and frames[-1][0] > indent
        if had_children:
            failed_before = frames[-1][3]
        while frames and frames[-1][0] > indent:
            close(frames.pop())
        frame = frame_at(indent)
        frame[2] += 1
        ok = m.group(2) == 'ok'
        directive = (m.group(5) or '').upper()
        if had_children:
            if not ok and c.failed == failed_before:
                c.failed += 1
                c.failures.append(line.strip())
        elif ok and 'SKIP' in directive:
            c.skipped += 1
        elif ok:
            c.passed += 1
        else:
            c.failed += 1
            c.failures.append(line.strip())
    while frames:
        close(frames.pop())


def kunit_lines(console):
    """The KTAP the kernel printed at boot, without the other log lines."""
    out = []
    started = False
    for line in console:
        line = re.sub(r'^\[\s*\d+\.\d+\]\s?', '', line.rstrip('\r\n'))
        if not started:
            started = line.startswith('KTAP version')
        if started and KTAP_LINE.match(line):
            out.append(line)
    return out


def read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def boot(name, logdir, kunit_expected):
    console = read(os.path.join(logdir, 'console.log'))
    guest = read(os.path.join(logdir, 'tap.log'))
    status = (read(os.path.join(logdir, 'qemu.status')) or ['? ?'])[0]
    rc, secs = status.split()
    results = []
    results.append((rc == '0', f'{name}: QEMU exited by itself '
                    f'(status {rc}, {secs} s)'))
    results.append((any('# kdt: tests done' in x for x in guest),
                    f'{name}: the guest ran its tests to the end'))
    bad = [x for x in console if KERNEL_BAD.search(x)]
    results.append((not bad, f'{name}: the kernel log has no BUG, WARNING '
                    'or Oops'))
    print('TAP version 13')
    n = 0
    for ok, desc in results:
        n += 1
        print(f'{"ok" if ok else "not ok"} {n} {desc}')
        if not ok:
            for x in bad[:20] or console[-20:]:
                print(f'# {x}')
    kunit = kunit_lines(console)
    if kunit_expected and not kunit:
        kunit = ['KTAP version 1', '1..1',
                 'not ok 1 no KUnit output in the console log']
    for sub, lines in (('selftests', guest), ('kunit', kunit)):
        if not lines:
            continue
        n += 1
        c = Count()
        count(lines, c)
        for x in lines:
            print('    ' + x)
        print(f'{"not ok" if c.failed else "ok"} {n} {name}: {sub}')
    print(f'1..{n}')


def total(files, since=None):
    grand = Count()
    start = os.stat(since).st_mtime if since else None
    for path in files:
        c = Count()
        name = os.path.basename(path)
        if since:
            name = os.path.relpath(path, os.path.dirname(since))
        if start is not None and (not os.path.exists(path) or
                                  os.stat(path).st_mtime < start):
            c.failed += 1
            c.failures.append('not made in this run: a step it needs '
                              'failed (see above)')
        else:
            count(read(path), c)
            if not c.passed + c.failed + c.skipped:
                c.failed += 1
                c.failures.append('no result at all')
            if start is not None:
                # When the run made it: where the run's time went.
                made = os.stat(path).st_mtime - start
                name += f' (made at +{made:.0f} s)'
        print(f'# {name}: {c.passed} passed, '
              f'{c.failed} failed, {c.skipped} skipped')
        for f in c.failures:
            print(f'#   not ok: {f}')
        grand.passed += c.passed
        grand.failed += c.failed
        grand.skipped += c.skipped
    line = f'{grand.passed} passed, {grand.failed} failed'
    if grand.skipped:
        line += f', {grand.skipped} skipped'
    print(line)
    return 1 if grand.failed else 0


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == 'boot':
        boot(sys.argv[2], sys.argv[3], sys.argv[4:] == ['--kunit'])
        return 0
    if len(sys.argv) >= 5 and sys.argv[1:3] == ['sum', '--since']:
        return total(sys.argv[4:], sys.argv[3])
    if len(sys.argv) >= 3 and sys.argv[1] == 'sum':
        return total(sys.argv[2:])
    sys.exit(__doc__)


if __name__ == '__main__':
    sys.exit(main())
