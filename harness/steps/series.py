#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the project's kernel-path sources into the patch series.

Each file in harness/commits/ (in name order) describes one commit:

    Files: paths the commit adds or changes, as in the kernel tree
    Introduces: Kconfig symbols and file names the commit brings in
    Since: X.Y, the oldest tree the commit is for (optional: every tree);
        an older tree's series leaves the commit out
    Edits: diffs in harness/edits/ of existing kernel files, applied with
        git apply at this commit (optional; for a change of the tree's own
        code, which is not the project's to hold whole, so that a tree
        whose file moved on fails here rather than losing its change)

    subsystem: summary

    Body.

The sources hold the state after the last patch. A file that several commits
touch (a Kconfig, a Makefile) is written at commit N with what later commits
introduce left out: a Kconfig entry of a later symbol, or a line naming a later
symbol or file. The edits of existing kernel files (the hooks below) are made
by code, each from what the tree holds at that commit.

Every commit is authored and signed off (Signed-off-by: added by git commit
-s) by whoever runs `make series`: git config's user.name and user.email in
this repository. The date is fixed, so that the same person regenerates the
same bytes.

Mainline's series is patches/ and series. The series for an older tree
(X.Y/patches and X.Y/series) is made from the same sources through the
rules of X.Y/backport: lines "OLD<tab>NEW", each replacing the text OLD by
NEW in every file, for an interface the older tree names otherwise; a rule
that matches nothing fails, so that none outlives its need.

Usage: series.py write|check TREE GEN_WORKTREE [SERIES_DIR]
       series.py checkpatch-ignore PATCH
  SERIES_DIR: where patches/ and series are (default: the top folder)
  write: regenerate patches/ and series
  check: regenerate (as the author of patches/, so whoever runs it) and
         compare with patches/ and series. Patch bytes that differ are
         applied with git am on the same base, and each commit's tree and
         message (less its last Signed-off-by) compared with the
         regeneration's: equal, only the base or the author moved, which
         a '# ' line reports; different, or not applying, fails.
  checkpatch-ignore: the checkpatch types to ignore in PATCH (a patch or
         its mail), from the harness/commits/ file of its subject, for
         checks/checkpatch.sh and tools/send.sh
"""

import difflib
import email
import email.policy
import filecmp
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMMITS = os.path.join(TOP, 'harness', 'commits')
COVER = os.path.join(COMMITS, 'cover-letter')
PATCHES = os.path.join(TOP, 'patches')
SERIES = os.path.join(TOP, 'series')
# (OLD, NEW) pairs of SERIES_DIR/backport, and how often each matched.
BACKPORT = []
KERNEL_DIRS = ('samples', 'drivers', 'Documentation', 'tools', 'include',
               'rust')
EDITS = os.path.join(TOP, 'harness', 'edits')
BRANCH = 'kdt-series'
# One date for every commit, so that a regeneration is byte for byte the
# same for the same author.
DATE = '2026-11-23 00:00:00 +0000'
SIGNOFF = re.compile(r'^Signed-off-by:', re.M)


def runner_identity():
    """user.name and user.email as git config sees them in this repository:
    the series is signed off as whoever makes it."""
    who = []
    for key in ('user.name', 'user.email'):
        r = subprocess.run(['git', '-C', TOP, 'config', key], text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           check=False)
        who.append(r.stdout.strip())
    if not all(who):
        sys.exit('kdt: set git config user.name and user.email: '
                 'the series is signed off as you')
    return who


def patches_identity():
    """The author of the committed patches/: a check regenerates as them, so
    that its result does not depend on who runs it (CI may have no git
    identity at all)."""
    for name in sorted(os.listdir(PATCHES)) if os.path.isdir(PATCHES) else []:
        if name.endswith('.patch') and not name.startswith('0000-'):
            with open(os.path.join(PATCHES, name), 'rb') as f:
                msg = email.message_from_binary_file(
                    f, policy=email.policy.default)
            if msg['From'] and msg['From'].addresses:
                addr = msg['From'].addresses[0]
                return addr.display_name, addr.addr_spec
    return 'kdt', 'kdt@invalid'


def use_identity(name, mail):
    """Author and commit as name <mail> on DATE, and keep the user's and the
    system's git config, and config passed in the environment, from
    changing the output."""
    for who in ('AUTHOR', 'COMMITTER'):
        os.environ.update({f'GIT_{who}_NAME': name,
                           f'GIT_{who}_EMAIL': mail,
                           f'GIT_{who}_DATE': DATE})
    os.environ.update({'GIT_CONFIG_GLOBAL': '/dev/null',
                       'GIT_CONFIG_NOSYSTEM': '1'})
    for var in ('GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT'):
        os.environ.pop(var, None)


def git(tree, *args, capture=False):
    """Run git in tree; a failure ends the run with git's own message last,
    where a log's tail shows it (a full disk, a lock left behind)."""
    cmd = ['git', '-C', tree, '-c', 'core.quotePath=false'] + list(args)
    run = subprocess.run(cmd, text=True, stderr=subprocess.PIPE,
                         stdout=subprocess.PIPE if capture
                         else subprocess.DEVNULL)
    sys.stderr.write(run.stderr)
    if run.returncode:
        sys.exit(f'git {" ".join(args[:2])} in {tree} failed '
                 f'(exit {run.returncode}): '
                 + (run.stderr.strip().splitlines() or ['no message'])[-1])
    return run.stdout if capture else None


class Commit:
    def __init__(self, path):
        self.name = os.path.basename(path)
        with open(path, encoding='utf-8') as f:
            head, _, self.message = f.read().partition('\n\n')
        fields = {}
        for line in head.splitlines():
            key, _, value = line.partition(':')
            fields[key.strip().lower()] = value.split()
        self.files = fields.get('files', [])
        self.edits = fields.get('edits', [])
        self.introduces = fields.get('introduces', [])
        self.ignore = ','.join(fields.get('checkpatch-ignore', []))
        self.since = tuple(int(n) for n in
                           ''.join(fields.get('since', ['0'])).split('.'))
        if not (self.files or self.edits) or not self.message.strip():
            sys.exit(f'{path}: needs a Files: or Edits: line and a message')
        for e in self.edits:
            if not os.path.exists(os.path.join(EDITS, e)):
                sys.exit(f'{path}: no harness/edits/{e}')
        if SIGNOFF.search(self.message):
            sys.exit(f'{path}: no Signed-off-by here: make series signs off '
                     'as whoever runs it')


def load_commits():
    names = sorted(n for n in os.listdir(COMMITS) if re.match(r'\d+-', n))
    commits = [Commit(os.path.join(COMMITS, n)) for n in names]
    listed = {f for c in commits for f in c.files}
    for d in KERNEL_DIRS:
        for root, _, files in os.walk(os.path.join(TOP, d)):
            for f in files:
                rel = os.path.relpath(os.path.join(root, f), TOP)
                if rel not in listed:
                    sys.exit(f'{rel} is in no commit of harness/commits/')
    for f in listed:
        if not os.path.exists(os.path.join(TOP, f)):
            sys.exit(f'{f} is listed in harness/commits/ but missing')
    return commits


def token_re(token):
    return re.compile(r'(?<![\w.-])(CONFIG_)?' + re.escape(token) +
                      r'(?![\w-])')


def drop_later(text, later):
    """Leave out of text what the later commits introduce, and the blank
    lines that would then stand doubled or last."""
    pats = [token_re(t) for t in later]
    out = []
    skipping = dropped = False
    for line in text.splitlines(keepends=True):
        m = re.match(r'(menu)?config\s+(\w+)\s*$', line)
        if m:
            skipping = m.group(2) in later
        elif line.strip() and not line[0].isspace():
            skipping = False
        if skipping or any(p.search(line) for p in pats):
            dropped = True
            continue
        if (dropped and not line.strip() and
                (not out or not out[-1].strip())):
            continue
        if line.strip():
            dropped = False
        out.append(line)
    while dropped and out and not out[-1].strip():
        out.pop()
    return ''.join(out)


# Hooks: edits of existing kernel files, each made when the tree holds what
# it hooks in, and each idempotent.

def edit(tree, path, fn):
    full = os.path.join(tree, path)
    with open(full, encoding='utf-8') as f:
        old = f.read()
    new = fn(old)
    if new != old:
        with open(full, 'w', encoding='utf-8') as f:
            f.write(new)


def insert_before(text, anchor, line):
    if line in text.splitlines():
        return text
    at = text.index(anchor)
    return text[:at] + line + '\n' + text[at:]


def append_line(text, line):
    if line in text.splitlines():
        return text
    return text.rstrip('\n') + '\n' + line + '\n'


def hook_samples(tree):
    if not os.path.exists(os.path.join(tree, 'samples/tour/Kconfig')):
        return
    edit(tree, 'samples/Kconfig', lambda t: insert_before(
        t, '\nendif # SAMPLES\n', 'source "samples/tour/Kconfig"'))
    edit(tree, 'samples/Makefile', lambda t: append_line(
        t, 'obj-$(CONFIG_SAMPLES_TOUR)\t\t+= tour/'))


def hook_selftests(tree):
    if not os.path.exists(os.path.join(tree,
                                       'tools/testing/selftests/tour')):
        return

    def targets(t):
        line = 'TARGETS += tour'
        lines = t.splitlines(keepends=True)
        if line + '\n' in lines:
            return t
        for i, old in enumerate(lines):
            m = re.match(r'TARGETS \+= (\S+)$', old)
            if m and m.group(1) > 'tour':
                lines.insert(i, line + '\n')
                return ''.join(lines)
        sys.exit('no place for tour in tools/testing/selftests/Makefile')
    edit(tree, 'tools/testing/selftests/Makefile', targets)


def hook_misc(tree):
    """The edu driver's folder in drivers/misc, and the pages of the docs."""
    if os.path.exists(os.path.join(tree, 'drivers/misc/qemu_edu/Kconfig')):
        edit(tree, 'drivers/misc/Kconfig', lambda t: insert_before(
            t, 'endmenu\n', 'source "drivers/misc/qemu_edu/Kconfig"'))
        edit(tree, 'drivers/misc/Makefile', lambda t: append_line(
            t, 'obj-$(CONFIG_QEMU_EDU)\t\t+= qemu_edu/'))
    if os.path.exists(os.path.join(tree,
                                   'Documentation/misc-devices/qemu_edu.rst')):
        edit(tree, 'Documentation/misc-devices/index.rst',
             lambda t: toctree_insert(t, 'qemu_edu'))
    if os.path.exists(os.path.join(tree, 'include/uapi/misc/qemu_edu.h')):
        line = ('0xED  00-0F  ' + 'uapi/misc/qemu_edu.h'.ljust(58) +
                'QEMU edu device driver')
        edit(tree, 'Documentation/userspace-api/ioctl/ioctl-number.rst',
             lambda t: insert_before(t, '0xEE  ', line))
    if os.path.exists(os.path.join(
            tree, 'Documentation/kernel-hacking/driver-tour.rst')):
        edit(tree, 'Documentation/kernel-hacking/index.rst',
             lambda t: toctree_insert(t, 'driver-tour'))
    if os.path.exists(os.path.join(
            tree, 'Documentation/kernel-hacking/driver-tour-rust.rst')):
        edit(tree, 'Documentation/kernel-hacking/index.rst',
             lambda t: toctree_insert(t, 'driver-tour-rust'))


def kconfig_entries(text):
    """The entries of a Kconfig snippet: its blocks, blank-line separated,
    each starting with a config line."""
    return [b.strip('\n') + '\n' for b in re.split(r'\n\n(?=config )', text)
            if b.strip()]


def hook_rust(tree, later):
    """The Rust twins' entries in samples/rust's Kconfig and Makefile (from
    harness/edits, less what later commits introduce), and the kernel
    crate's modules that the series adds."""
    if os.path.exists(os.path.join(tree, 'rust/kernel/random.rs')):
        edit(tree, 'rust/kernel/lib.rs', lambda t: insert_before(
            t, 'pub mod rbtree;\n', 'pub mod random;'))
    with open(os.path.join(EDITS, 'samples-rust-Kconfig'),
              encoding='utf-8') as f:
        entries = kconfig_entries(drop_later(f.read(), later))
    with open(os.path.join(EDITS, 'samples-rust-Makefile'),
              encoding='utf-8') as f:
        objs = drop_later(f.read(), later).splitlines()
    entries = [e for e in entries if os.path.exists(os.path.join(
        tree, 'samples/rust', re.search(r'called (\w+)\.', e).group(1) +
        '.rs'))]

    def kconfig(t):
        for e in entries:
            if e.splitlines()[0] + '\n' not in t:
                at = t.index('config SAMPLE_RUST_HOSTPROGS\n')
                t = t[:at] + e + '\n' + t[at:]
        return t

    def makefile(t):
        # After the last obj- line of the block that rust_print-y follows.
        for line in objs:
            if line.startswith('obj-') and line not in t.splitlines():
                at = t.index('\n\nrust_print-y')
                t = t[:at] + '\n' + line + t[at:]
        return t
    if entries:
        edit(tree, 'samples/rust/Kconfig', kconfig)
        edit(tree, 'samples/rust/Makefile', makefile)


def toctree_insert(text, name):
    """Put name in the list of the first toctree of text: in its place if
    the list is sorted, else last."""
    lines = text.splitlines(keepends=True)
    entry = '   ' + name + '\n'
    if entry in lines:
        return text
    start = next(i for i, line in enumerate(lines)
                 if line.startswith('.. toctree::'))
    first = start + 1
    while first < len(lines) and (lines[first].startswith('   :') or
                                  not lines[first].strip()):
        first += 1
    end = first
    while end < len(lines) and lines[end].startswith('   '):
        end += 1
    names = [line.strip() for line in lines[first:end]]
    i = end
    if names == sorted(names):
        i = first + sum(n < name for n in names)
    lines.insert(i, entry)
    return ''.join(lines)


def hook_maintainers(tree, later):
    with open(os.path.join(TOP, 'MAINTAINERS.snippet'),
              encoding='utf-8') as f:
        entry = drop_later(f.read(), later).strip('\n') + '\n'
    title = entry.splitlines()[0]

    def maintainers(t):
        head, sep, body = t.partition('\nMaintainers List\n')
        blocks = body.split('\n\n')
        blocks = [b for b in blocks if b.splitlines()[:1] != [title]]
        titles = [b.splitlines()[0].upper() if b.strip() else ''
                  for b in blocks]
        key = title.upper()
        # MAINTAINERS is sorted but for a few strays: of the places between
        # a smaller and a larger title, take the one whose neighbours share
        # the longest prefix with ours.
        best, where = -1, None
        for i in range(1, len(blocks)):
            if titles[i - 1] < key < titles[i]:
                score = max(len(os.path.commonprefix([key, titles[i - 1]])),
                            len(os.path.commonprefix([key, titles[i]])))
                if score > best:
                    best, where = score, i
        blocks.insert(where, entry.rstrip('\n'))
        return head + sep + '\n\n'.join(blocks)
    edit(tree, 'MAINTAINERS', maintainers)


def set_series_dir(path):
    global PATCHES, SERIES
    PATCHES = os.path.join(path, 'patches')
    SERIES = os.path.join(path, 'series')
    rules = os.path.join(path, 'backport')
    if os.path.samefile(path, TOP) or not os.path.exists(rules):
        return
    with open(rules, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith('#'):
                continue
            old, sep, new = line.rstrip('\n').partition('\t')
            if not sep or not old or '\t' in new:
                sys.exit(f'{rules}:{n}: not "OLD<tab>NEW"')
            BACKPORT.append([old, new, 0])


def backport(text):
    for rule in BACKPORT:
        rule[2] += text.count(rule[0])
        text = text.replace(rule[0], rule[1])
    return text


def tree_version(tree):
    """(VERSION, PATCHLEVEL) of the kernel tree, from its Makefile."""
    with open(os.path.join(tree, 'Makefile'), encoding='utf-8') as f:
        head = f.read(2000)
    return tuple(int(re.search(rf'^{k} = (\d+)$', head, re.M).group(1))
                 for k in ('VERSION', 'PATCHLEVEL'))


def generate(tree, gen, out, series):
    commits = load_commits()
    if not os.path.isdir(gen):
        git(tree, 'worktree', 'prune')
        git(tree, 'worktree', 'add', '-q', '--detach', gen, 'kdt-base')
    git(gen, 'checkout', '-q', '-f', '-B', BRANCH, 'kdt-base')
    git(gen, 'clean', '-q', '-fdx')
    version = tree_version(tree)
    # What the commits for newer trees introduce stays out, as if later.
    newer = [t for c in commits if c.since > version for t in c.introduces]
    commits = [c for c in commits if c.since <= version]
    for n, c in enumerate(commits):
        later = newer + [t for lc in commits[n + 1:] for t in lc.introduces]
        done = {f for pc in commits[:n + 1] for f in pc.files}
        for f in sorted(done):
            with open(os.path.join(TOP, f), encoding='utf-8') as src:
                text = backport(drop_later(src.read(), later))
            dst = os.path.join(gen, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, 'w', encoding='utf-8') as d:
                d.write(text)
            shutil.copymode(os.path.join(TOP, f), dst)
        hook_samples(gen)
        hook_selftests(gen)
        hook_misc(gen)
        hook_rust(gen, later)
        hook_maintainers(gen, later)
        for e in c.edits:
            git(gen, 'apply', '--whitespace=error-all', os.path.join(EDITS, e))
        if done:
            git(gen, 'add', '-A', '-f', '--', *sorted(done))
        git(gen, 'add', '-u')
        with tempfile.NamedTemporaryFile('w', encoding='utf-8') as msg:
            msg.write(c.message)
            msg.flush()
            git(gen, 'commit', '-q', '--no-verify', '--cleanup=strip',
                '--signoff', '-F', msg.name)
    stale = [old for old, _, hits in BACKPORT if not hits]
    if stale:
        sys.exit('backport rules that match nothing: ' + ', '.join(stale))
    with open(COVER, encoding='utf-8') as f:
        git(gen, 'config', f'branch.{BRANCH}.description', f.read())
    os.makedirs(out, exist_ok=True)
    git(gen, 'format-patch', '-q', '--abbrev=12', '--cover-letter',
        '--cover-from-description=subject', '--base=kdt-base',
        '--no-signature', '-o', out, 'kdt-base..' + BRANCH)
    names = sorted(n for n in os.listdir(out) if n.endswith('.patch'))
    with open(series, 'w', encoding='utf-8') as f:
        f.write(''.join(n + '\n' for n in names
                        if not n.startswith('0000-')))


def cover_text(path):
    """The cover letter's subject, text and shortlog, less the shortlog's
    "Author (N):" line. Its diffstat and base-commit: line follow from the
    trees, which same_commits() compares."""
    with open(path, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    author = msg['From'].addresses[0].display_name if msg['From'] else ''
    lines = [' '.join(str(msg['Subject']).split())]
    for line in msg.get_content().splitlines():
        if re.match(r' \S.* \| +\d+', line):
            break
        if not re.fullmatch(re.escape(author) + r' \(\d+\):', line):
            lines.append(line)
    return lines


def base_of(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        m = re.search(r'^base-commit: (\w+)$', f.read(), re.M)
    return m.group(1) if m else 'an unknown base'


def message(gen, commit):
    """A commit's message less its last Signed-off-by: (who made it)."""
    lines = git(gen, 'log', '-1', '--format=%B', commit,
                capture=True).rstrip('\n').split('\n')
    if lines[-1].startswith('Signed-off-by:'):
        lines.pop()
    return '\n'.join(lines).rstrip('\n') + '\n'


def same_commits(gen):
    """Apply the committed series with git am on kdt-base, in the gen
    worktree, and compare each commit with the regeneration's (branch
    BRANCH): its tree, and its message less its last Signed-off-by."""
    with open(SERIES, encoding='utf-8') as f:
        names = [n for n in f.read().split() if n]
    subprocess.run(['git', '-C', gen, 'am', '--abort'],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    git(gen, 'checkout', '-q', '-f', '--detach', 'kdt-base')
    r = subprocess.run(['git', '-C', gen, 'am', '-q', '--whitespace=nowarn'] +
                       [os.path.join(PATCHES, n) for n in names],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, check=False)
    if r.returncode:
        done = int(git(gen, 'rev-list', '--count', 'kdt-base..HEAD',
                       capture=True))
        subprocess.run(['git', '-C', gen, 'am', '--abort'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        print(f'patches/{names[min(done, len(names) - 1)]} does not apply '
              'with git am on kdt-base:')
        print(''.join(line for line in r.stdout.splitlines(keepends=True)
                      if line.startswith(('error:', 'fatal:'))), end='')
        return False
    mine = git(gen, 'rev-list', '--reverse', 'kdt-base..HEAD',
               capture=True).split()
    regen = git(gen, 'rev-list', '--reverse', f'kdt-base..{BRANCH}',
                capture=True).split()
    if len(mine) != len(regen):
        print(f'series has {len(mine)} patches, a regeneration {len(regen)}')
        return False
    ok = True
    before = set()
    for name, a, b in zip(names, mine, regen):
        # What differs at this commit and did not at the one before: the
        # files this commit changes otherwise than the regeneration.
        now = set(git(gen, 'diff-tree', '-r', '--no-renames', '--no-abbrev',
                      b, a, capture=True).splitlines())
        files = sorted({d.split('\t', 1)[1] for d in now - before})
        before = now
        if files:
            ok = False
            print(f'patches/{name} differs from a regeneration in: '
                  f'{", ".join(files)}')
            diff = git(gen, 'diff', a, b, '--', *files,
                       capture=True).splitlines()
            print('\n'.join(['  (patches/ -> a regeneration)'] +
                            ['  ' + d for d in diff[:20]]))
        ma, mb = message(gen, a), message(gen, b)
        if ma != mb:
            ok = False
            print(f'patches/{name}: its message differs from a regeneration:')
            print(''.join('  ' + d for d in list(difflib.unified_diff(
                ma.splitlines(keepends=True), mb.splitlines(keepends=True),
                'patches/', 'a regeneration'))[:20]), end='')
    return ok


def check(gen, out, series):
    """patches/ and series match the regeneration in out, and the commits
    made in gen. Prints what differs; '# ' lines are notes of a pass."""
    if not os.path.isdir(PATCHES) or not os.path.exists(SERIES):
        print('patches/ or series is missing')
        return False
    ok = True
    ca, cb = sorted(os.listdir(PATCHES)), sorted(os.listdir(out))
    if ca != cb:
        print(f'patches/ differ in names from a regeneration: '
              f'{sorted(set(ca) ^ set(cb))}')
        ok = False
    if not filecmp.cmp(series, SERIES, shallow=False):
        print('series differs from a regeneration')
        ok = False
    _, diff, err = filecmp.cmpfiles(PATCHES, out, cb, shallow=False)
    if ok and not diff and not err:
        return True
    cover = '0000-cover-letter.patch'
    old = os.path.join(PATCHES, cover)
    new = os.path.join(out, cover)
    if not os.path.exists(old):
        print(f'patches/{cover} is missing')
        ok = False
    elif cover_text(old) != cover_text(new):
        print(f'patches/{cover}: its text differs from a regeneration:')
        print(''.join('  ' + d + '\n' for d in list(difflib.unified_diff(
            cover_text(old), cover_text(new), 'patches/', 'a regeneration',
            lineterm=''))[:20]), end='')
        ok = False
    ok = same_commits(gen) and ok
    moved = ''
    if os.path.exists(old):
        was, base = base_of(old), base_of(new)
        if was != base:
            subject = git(gen, 'log', '-1', '--format=%s', 'kdt-base',
                          capture=True).strip()
            moved = (f'patches/ were made on base {was[:12]}, this is '
                     f'{base[:12]}, {subject}')
    if not ok:
        if moved:
            print(f'({moved})')
        return False
    # The same trees and messages in other bytes: only the base (index
    # and base-commit lines) or the author moved.
    note = (f'only the base moved: {moved}' if moved else
            'patches/ differ from a regeneration only in the lines that '
            'name commits or their author')
    print(f'# {note}: run make series')
    return True


def commit_of(text, patch):
    """The commit of harness/commits/ that a patch (or its mail) comes
    from: the one whose first message line is the patch's subject."""
    msg = email.message_from_string(text, policy=email.policy.default)
    subject = re.sub(r'^\[PATCH[^]]*\]\s*', '', ' '.join(str(msg['Subject']).split()))
    for c in load_commits():
        if c.message.strip().splitlines()[0] == subject:
            return c
    sys.exit(f'{patch}: no file of harness/commits/ has the subject "{subject}"')


def checkpatch_ignore(patch):
    """The types its harness/commits/ file names (Checkpatch-ignore:, the
    reason in its message), and checkpatch's "does MAINTAINERS need
    updating?" (FILE_PATH_CHANGES, on any patch that adds a file and
    leaves MAINTAINERS alone) when the F: lines of MAINTAINERS.snippet
    already cover every file the patch adds or deletes."""
    with open(patch, encoding='utf-8', errors='replace') as f:
        text = f.read()
    ignore = [t for t in commit_of(text, patch).ignore.split(',') if t]
    files = re.findall(r'^diff --git a/\S+ b/(\S+)\n(?:new|deleted) file',
                       text, re.M)
    if re.search(r'^diff --git a/MAINTAINERS b/MAINTAINERS$', text, re.M):
        files = []
    with open(os.path.join(TOP, 'MAINTAINERS.snippet'),
              encoding='utf-8') as f:
        pats = re.findall(r'^F:\s*(\S+)', f.read(), re.M)

    def covered(path):
        return any(path.startswith(p) if p.endswith('/') else
                   fnmatch.fnmatchcase(path, p) for p in pats)
    if files and all(covered(f) for f in files):
        ignore.append('FILE_PATH_CHANGES')
    return ','.join(ignore)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'checkpatch-ignore':
        print(checkpatch_ignore(sys.argv[2]))
        return
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in ('write', 'check'):
        sys.exit(__doc__)
    mode = sys.argv[1]
    tree, gen = (os.path.abspath(p) for p in sys.argv[2:4])
    if len(sys.argv) == 5:
        set_series_dir(os.path.abspath(sys.argv[4]))
    # Read before use_identity() keeps git from the user's config.
    use_identity(*(runner_identity() if mode == 'write'
                   else patches_identity()))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'patches')
        series = os.path.join(tmp, 'series')
        generate(tree, gen, out, series)
        if mode == 'check':
            ok = check(gen, out, series)
            if not ok:
                print('run "make series" and commit patches/ and series')
            sys.exit(0 if ok else 1)
        shutil.copy(series, SERIES)
        shutil.rmtree(PATCHES, ignore_errors=True)
        shutil.copytree(out, PATCHES)
        print(f'wrote {len(os.listdir(PATCHES))} files to {PATCHES}')


if __name__ == '__main__':
    main()
