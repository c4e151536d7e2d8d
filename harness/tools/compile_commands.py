#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""compile_commands.py ALL SRC TOP FILE...: from ALL, the kernel's
compile_commands.json of a build of the applied tree SRC, print the entries
of FILEs (paths in the tree), each naming the file in this repository, TOP,
where an editor opens it, with the build's own command."""

import json
import os
import sys

entries, src, top, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
want = {os.path.join(src, f): os.path.join(top, f) for f in files}
out = []
for e in json.load(open(entries)):
    path = os.path.normpath(os.path.join(e['directory'], e['file']))
    if path in want:
        e['command'] = e['command'].replace(path, want[path])
        e['file'] = want[path]
        out.append(e)
json.dump(sorted(out, key=lambda e: e['file']), sys.stdout, indent=1)
print()
