/*
 * jrun-client: the small static front end of the warm jrun server.
 *
 * The contract is docs/server.md; read it first. In short: connect to
 * the server's socket (docs/server.md, "Where the server lives"; starting
 * the server when nothing answers), send one
 * REQUEST (argv, cwd, JRUN_* env and FORWARDED_VARIABLES) with fds 0, 1 and 2, then do what the
 * server's frames say: spawn the helper as our own child (so that it and the
 * container's init descend from the caller), wait for it while relaying
 * signals, kill it, and finally exit with the status the server sends.
 *
 * The client holds no policy: apart from finding the verb `server` (which
 * must never go to a server), it does not
 * look at the command. Whenever no server can be used it runs the command
 * one-shot: exec bin/jrun with JRUN_SERVER=off and the same arguments.
 *
 * Rules kept throughout:
 *  - nothing is ever written to stdout; our own messages go to stderr, and
 *    why the server was not used goes to the server's log.
 *  - every fd the client opens is close-on-exec; the helper gets fds 0-2
 *    only, as from the one-shot JVM's ProcessBuilder.
 *  - the only processes signalled are the helper we spawned (by its pid,
 *    which is ours until we reap it).
 *
 * Build (runtime/pom.xml): gcc -static -O2 -Wall -Wextra -Werror
 *   -Wmissing-prototypes -DJRUN_BUILD_ID="\"<Maven's jrun.build.id>\""
 *   -o jrun-client jrun-client.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef JRUN_BUILD_ID
#error "build with -DJRUN_BUILD_ID=\"\\\"...\\\"\" (runtime/pom.xml passes Maven's jrun.build.id)"
#endif

#define PROTOCOL_VERSION 1
#define MAX_FRAME        (16U << 20)   /* docs/server.md: longer is a protocol error */
#define SOCK_NAME        "jrun.sock"
#define LOCK_NAME        "jrun-server.lock"
#define LOG_NAME         "jrun-server.log"
#define START_DEADLINE_MS 10000        /* connecting to a server we just started */
#define DEFAULT_TIMEOUT_MS 300000      /* JRUN_CLIENT_TIMEOUT's default, 300 s */
/* The starter waits this long at most for the one-shot command it runs behind
 * to end before it starts the server anyway (a long `run`). */
#define BEHIND_WAIT_MS   1000
/* The starter's warm-up request: `--root <dir>/WARM_UP_ROOT state WARM_UP_ID`,
 * a root nobody makes. */
#define WARM_UP_ROOT     "warm-up-root-never-made"
#define WARM_UP_ID       "warm-up"
/* The server it starts says "listening" with one byte on this fd (docs/server.md,
 * "Starting and ending the server"); the option's name is ServerCommand's
 * READY_FD_OPTION (ClientAgreementTest). */
#define READY_FD         3
#define READY_FD_OPTION  "--ready-fd"
#define STR_(x)          #x
#define STR(x)           STR_(x)

/* Frame types (docs/server.md, "Frames"). */
enum {
	F_REQUEST = 'Q', F_SPAWNED = 'P', F_HELPER_EXITED = 'X',
	F_SPAWN = 'S', F_WAIT = 'W', F_KILL = 'K', F_EXIT = 'E', F_STALE = 'O', F_RELAY = 'R',
};

extern char **environ;

/* The caller's variables the server reads besides JRUN_*: systemd's socket
 * activation, which create and run read as runc does (LISTEN_PID names the
 * caller's pid), and XDG_RUNTIME_DIR, where the state of a user other than
 * root lives (its default --root). */
#define FORWARDED_VARIABLES "LISTEN_FDS,LISTEN_PID,XDG_RUNTIME_DIR"

/* Whether an environment entry goes into the REQUEST. */
static int forwarded(const char *entry)
{
	const char *eq = strchr(entry, '='), *name = FORWARDED_VARIABLES, *end;
	size_t len;

	if (!eq) return 0;
	if (strncmp(entry, "JRUN_", 5) == 0) return 1;
	len = (size_t)(eq - entry);
	for (; *name; name = *end ? end + 1 : end) {
		end = strchr(name, ',');
		if (!end) end = name + strlen(name);
		if ((size_t)(end - name) == len && strncmp(entry, name, len) == 0) return 1;
	}
	return 0;
}

static int g_argc;
static char **g_argv;
static char server_dir[PATH_MAX];  /* absolute: socket, lock, log (docs/server.md) */
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static char launcher[PATH_MAX];    /* bin/jrun */
static long long client_timeout_ms = DEFAULT_TIMEOUT_MS;

static pid_t helper;               /* 0: none spawned */
static int helper_pidfd = -1;
static int helper_reaped;
static int helper_status;          /* valid once reaped */

/* ---- small things ------------------------------------------------------ */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void kill_helper(void);

/* Our own failure: the message, the helper (if any) killed, exit 1. */
static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("jrun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	kill_helper();
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) die("out of memory");
	return p;
}

/* Appends one line to the server's log, written whole by one write so
 * that lines of concurrent clients and the server never interleave. The log
 * is best effort: if its directory cannot hold it, the line is lost. */
static void __attribute__((format(printf, 1, 2))) log_line(const char *fmt, ...)
{
	char line[PATH_MAX + 1024], path[PATH_MAX + 32];
	struct timespec ts;
	struct tm tm;
	size_t len;
	va_list ap;
	int fd;

	if (!server_dir[0]) return;   /* not found yet, or none trusted */
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	len = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
	len += (size_t)snprintf(line + len, sizeof line - len, ".%03ldZ jrun-client[%d]: ",
				ts.tv_nsec / 1000000, (int)getpid());
	va_start(ap, fmt);
	vsnprintf(line + len, sizeof line - len - 1, fmt, ap);
	va_end(ap);
	len = strlen(line);
	line[len++] = '\n';
	snprintf(path, sizeof path, "%s/%s", server_dir, LOG_NAME);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) return;
	if (write(fd, line, len) < 0) { /* nothing more we can do */ }
	close(fd);
}

/* ---- one-shot ---------------------------------------------------------- */

/* Runs the command without a server: bin/jrun with JRUN_SERVER=off, the
 * same arguments, our environment, stdio and pid. why (if any) is logged. */
static void __attribute__((noreturn)) one_shot(const char *why)
{
	char **argv = xmalloc(((size_t)g_argc + 1) * sizeof *argv);
	int i;

	if (why) log_line("%s; running one-shot", why);
	argv[0] = launcher;
	for (i = 1; i < g_argc; i++)
		argv[i] = g_argv[i];
	argv[g_argc] = NULL;
	setenv("JRUN_SERVER", "off", 1);
	execv(launcher, argv);
	die("cannot run %s: %s", launcher, strerror(errno));
}

/* ---- the helper -------------------------------------------------------- */

/* Reaps the helper if it has exited (WNOHANG) or waits for it (0);
 * 1 when reaped. Its status as the protocol says it: code, or 128+signal. */
static int reap(int flags)
{
	int st;
	pid_t r;

	if (!helper || helper_reaped) return helper_reaped;
	while ((r = waitpid(helper, &st, flags)) < 0 && errno == EINTR)
		;
	if (r == 0) return 0;
	if (r < 0) /* cannot happen: SIGCHLD is SIG_DFL (main) and the pid ours */
		st = 0xff00;
	helper_reaped = 1;
	helper_status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	if (helper_pidfd >= 0) close(helper_pidfd);
	helper_pidfd = -1;
	return 1;
}

static void kill_helper(void)
{
	if (!helper || helper_reaped) return;
	kill(helper, SIGKILL);   /* still ours: not reaped yet */
	reap(0);
}

/* The server is gone: docs/server.md, "Faults". */
static void __attribute__((noreturn)) server_ended(void)
{
	fprintf(stderr, "jrun: the jrun server ended during the request (see %s/%s)\n", server_dir, LOG_NAME);
	kill_helper();
	exit(1);
}

/* ... or silent for JRUN_CLIENT_TIMEOUT: treated the same way. */
static void __attribute__((noreturn)) server_silent(void)
{
	fprintf(stderr, "jrun: the jrun server sent nothing for %lld.%03lld s during the request"
		" (JRUN_CLIENT_TIMEOUT; see %s/%s)\n",
		client_timeout_ms / 1000, client_timeout_ms % 1000, server_dir, LOG_NAME);
	kill_helper();
	exit(1);
}

static void __attribute__((noreturn, format(printf, 1, 2))) protocol_error(const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	fprintf(stderr, "jrun: protocol error from the jrun server: %s (see %s/%s)\n", what, server_dir, LOG_NAME);
	kill_helper();
	exit(1);
}

/* posix_spawn(path, {path}, env) with our fds 0-2 (the caller's), nothing
 * else open, no signal blocked. 0 or an errno. */
static int spawn_helper(const char *path, char **env)
{
	char *argv[] = { (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none;
	int err;

	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setsigmask(&at, &none);
	err = posix_spawn(&helper, path, &fa, &at, argv, env);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		helper = 0;
		return err;
	}
	/* Readable once it exits. If pidfds are missing (Linux < 5.3), WAIT
	 * watches SIGCHLD instead. */
	helper_pidfd = (int)syscall(SYS_pidfd_open, helper, 0);
	return 0;
}

/* WAIT: the helper's status, or -1 if it still runs after timeout_ms (-1:
 * no limit). The relayed signals are blocked and read from a signalfd, so
 * each one that arrives is passed on to the helper while it is unreaped (its
 * pid cannot be reused before that). The socket is watched too: a server
 * that ends meanwhile is a fault, whatever the helper does. */
static int wait_helper(int sock, int timeout_ms, const sigset_t *relay)
{
	long long deadline = now_ms() + timeout_ms;
	struct signalfd_siginfo si;
	sigset_t mask, old;
	int sfd, status = -1;

	if (reap(WNOHANG)) return helper_status;
	if (timeout_ms == 0) return -1;
	mask = *relay;
	if (helper_pidfd < 0) sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	if ((sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		die("signalfd: %s", strerror(errno));
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = helper_pidfd, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = sock, .events = POLLRDHUP },  /* not POLLIN: the server says nothing now */
		};
		int left = -1;

		if (reap(WNOHANG)) {
			status = helper_status;
			break;
		}
		if (timeout_ms > 0) {
			long long rest = deadline - now_ms();
			if (rest <= 0) break;
			left = (int)rest;
		}
		if (poll(p, 3, left) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (p[2].revents & (POLLRDHUP | POLLHUP | POLLERR))
			server_ended();
		/* The helper is not reaped yet (reap() comes next): relaying is safe. */
		while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
			if (sigismember(relay, (int)si.ssi_signo) == 1)
				kill(helper, (int)si.ssi_signo);
	}
	/* Signals that came with the exit were meant for the helper, which has
	 * been reaped: drop them rather than risk a reused pid. */
	while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
		;
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}

/* ---- frames ------------------------------------------------------------ */

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2;
		if (!(b->p = realloc(b->p, b->cap))) die("out of memory");
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void put_le(struct buf *b, uint64_t v, int bytes)
{
	unsigned char le[8];
	int i;

	for (i = 0; i < bytes; i++, v >>= 8)
		le[i] = (unsigned char)v;
	put(b, le, (size_t)bytes);
}

static void put_str(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	put_le(b, n, 4);
	put(b, s, n);
}

/* Starts a frame of type t; end_frame fills in its length. */
static void begin_frame(struct buf *b, int t)
{
	b->len = 0;
	put_le(b, 0, 4);
	put_le(b, (uint64_t)t, 1);
}

static void end_frame(struct buf *b)
{
	uint32_t n = (uint32_t)(b->len - 4);
	int i;

	for (i = 0; i < 4; i++, n >>= 8)
		b->p[i] = (unsigned char)n;
}

/* 0, or -1 with errno (EPIPE, ECONNRESET: the server is gone). MSG_NOSIGNAL:
 * a closed peer must be an error, not death by SIGPIPE. */
static int send_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR) continue;
		if (w < 0) return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The REQUEST, with fds 0, 1 and 2 on its first bytes. */
static int send_request(int fd, const struct buf *req)
{
	union {
		char space[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = req->p, .iov_len = req->len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.space, .msg_controllen = sizeof u.space,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int fds[3] = { 0, 1, 2 };
	ssize_t w;

	memset(&u, 0, sizeof u);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	while ((w = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (w < 0) return -1;
	return send_all(fd, req->p + w, req->len - (size_t)w);
}

static void send_frame(int fd, struct buf *b)
{
	end_frame(b);
	if (send_all(fd, b->p, b->len) < 0) server_ended();
}

/* Reads exactly n bytes by deadline: 1, 0 at end of file, -1 with errno,
 * -2 when the deadline passed. */
static int read_full(int fd, unsigned char *p, size_t n, long long deadline)
{
	while (n > 0) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		long long rest = deadline - now_ms();
		ssize_t r;

		if (rest <= 0) return -2;
		if (poll(&pf, 1, rest > INT_MAX ? INT_MAX : (int)rest) < 0) {
			if (errno == EINTR) continue;
			return -1;
		}
		if (!pf.revents) continue;
		r = read(fd, p, n);
		if (r < 0 && errno == EINTR) continue;
		if (r < 0) return -1;
		if (r == 0) return 0;
		p += r;
		n -= (size_t)r;
	}
	return 1;
}

/* A frame's payload being parsed; every getter fails the request on a
 * frame too short for what it says. */
struct cur {
	const unsigned char *p;
	size_t left;
};

static uint32_t get_u32(struct cur *c)
{
	uint32_t v;

	if (c->left < 4) protocol_error("frame too short");
	v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 | (uint32_t)c->p[3] << 24;
	c->p += 4;
	c->left -= 4;
	return v;
}

static char *get_str(struct cur *c)
{
	uint32_t n = get_u32(c);
	char *s;

	if (n > c->left) protocol_error("string longer than its frame");
	if (memchr(c->p, '\0', n)) protocol_error("NUL inside a string");
	s = xmalloc((size_t)n + 1);
	memcpy(s, c->p, n);
	s[n] = '\0';
	c->p += n;
	c->left -= n;
	return s;
}

/* A REQUEST frame (docs/server.md, "Frames"): argv without argv[0], and,
 * if forward is set, our variables the server reads (forwarded()). */
static void build_request(struct buf *b, const char *cwd, int argc, char **argv, int forward)
{
	size_t nenv = 0;
	char **e;
	int i;

	begin_frame(b, F_REQUEST);
	put_le(b, PROTOCOL_VERSION, 4);
	put_str(b, JRUN_BUILD_ID);
	put_str(b, cwd);
	put_le(b, (uint64_t)argc, 4);
	for (i = 0; i < argc; i++)
		put_str(b, argv[i]);
	for (e = environ; forward && *e; e++)
		if (forwarded(*e)) nenv++;
	put_le(b, nenv, 4);
	for (e = environ; forward && *e; e++)
		if (forwarded(*e)) put_str(b, *e);
	end_frame(b);
}

/* ---- one connection ---------------------------------------------------- */

enum outcome { TRY_AGAIN_STALE, TRY_AGAIN_UNREAD };

/* Sends the request on fd and does what the server says, up to EXIT (which
 * exits). Returns only when the request may go to a new server: the server
 * answered STALE, or it closed without reading the whole request (a server
 * ending on its idle timeout as we connected: the kernel then reports
 * ECONNRESET, never for a request the server has read). */
static enum outcome converse(int fd, const struct buf *req)
{
	struct buf out = { 0 };
	int frames = 0;

	if (send_request(fd, req) < 0) {
		if (errno == EPIPE || errno == ECONNRESET) return TRY_AGAIN_UNREAD;
		server_ended();
	}
	for (;; frames++) {
		long long deadline = now_ms() + client_timeout_ms;
		unsigned char head[4], *payload;
		struct cur c;
		uint32_t len;
		int r;

		r = read_full(fd, head, 4, deadline);
		if (r == -1 && errno == ECONNRESET && frames == 0) return TRY_AGAIN_UNREAD;
		if (r == -2) server_silent();
		if (r <= 0) server_ended();
		len = (uint32_t)head[0] | (uint32_t)head[1] << 8 | (uint32_t)head[2] << 16 | (uint32_t)head[3] << 24;
		if (len < 1 || len > MAX_FRAME) protocol_error("frame of %u bytes", len);
		payload = xmalloc(len);
		r = read_full(fd, payload, len, deadline);
		if (r == -2) server_silent();
		if (r <= 0) server_ended();
		c.p = payload + 1;
		c.left = len - 1;

		switch (payload[0]) {
		case F_SPAWN: {
			char *path = get_str(&c), **env;
			uint32_t n = get_u32(&c), i;
			int err;

			if (n > c.left / 4) protocol_error("SPAWN: %u variables in %zu bytes", n, c.left);
			env = xmalloc(((size_t)n + 1) * sizeof *env);
			for (i = 0; i < n; i++)
				env[i] = get_str(&c);
			env[n] = NULL;
			err = helper ? EBUSY : spawn_helper(path, env);   /* one helper per request */
			begin_frame(&out, F_SPAWNED);
			put_le(&out, err ? (uint64_t)-(int64_t)err : (uint64_t)helper, 8);
			send_frame(fd, &out);
			for (i = 0; i < n; i++)
				free(env[i]);
			free(env);
			free(path);
			break;
		}
		case F_WAIT: {
			int timeout = (int)get_u32(&c);
			uint32_t n = get_u32(&c), i;
			sigset_t relay;

			sigemptyset(&relay);
			for (i = 0; i < n; i++) {
				int sig = (int)get_u32(&c);
				if (sig != SIGCHLD) /* never: it would only confuse WAIT itself */
					sigaddset(&relay, sig);   /* invalid numbers: ignored */
			}
			if (!helper) protocol_error("WAIT without a helper");
			if (timeout < -1) protocol_error("WAIT with timeout %d", timeout);
			begin_frame(&out, F_HELPER_EXITED);
			put_le(&out, (uint32_t)wait_helper(fd, timeout, &relay), 4);
			send_frame(fd, &out);
			break;
		}
		case F_RELAY: {
			/* Held from now on, so that none arriving before the
			 * WAIT that relays them ends the client (`run` between
			 * start and its WAIT): the WAIT's signalfd reads what
			 * is pending. No answer. */
			uint32_t n = get_u32(&c), i;
			sigset_t held;

			sigemptyset(&held);
			for (i = 0; i < n; i++) {
				int sig = (int)get_u32(&c);
				if (sig != SIGCHLD && sig != SIGKILL && sig != SIGSTOP)
					sigaddset(&held, sig);   /* invalid numbers: ignored */
			}
			if (!helper) protocol_error("RELAY without a helper");
			sigprocmask(SIG_BLOCK, &held, NULL);
			break;
		}
		case F_KILL:
			if (!helper) protocol_error("KILL without a helper");
			kill_helper();
			begin_frame(&out, F_HELPER_EXITED);
			put_le(&out, (uint32_t)helper_status, 4);
			send_frame(fd, &out);
			break;
		case F_EXIT: {
			int status = (int)get_u32(&c);

			reap(WNOHANG);   /* never waits: a helper still running stays */
			exit(status);
		}
		case F_STALE:
			if (helper) protocol_error("STALE after SPAWN");
			free(payload);
			free(out.p);
			return TRY_AGAIN_STALE;
		default:
			protocol_error("unknown frame type 0x%02x", payload[0]);
		}
		free(payload);
	}
}

/* ---- finding and starting the server ------------------------------------ */

/* A connected socket, or -1 with errno. */
static int try_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) return fd;
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* mkdir -p, each directory made 0700. */
static int make_dirs(const char *path)
{
	char p[PATH_MAX];
	size_t i, n = strlen(path);

	memcpy(p, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0') continue;
		p[i] = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) return -1;
		p[i] = i < n ? '/' : '\0';
	}
	return 0;
}

/* 64-bit FNV-1a, continued from h over s. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The default directory's key: this client's own path and the namespaces a
 * request's meaning depends on (pids, paths, network devices, ids, cgroup
 * paths), so that a caller in other namespaces (nsenter, a sandbox) gets a
 * server of its own, started from its own namespaces. 0 on failure. */
static uint64_t installation_key(void)
{
	static const char *const ns[] = { "pid", "mnt", "net", "user", "cgroup" };
	char buf[PATH_MAX], link[64];
	uint64_t h = 0xcbf29ce484222325ULL;
	ssize_t n;
	size_t i;

	if ((n = readlink("/proc/self/exe", buf, sizeof buf - 1)) < 0) return 0;
	buf[n] = '\0';
	h = fnv1a(h, buf);
	for (i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		snprintf(link, sizeof link, "/proc/self/ns/%s", ns[i]);
		if ((n = readlink(link, buf, sizeof buf - 1)) < 0) return 0;
		buf[n] = '\0';
		h = fnv1a(fnv1a(h, "\n"), buf);
	}
	return h;
}

/* A directory of our euid (or root's, if root_ok) that nobody else may write. */
static int owned_privately(const struct stat *sb, int root_ok)
{
	return S_ISDIR(sb->st_mode) && (sb->st_uid == geteuid() || (root_ok && sb->st_uid == 0))
	       && (sb->st_mode & 022) == 0;
}

/* The server's directory (docs/server.md, "Where the server lives"):
 * JRUN_SERVER_DIR (relative to the cwd), else one per installation, user and
 * set of namespaces (installation_key): /run/jrun-server/<key> for root,
 * $XDG_RUNTIME_DIR/jrun-server/<key> or /tmp/jrun-server-<uid>/<key> for
 * others. Made 0700 if missing, and used only if it is a directory of our
 * own euid that nobody else may write (else server_dir stays empty: nowhere
 * trusted to log). NULL when usable, or why not. */
static const char *find_server_dir(const char *cwd)
{
	const char *env = getenv("JRUN_SERVER_DIR"), *xdg = getenv("XDG_RUNTIME_DIR");
	char dir[PATH_MAX], parent[PATH_MAX];
	unsigned long long key;
	struct stat sb;
	int len;

	if (env && *env) {
		len = env[0] == '/' ? snprintf(dir, sizeof dir, "%s", env) : snprintf(dir, sizeof dir, "%s/%s", cwd, env);
	} else {
		if ((key = (unsigned long long)installation_key()) == 0) return "";
		if (geteuid() == 0)
			len = snprintf(dir, sizeof dir, "/run/jrun-server/%016llx", key);
		else if (xdg && xdg[0] == '/')
			len = snprintf(dir, sizeof dir, "%s/jrun-server/%016llx", xdg, key);
		else
			len = snprintf(dir, sizeof dir, "/tmp/jrun-server-%u/%016llx", (unsigned)geteuid(), key);
	}
	if (len < 0 || (size_t)len >= sizeof dir) return "";
	if (lstat(dir, &sb) < 0 && (make_dirs(dir) < 0 || lstat(dir, &sb) < 0)) return "";
	if (!owned_privately(&sb, 0)) return "";
	if (!(env && *env)) {
		/* Also under a parent nobody else can rename it in (/tmp's is
		 * the one that matters: anyone may make /tmp/jrun-server-<uid>). */
		snprintf(parent, sizeof parent, "%s", dir);
		*strrchr(parent, '/') = '\0';
		if (lstat(parent, &sb) < 0 || !owned_privately(&sb, 1)) return "";
	}
	memcpy(server_dir, dir, (size_t)len + 1);
	if ((size_t)len + 1 + strlen(SOCK_NAME) >= sizeof sock_path)
		return "the server's socket path under this directory would exceed 107 bytes";
	memcpy(sock_path, server_dir, (size_t)len);
	memcpy(sock_path + len, "/" SOCK_NAME, strlen(SOCK_NAME) + 2);
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;   /* only to interrupt flock() */
}

/* flock(LOCK_EX) for at most ms: 0, or -1 with errno (EINTR: timed out). */
static int lock_within(int fd, long long ms)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;  /* no SA_RESTART */
	struct itimerval t = { .it_value = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 } };
	struct itimerval off = { 0 };
	int r, err;

	sigaction(SIGALRM, &sa, &old);
	setitimer(ITIMER_REAL, &t, NULL);
	r = flock(fd, LOCK_EX);
	err = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	errno = err;
	return r;
}

/* Every signal back to its default action, none blocked (daemon(7)). */
static void reset_signals(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int sig;

	for (sig = 1; sig < _NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);   /* EINVAL for glibc's own: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The starter's child, the server: every signal at its default action and none
 * blocked (whatever its first caller ignored: a shell's `jrun … &` ignores
 * SIGINT and SIGQUIT, nohup SIGHUP; an ignored SIGTERM would outlive exec and
 * make the server deaf to its stop signal), SCHED_IDLE if idle, cwd /, stdio
 * on /dev/null, ready (the readiness pipe's write end) as fd 3, its only fd
 * above 2; exec `bin/jrun server --dir D --ready-fd 3` (JRUN_SERVER_IDLE, if
 * set, becomes `--idle-timeout N`) with JRUN_SERVER=off and the rest of our
 * environment. Its pid, or -1 with why filled in (exec's errno comes back on a
 * close-on-exec pipe). */
static pid_t spawn_server(int ready, int idle, char *why, size_t whylen)
{
	int p[2], err = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(why, whylen, "cannot start a server: pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		snprintf(why, whylen, "cannot start a server: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char *timeout = getenv("JRUN_SERVER_IDLE");
		char *argv[] = { launcher, "server", "--dir", server_dir, READY_FD_OPTION, STR(READY_FD),
				 "--idle-timeout", timeout, NULL };
		struct sched_param none = { 0 };
		int null;

		if (!timeout || !*timeout) argv[6] = NULL;
		reset_signals();
		if ((!idle || sched_setscheduler(0, SCHED_IDLE, &none) == 0)
		    && chdir("/") == 0 && (null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0
		    && dup2(null, 0) == 0 && dup2(null, 1) == 1 && dup2(null, 2) == 2) {
			/* Then the one fd that outlives exec: p[1] moves out of the
			 * way first if it is READY_FD itself. */
			if (p[1] == READY_FD) p[1] = fcntl(p[1], F_DUPFD_CLOEXEC, READY_FD + 1);
			if (p[1] >= 0 && (ready == READY_FD || dup2(ready, READY_FD) == READY_FD)
			    && fcntl(READY_FD, F_SETFD, 0) == 0) {
				setenv("JRUN_SERVER", "off", 1);
				execv(launcher, argv);
			}
		}
		err = errno;
		if (write(p[1], &err, sizeof err) < 0) _exit(127);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof err) == (ssize_t)sizeof err) {   /* end of file: it exec'd */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		snprintf(why, whylen, "cannot start the server %s: %s", launcher, strerror(err));
		pid = -1;
	}
	close(p[0]);
	return pid;
}

/* Whether this process may take a thread of its own back from SCHED_IDLE
 * to SCHED_OTHER: root, or an RLIMIT_NICE that allows nice 0 (sched(7));
 * otherwise the kernel refuses (EPERM). */
static int may_leave_sched_idle(void)
{
	struct rlimit r;

	return geteuid() == 0 || (getrlimit(RLIMIT_NICE, &r) == 0 && (r.rlim_cur == RLIM_INFINITY || r.rlim_cur >= 20));
}

/* Every thread of our child pid that is SCHED_IDLE goes back to SCHED_OTHER.
 * A thread it starts meanwhile inherits its starter's policy, so the pass is
 * repeated until it finds none left (a thread is listed under task/ once it
 * runs). The tids are the server's: our own child's threads, read while it
 * is unreaped. */
static void leave_sched_idle(pid_t pid)
{
	char dir[64];
	int pass, found = 1;

	snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
	for (pass = 0; found && pass < 20; pass++) {
		DIR *d = opendir(dir);
		struct dirent *e;

		if (!d) return;   /* it has exited */
		found = 0;
		while ((e = readdir(d)) != NULL) {
			struct sched_param none = { 0 };
			pid_t tid = (pid_t)atoi(e->d_name);

			if (tid > 0 && sched_getscheduler(tid) == SCHED_IDLE) {
				found = 1;
				sched_setscheduler(tid, SCHED_OTHER, &none);
			}
		}
		closedir(d);
	}
}

/* Nothing usable answered at the socket: wait for a server another client is
 * starting, or claim its start. Opens and takes <dir>/jrun-server.lock: at
 * once if it is free, else for at most JRUN_CLIENT_TIMEOUT (its holder is
 * starting a server, which is then ready when the lock is released). stale:
 * the socket file of a server that answered STALE or closed unread, removed
 * under the lock if that very file is still there. Returns a connected
 * socket (a server answered once the lock was ours; *lock is then -1), or
 * -1 with *lock the held lock (no server: ours to start) or -1 with why
 * filled in. */
static int claim_start(const struct stat *stale, int *lock, char *why, size_t whylen)
{
	char lock_path[PATH_MAX + 32];
	struct stat sb;
	int fd;

	*lock = -1;
	snprintf(lock_path, sizeof lock_path, "%s/%s", server_dir, LOCK_NAME);
	if ((fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		snprintf(why, whylen, "cannot open %s: %s", lock_path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0
	    && (errno != EWOULDBLOCK || lock_within(fd, client_timeout_ms) < 0)) {
		snprintf(why, whylen, "cannot lock %s: %s", lock_path,
			 errno == EINTR ? "another client held it for JRUN_CLIENT_TIMEOUT" : strerror(errno));
		close(fd);
		return -1;
	}
	if (stale && stat(sock_path, &sb) == 0 && sb.st_dev == stale->st_dev && sb.st_ino == stale->st_ino)
		unlink(sock_path);
	*lock = fd;
	{
		int sock = try_connect();   /* the server whose start we waited for, or one started by hand */

		if (sock >= 0) {
			close(fd);   /* releases it: nobody else holds this open file */
			*lock = -1;
		}
		return sock;
	}
}

/* The starter, a child forked before the command runs one-shot, owns the
 * start lock (the same open file, so the lock stays held after our exec) and
 * starts the server beside the command (docs/server.md, "Starting and ending
 * the server") without taking the command's time: the server runs
 * SCHED_IDLE, so it gets only what the command leaves of the CPUs, in the
 * caller's session, since the kernel's autogroups would otherwise weigh a new
 * session against the caller's whatever its policy (measured: a server started
 * in its own session made a one-shot `state` 1.65x slower; SCHED_IDLE in the
 * caller's session, 0.99x: docs/benchmarks.md). Once the command has ended, or
 * BEHIND_WAIT_MS have passed (a long `run`), the server's threads go back to
 * SCHED_OTHER (and the server leaves the session and the caller's cgroups
 * after its first answer). A user whom the kernel would not let leave
 * SCHED_IDLE starts the server only then, at its usual priority. Once the
 * server listens, the starter sends it one request of its own on /dev/null:
 * the `state` of a container in a root that does not exist (state makes
 * nothing), which takes the next `state` from 50 ms to 9 and tells whether
 * the jar is of this client's build. Its exit then releases the lock
 * (`lock`, held throughout): clients waiting on it connect to a server that
 * has written its pid file and answered once. Never returns. */
static void __attribute__((noreturn)) starter(int lock, int command_pidfd)
{
	char why[PATH_MAX + 256], warm_root[PATH_MAX + 32];
	char *warm_argv[] = { "--root", warm_root, "state", WARM_UP_ID };
	long long wait_until = now_ms() + BEHIND_WAIT_MS, start_until;
	int fd = -1, null, ready[2], lo, hi, server_pidfd, idle = may_leave_sched_idle(), done = command_pidfd < 0;
	struct buf warm = { 0 };
	struct stat sb;
	pid_t pid;

	/* A process group of its own, so that the caller's terminal signals
	 * (^C to its foreground group) pass it and the server by; nothing of
	 * the caller's stdio (a tool reading our stdout to its end must not
	 * wait for us) or other descriptors (conmon's sync pipes). */
	setpgid(0, 0);
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0
	    || dup2(null, 2) < 0)
		_exit(1);
	lo = lock < command_pidfd ? lock : command_pidfd;
	hi = lock < command_pidfd ? command_pidfd : lock;
	if (lo < 0) lo = hi;
	if (lo > 3) syscall(SYS_close_range, 3U, (unsigned)lo - 1, 0U);
	if (hi > lo + 1) syscall(SYS_close_range, (unsigned)lo + 1, (unsigned)hi - 1, 0U);
	syscall(SYS_close_range, (unsigned)hi + 1, ~0U, 0U);

	if (!idle && !done) {   /* behind the command, then */
		struct pollfd pf = { .fd = command_pidfd, .events = POLLIN };
		long long rest;

		while ((rest = wait_until - now_ms()) > 0 && poll(&pf, 1, (int)rest) < 0 && errno == EINTR)
			;
		done = 1;
	}
	if ((fd = try_connect()) >= 0) _exit(0);   /* one started by hand meanwhile */
	if (lstat(sock_path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			log_line("%s is not a socket; not touching it, and no server starts", sock_path);
			_exit(1);
		}
		unlink(sock_path);   /* a dead server's */
	}
	if (pipe2(ready, O_CLOEXEC) < 0) {
		log_line("cannot start a server: pipe: %s", strerror(errno));
		_exit(1);
	}
	if ((pid = spawn_server(ready[1], !done, why, sizeof why)) < 0) {
		log_line("%s", why);
		_exit(1);
	}
	close(ready[1]);   /* the server's is then the only write end */
	server_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);   /* -1 before Linux 5.3: end of file on ready says it */
	start_until = now_ms() + START_DEADLINE_MS;

	/* Until it listens and runs at its usual priority. */
	while (fd < 0 || !done) {
		struct pollfd pf[3] = { { .fd = fd < 0 ? ready[0] : -1, .events = POLLIN },
					{ .fd = fd < 0 ? server_pidfd : -1, .events = POLLIN },
					{ .fd = done ? -1 : command_pidfd, .events = POLLIN } };
		long long now = now_ms(), until = fd < 0 ? start_until : wait_until;
		char byte;
		ssize_t n = 0;

		if (!done && wait_until < until) until = wait_until;
		if (!done && (now >= wait_until || (poll(pf + 2, 1, 0) == 1 && pf[2].revents))) {
			leave_sched_idle(pid);
			done = 1;
			continue;
		}
		if (fd < 0 && now >= start_until) {
			log_line("the server just started (pid %d) did not say it listens within %d s", (int)pid,
				 START_DEADLINE_MS / 1000);
			_exit(1);
		}
		if (poll(pf, 3, (int)(until - now)) < 0 && errno != EINTR) {
			log_line("cannot start a server: poll: %s", strerror(errno));
			_exit(1);
		}
		if (pf[0].revents && (n = read(ready[0], &byte, 1)) < 0 && errno == EINTR) continue;
		if (n == 1 || pf[0].revents || pf[1].revents) {
			/* The byte; or it exited (it may have served and gone already: then the socket says so). */
			if ((fd = try_connect()) < 0) {
				const char *timeout = getenv("JRUN_SERVER_IDLE");

				log_line(n == 1 ? "cannot connect to the server just started (pid %d): %s" :
					 "the server just started (pid %d) exited at once: `%s server --dir %s " READY_FD_OPTION
					 " " STR(READY_FD) "%s%s` fails (its stdio was /dev/null)", (int)pid,
					 n == 1 ? strerror(errno) : launcher, server_dir, timeout && *timeout ? " --idle-timeout " : "",
					 timeout && *timeout ? timeout : "");
				_exit(1);
			}
		}
	}

	snprintf(warm_root, sizeof warm_root, "%s/%s", server_dir, WARM_UP_ROOT);
	build_request(&warm, "/", sizeof warm_argv / sizeof warm_argv[0], warm_argv, 0);
	if (converse(fd, &warm) == TRY_AGAIN_STALE)   /* EXIT, the usual end, exits */
		log_line("the server just started from %s is of another build than this client (" JRUN_BUILD_ID
			 "): rebuild, so that runtime/target/jrun.jar and jrun-client match", launcher);
	_exit(1);
}

/* Forks the starter (above) with the held lock, and returns in the parent,
 * which then runs the command one-shot: the command is the pidfd's process.
 * Through a middle child that exits at once, so that the starter is not the
 * command's child: the one-shot JVM reaps only the children it spawned, and a
 * starter done before a long `run` would stay its zombie until the end. */
static void start_server_behind(int lock)
{
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);   /* close-on-exec; -1 before Linux 5.3 */
	pid_t mid = fork();

	if (mid == 0) {
		pid_t pid = fork();

		if (pid == 0) starter(lock, pidfd);
		if (pid < 0) log_line("cannot start a server: fork: %s", strerror(errno));
		_exit(0);
	}
	if (mid < 0) log_line("cannot start a server: fork: %s", strerror(errno));
	else
		while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
			;
	if (pidfd >= 0) close(pidfd);
	close(lock);   /* ours only: the starter's copy keeps it held */
}

/* `jrun server` run by hand or by a service manager (docs/server.md,
 * "Starting a server yourself"): without --dir it serves the directory
 * this client would use, so that later clients find it. Runs one-shot. */
static void __attribute__((noreturn)) start_server_here(int verb_at)
{
	char cwd[PATH_MAX], **argv;
	int i, n = g_argc;

	for (i = verb_at + 1; i < g_argc; i++)
		if (strcmp(g_argv[i], "--dir") == 0 || strncmp(g_argv[i], "--dir=", 6) == 0)
			one_shot(NULL);
	if (getcwd(cwd, sizeof cwd)) find_server_dir(cwd);   /* a path too long: the server says so */
	if (!server_dir[0]) one_shot(NULL);   /* none trusted: picocli asks for --dir */
	argv = xmalloc(((size_t)n + 3) * sizeof *argv);
	for (i = 0; i < n; i++)
		argv[i] = g_argv[i];
	argv[n] = "--dir";
	argv[n + 1] = server_dir;
	argv[n + 2] = NULL;
	g_argv = argv;
	g_argc = n + 2;
	one_shot(NULL);
}

/* ---- main -------------------------------------------------------------- */

/* bin/jrun, from our own location: /proc/self/exe is
 * <repo>/runtime/target/jrun-client. JRUN_CLIENT_LAUNCHER replaces it, for
 * tests only. */
static void find_launcher(void)
{
	const char *env = getenv("JRUN_CLIENT_LAUNCHER");
	ssize_t n;
	int up;

	if (env && *env) {
		if (strlen(env) >= sizeof launcher) die("JRUN_CLIENT_LAUNCHER is too long");
		strcpy(launcher, env);
		return;
	}
	if ((n = readlink("/proc/self/exe", launcher, sizeof launcher - 16)) < 0)
		die("cannot find bin/jrun: readlink /proc/self/exe: %s", strerror(errno));
	launcher[n] = '\0';
	for (up = 0; up < 3; up++) {
		char *slash = strrchr(launcher, '/');
		if (!slash) die("cannot find bin/jrun from %s", launcher);
		*slash = '\0';
	}
	strcat(launcher, "/bin/jrun");
}

/* JRUN_CLIENT_TIMEOUT: seconds, a positive number (fractions allowed);
 * anything else: the default. */
static void read_timeout(void)
{
	const char *s = getenv("JRUN_CLIENT_TIMEOUT");
	char *end;
	double v;

	if (!s || !*s) return;
	v = strtod(s, &end);
	if (*end == '\0' && v > 0 && v < 1e9)
		client_timeout_ms = (long long)(v * 1000) > 0 ? (long long)(v * 1000) : 1;
}

int main(int argc, char **argv)
{
	const char *verb = NULL, *off = getenv("JRUN_SERVER");
	char cwd[PATH_MAX], why[PATH_MAX + 256];
	const char *whyp;
	struct buf req = { 0 };
	struct stat stale;
	int i, fd, lock, have_stale = 0, no_server = 0;
	enum outcome outcome;

	g_argc = argc;
	g_argv = argv;
	/* fds 0-2 must exist: they go to the server and the helper, and no
	 * socket of ours may take their numbers. */
	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0 && open("/dev/null", O_RDWR) != i)
			die("cannot open /dev/null as fd %d", i);
	/* An ignored SIGCHLD (inherited) would make the kernel reap the helper
	 * for us, and its status would be lost. */
	signal(SIGCHLD, SIG_DFL);
	find_launcher();

	/* The leading global options, only to find --no-server and the verb: the values of
	 * --root, --log and --log-format are skipped so as not to be taken for
	 * it. The server reads the command line for real. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--no-server") == 0) no_server = 1;
		if ((strcmp(argv[i], "--root") == 0 || strcmp(argv[i], "--log") == 0
		     || strcmp(argv[i], "--log-format") == 0) && i + 1 < argc)
			i++;
	}
	if (i < argc) verb = argv[i];
	if (verb && strcmp(verb, "server") == 0)
		start_server_here(i);
	if (no_server || (off && strcmp(off, "off") == 0))
		one_shot(NULL);

	if (!getcwd(cwd, sizeof cwd)) one_shot(NULL);   /* the JVM copes with that */
	if ((whyp = find_server_dir(cwd)) != NULL) one_shot(*whyp ? whyp : NULL);
	read_timeout();

	build_request(&req, cwd, argc - 1, argv + 1, 1);
	if (req.len - 4 > MAX_FRAME) one_shot("the request exceeds 16 MiB");

	/* A server that answers takes the request; converse returns only
	 * when it cannot (another build, or it was ending as we came). */
	if ((fd = try_connect()) >= 0) {
		have_stale = stat(sock_path, &stale) == 0;
		outcome = converse(fd, &req);
		close(fd);
		log_line(outcome == TRY_AGAIN_STALE
			 ? "the server at %s is of another build than this client (" JRUN_BUILD_ID "); it stops, and a new one"
			   " starts behind this command" : "the server at %s closed without reading the request (it was ending);"
			   " a new one starts behind this command", sock_path);
	} else if (errno != ENOENT && errno != ECONNREFUSED) {
		snprintf(why, sizeof why, "cannot connect to %s: %s", sock_path, strerror(errno));
		one_shot(why);
	}

	/* No server for this command: it runs one-shot now, and a server
	 * starts behind it for the next ones, unless another client is
	 * starting one (then it waits for that one). */
	if ((fd = claim_start(have_stale ? &stale : NULL, &lock, why, sizeof why)) >= 0) {
		outcome = converse(fd, &req);
		snprintf(why, sizeof why, "the server just started at %s %s", sock_path, outcome == TRY_AGAIN_STALE
			 ? "answered STALE: is runtime/target/jrun.jar of the same build as jrun-client?"
			 : "closed without reading the request");
		one_shot(why);
	}
	if (lock < 0) one_shot(why);
	start_server_behind(lock);
	one_shot(NULL);
}
