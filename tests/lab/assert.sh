# SPDX-License-Identifier: BSD-2-Clause
# Assertions over homereach's JSON output, with jq.
FAILS=0

# check WHAT JQ_FILTER EXPECTED FILE
check() {
	local got
	got=$(jq -r "$2" "$4" 2>&1)
	if [ "$got" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: got '$got', want '$3'"
		FAILS=$((FAILS + 1))
	fi
}

check_eq() {	# check_eq WHAT GOT WANT
	if [ "$2" = "$3" ]; then echo "ok   $1"; else
		echo "FAIL $1: got '$2', want '$3'"; FAILS=$((FAILS + 1)); fi
}

finish() {
	[ "$FAILS" = 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
}
