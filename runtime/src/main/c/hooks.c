/*
 * jrun-init: the hooks that run in the container's namespaces (docs/hooks.md).
 *
 * createContainer runs before pivot_root, so its path resolves in this mount
 * namespace while it is still a copy of the runtime's; startContainer runs
 * after AWAIT_START, just before the user's process, and resolves in the
 * container. Java plans both and puts the state JSON in the step; only the pid
 * is ours to fill in, since the init's pid as the runtime sees it is known
 * here first (NOTE_PID).
 */
#include "jrun-init.h"

#include <poll.h>
#include <time.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* How much of a hook's output goes to Java as `log` lines, and how much of
 * that an error quotes. */
#define KEPT_BYTES 4096
#define QUOTED_BYTES 1000
#define QUOTED_LINES 5
/* How often a wait without events looks at the hook again (no pidfd needed). */
#define TICK_MS 50

static long long noted_pid; /* 0 until NOTE_PID */

/* /proc/self names the caller as the /proc mount's pid namespace sees it:
 * before pivot_root that is the runtime's /proc, so this is the pid the
 * runtime's `state` reports, not 1. */
void op_note_pid(const struct step *st)
{
	char buf[32];
	ssize_t n;

	(void)st;
	if ((n = readlink("/proc/self", buf, sizeof buf - 1)) < 0)
		fail(errno, "readlink /proc/self (the runtime's /proc, for the pid the hooks read)");
	buf[n] = '\0';
	noted_pid = strtoll(buf, NULL, 10);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the forked child: the hook gets the state on 0, its output pipe on 1
 * and 2 (never the container's stdio), default signals, and no other fd. */
static void become_hook(int in, int out, const char *path, char **argv, char **envp)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Preserved descriptors are not yet close-on-exec before CLOSE_FDS. */
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	execve(path, argv, envp);
	dprintf(2, "jrun-init: cannot execute %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* The quoted output: up to QUOTED_LINES lines, joined with " | ". */
static void quote(char *out, size_t size, const char *text, size_t len)
{
	size_t o = 0, i;
	int lines = 0;

	if (len > QUOTED_BYTES) len = QUOTED_BYTES;
	for (i = 0; i < len && o + 4 < size && lines < QUOTED_LINES; i++) {
		if (text[i] == '\n') {
			lines++;
			if (i + 1 < len && lines < QUOTED_LINES) {
				memcpy(out + o, " | ", 3);
				o += 3;
			}
		} else {
			out[o++] = text[i];
		}
	}
	out[o] = '\0';
}

/* Each line of what the hook printed, to Java as `log LABEL: LINE` (over the
 * sync socket during create, over the start connection during start), for
 * the runtime's log: the init's own stdio is the container's. */
static void forward(const char *label, char *text, size_t len)
{
	int fd = sync_fd >= 0 ? sync_fd : start_conn_fd();
	size_t start = 0, i;

	if (fd < 0) return;
	for (i = 0; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			char saved = text[i];
			if (i > start || i < len) {
				text[i] = '\0';
				send_line(fd, "log %s: %s", label, text + start);
				text[i] = saved;
			}
			start = i + 1;
		}
	}
}

/* label, path, timeout (s; 0: none), state before and after the pid, argc,
 * args, env. Returns when the hook exited 0; anything else fails the step. */
void op_run_hook(const struct step *st)
{
	const char *label = S(0), *path = S(1);
	unsigned long long timeout = N(2);
	size_t argc = (size_t)N(5), nenv = st->argc - 6 - argc, i, sent = 0, got = 0;
	char **argv, **envp, *state, output[KEPT_BYTES + 1], quoted[QUOTED_BYTES + 200];
	int in[2], out[2], status = 0, exited = 0, timed_out = 0;
	long long deadline = timeout ? now_ms() + (long long)timeout * 1000 : 0;
	size_t state_len;
	pid_t pid;

	if (!(argv = calloc(argc + 1, sizeof *argv)) || !(envp = calloc(nenv + 1, sizeof *envp)))
		fail(ENOMEM, "%s: argument vectors", label);
	for (i = 0; i < argc; i++)
		argv[i] = S(6 + i);
	for (i = 0; i < nenv; i++)
		envp[i] = S(6 + argc + i);
	state_len = LEN(3) + 24 + LEN(4);
	if (!(state = malloc(state_len + 1))) fail(ENOMEM, "%s: state", label);
	state_len = (size_t)snprintf(state, state_len + 1, "%s%lld%s", S(3), noted_pid, S(4));

	/* A socket, not a pipe, for stdin: send(MSG_NOSIGNAL) turns a hook that
	 * closed its stdin into EPIPE instead of SIGPIPE for the init. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0) fail(errno, "%s: socketpair", label);
	if (pipe2(out, O_CLOEXEC) < 0) fail(errno, "%s: pipe", label);
	if ((pid = fork()) < 0) fail(errno, "%s: fork", label);
	if (pid == 0) become_hook(in[1], out[1], path, argv, envp);
	close(in[1]);
	close(out[1]);
	fcntl(in[0], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	if (state_len == 0) {
		close(in[0]);
		in[0] = -1;
	}

	while (!exited) {
		struct pollfd fds[2] = { { .fd = in[0], .events = POLLOUT }, { .fd = out[0], .events = POLLIN } };
		int wait_ms = TICK_MS;
		pid_t w;

		if (deadline) {
			long long left = deadline - now_ms();
			if (left <= 0) {
				timed_out = 1;
				break;
			}
			if (left < wait_ms) wait_ms = (int)left;
		}
		if (poll(fds, 2, wait_ms) < 0 && errno != EINTR) fail(errno, "%s: poll", label);
		if (in[0] >= 0 && fds[0].revents) {
			ssize_t n = send(in[0], state + sent, state_len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n > 0) sent += (size_t)n;
			/* All sent (the hook reads end of file next), or the hook will never read it: done either way. */
			if (sent == state_len || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(in[0]);
				in[0] = -1;
			}
		}
		if (out[0] >= 0 && fds[1].revents) {
			char buf[4096];
			ssize_t n = read(out[0], buf, sizeof buf);
			if (n > 0 && got < KEPT_BYTES) {
				size_t take = (size_t)n < KEPT_BYTES - got ? (size_t)n : KEPT_BYTES - got;
				memcpy(output + got, buf, take);
				got += take;
			}
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(out[0]);
				out[0] = -1;
			}
		}
		if ((w = waitpid(pid, &status, WNOHANG)) == pid) exited = 1;
		else if (w < 0 && errno != EINTR) fail(errno, "%s: waitpid", label);
	}
	if (timed_out) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	/* What the hook wrote before it ended (a child it left may hold the pipe: no waiting for end of file). */
	while (out[0] >= 0 && got < KEPT_BYTES) {
		ssize_t n = read(out[0], output + got, KEPT_BYTES - got);
		if (n <= 0) break;
		got += (size_t)n;
	}
	if (in[0] >= 0) close(in[0]);
	if (out[0] >= 0) close(out[0]);
	free(state);
	free(argv);
	free(envp);
	output[got] = '\0';
	quote(quoted, sizeof quoted, output, got);
	forward(label, output, got);
	if (timed_out)
		fail(ETIMEDOUT, "%s did not finish within its timeout of %llu s and was killed%s%s",
		     label, timeout, *quoted ? "; its output began: " : "", quoted);
	if (WIFSIGNALED(status))
		fail(0, "%s was killed by signal %d%s%s", label, WTERMSIG(status),
		     *quoted ? "; its output began: " : "", quoted);
	if (WEXITSTATUS(status) != 0)
		fail(0, "%s failed with exit status %d%s%s", label, WEXITSTATUS(status),
		     *quoted ? "; its output began: " : "", quoted);
}
