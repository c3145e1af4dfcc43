#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# spdx.sh SOURCE_DIR: every source file names its license (BSD-2-Clause,
# LICENSE) on an SPDX line of its own; seeds, vectors and prose need none.
cd "$1" || exit 1
missing=$(git ls-files -- ':!tests/fuzz/seeds/*' ':!tests/vectors/*' ':!*.md' \
	':!debian/changelog' ':!debian/control' ':!debian/copyright' \
	':!debian/source/format' ':!debian/*.dirs' ':!debian/*.lintian-overrides' \
	':!.gitignore' ':!LICENSE' |
	while read -r f; do
		grep -q 'SPDX-License-Identifier: BSD-2-Clause' "$f" || echo "$f"
	done)
[ -z "$missing" ] && { echo "spdx: every source file names its license"; exit 0; }
echo "spdx: no SPDX-License-Identifier line in:" $missing
exit 1
