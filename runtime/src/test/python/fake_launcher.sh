#!/bin/bash
# A fake bin/jrun for JrunClientTest and bench/client.sh, named by JRUN_CLIENT_LAUNCHER (test-only):
# appends one line per start to $FAKE_LAUNCHER_LOG (JRUN_SERVER as it came, its pid, its scheduling policy (0 other,
# 5 idle) and session id as it starts, where its stdin points, the arguments), then
#   server mode (`server --dir D [--ready-fd FD] [--idle-timeout N]`): exits 1 if FAKE_SERVER_FAIL is set, else
#     becomes fake_jrun_server.py on D/jrun.sock with $FAKE_SERVER_ARGS (split on blanks), which says on FD that it
#     listens, as the real server does (unless FAKE_SERVER_ARGS names a --ready-fd of its own);
#   otherwise (one-shot): if FAKE_ONESHOT_FIFO names a FIFO, reads a line from it (a command that lasts until the test
#     ends it), then exits ${FAKE_ONESHOT_EXIT:-0}.
here=${BASH_SOURCE[0]%/*}
stdin=$(readlink /proc/$$/fd/0)
read -r -a stat < /proc/$$/stat   # fields 6 and 41 (sid, policy); the name before them has no blank
printf '%s\n' "JRUN_SERVER=${JRUN_SERVER-unset} pid=$$ sched=${stat[40]} sid=${stat[5]} stdin=$stdin args=$*" >> "${FAKE_LAUNCHER_LOG:-/dev/null}"
if [[ ${1-} == server && ${2-} == --dir ]]; then
  [[ -z ${FAKE_SERVER_FAIL:-} ]] || exit 1
  ready=()
  [[ ${4-} != --ready-fd ]] || ready=(--ready-fd "$5")
  # shellcheck disable=SC2086
  exec /usr/bin/python3 "$here/fake_jrun_server.py" --socket "$3/jrun.sock" "${ready[@]}" $FAKE_SERVER_ARGS
fi
[[ -z ${FAKE_ONESHOT_FIFO:-} ]] || read -r _ < "$FAKE_ONESHOT_FIFO"
exit "${FAKE_ONESHOT_EXIT:-0}"
