/*
 * jrun-init: the small, single-threaded helper that carries out a container
 * setup *plan* for jrun.
 *
 * The contract with the Java side is docs/init-protocol.md (PLAN_VERSION 4);
 * read it first. In short: connect to $JRUN_INIT_SOCK, read the whole plan,
 * clear the environment, then run the steps in order, sending text lines
 * ("pid N", "sync TAG", "ready", "error I ERRNO OPNAME: DETAIL") and waiting
 * for one-byte acknowledgements at SYNC and READY. The helper holds no policy:
 * every decision (which namespaces, which mounts, which ids, which signals a
 * foreground parent relays) is in the plan.
 *
 * Why C and not Java: a JVM is multithreaded, so it cannot unshare a user
 * namespace, setns into user/mount namespaces, or fork safely.
 *
 * Rules kept throughout:
 *  - stdin/stdout/stderr belong to the container; nothing of the helper's
 *    own is ever written to stdout (a foreground parent serving a terminal,
 *    console.c, relays the container's output there). Diagnostics go over the
 *    sync socket, or once it is gone over the start connection (AWAIT_START
 *    to EXEC), or else to stderr.
 *  - every fd the helper opens is close-on-exec: nothing leaks into the
 *    container process.
 *  - one error path: fail() reports and exits; steps never return errors.
 *
 * Files: jrun-init.c (this one: reporting, the plan, the protocol's own
 * steps, the opcode table and main), sealed.c (the sealed copy of itself it
 * runs from), fs.c (paths, mounts, files), process.c (namespaces, clone,
 * credentials, exec), console.c (the terminal), jrun-init.h (what they share).
 *
 * Build (runtime/pom.xml): gcc -static -O2 -Wall -Wextra -Werror
 *   -Wmissing-prototypes -o jrun-init jrun-init.c sealed.c fs.c process.c console.c copyup.c hooks.c seccomp.c
 */
#include "jrun-init.h"

/* ---- process state ----------------------------------------------------- */

int sync_fd = -1;
int start_fd = -1;
static int start_conn = -1;       /* AWAIT_START's accepted connection, open until execve; CLOEXEC */
static int cur_step = -1;         /* step being run; -1 for the plan itself */
static int cur_op;                /* its opcode; 0 before the steps run */
static const char *cur_name = "PLAN";

int start_conn_fd(void)
{
	return start_conn;
}

static struct step steps[MAX_STEPS];

/* ---- reporting --------------------------------------------------------- */

/* Plan strings may hold any byte but NUL; a newline in a path or tag must
 * not split a protocol line, so control characters are shown as '?'. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* Sends one formatted line to Java on fd; 0, or -1 with errno set.
 * MSG_NOSIGNAL: if Java went away we want EPIPE, not death by SIGPIPE. */
int send_line(int fd, const char *fmt, ...)
{
	char line[4400];
	size_t len, off = 0;
	va_list ap;

	if (fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	sanitize(line);
	len = strlen(line);
	line[len++] = '\n';
	while (off < len) {
		ssize_t n = TEMP_FAILURE_RETRY(send(fd, line + off, len - off, MSG_NOSIGNAL));
		if (n < 0) return -1;
		off += (size_t)n;
	}
	return 0;
}

/* The single error path: over the sync socket while it is open, else over
 * the start connection (after AWAIT_START: `jrun start` waits on it for the
 * exec), else on stderr (protocol doc, "Messages"). A failed EXEC exits 127
 * like a shell would; anything else exits 1. */
void fail(int err, const char *fmt, ...)
{
	char detail[4096];
	int code = cur_op == OP_EXEC ? 127 : 1;
	va_list ap;

	restore_terminal(); /* a foreground proxy may have put the user's terminal in raw mode */
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	sanitize(detail);
	tell_parent_failed();
	if (send_line(sync_fd >= 0 ? sync_fd : start_conn, "error %d %d %s: %s",
		      cur_step, err, cur_name, detail) == 0)
		_exit(code);
	dprintf(STDERR_FILENO, "jrun-init: step %d (%s) failed: %s: %s\n",
		cur_step, cur_name, detail, strerror(err));
	_exit(code);
}

/* A protocol message; failing to talk to Java is itself an error. */
#define say(...) do { if (send_line(sync_fd, __VA_ARGS__) < 0) \
	fail(errno, "cannot write to the sync socket"); } while (0)

/* Waits for Java's one-byte acknowledgement: 'g' goes on; 'a' or EOF means
 * Java gave up (it reports that itself, or it was killed), so leave quietly. */
static void await_ack(const char *what)
{
	ssize_t n;
	char c;

	if ((n = TEMP_FAILURE_RETRY(read(sync_fd, &c, 1))) < 0)
		fail(errno, "reading the acknowledgement for %s", what);
	if (n == 0 || c == 'a') {
		tell_parent_failed();
		_exit(1);
	}
	if (c != 'g')
		fail(EPROTO, "unexpected acknowledgement byte 0x%02x for %s", (unsigned char)c, what);
}

/* ---- reading the plan (step -1) ---------------------------------------- */

/* The socket is a stream: reads may be short. Unbuffered on purpose, so no
 * byte after the plan (an acknowledgement) can ever be swallowed. */
static void read_full(void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = TEMP_FAILURE_RETRY(read(sync_fd, p, len));
		if (n < 0) fail(errno, "reading the plan");
		if (n == 0) fail(EPROTO, "plan truncated (end of file)");
		p += n;
		len -= (size_t)n;
	}
}

static uint64_t read_le(int bytes)
{
	unsigned char b[8];
	uint64_t v = 0;

	read_full(b, (size_t)bytes);
	while (bytes-- > 0)
		v = v << 8 | b[bytes];
	return v;
}

static void read_arg(uint32_t i, uint32_t k, struct arg *a)
{
	a->kind = (uint8_t)read_le(1);
	if (a->kind == KIND_INT) {
		a->n = read_le(8);
		return;
	}
	if (a->kind != KIND_STR)
		fail(EINVAL, "step %u argument %u: unknown kind %u", i, k, a->kind);
	a->len = (uint32_t)read_le(4);
	if (a->len > MAX_STRING)
		fail(E2BIG, "step %u argument %u: string of %u bytes (limit %u)", i, k, a->len, MAX_STRING);
	if (!(a->s = malloc((size_t)a->len + 1))) fail(ENOMEM, "step %u argument %u", i, k);
	read_full(a->s, a->len);
	a->s[a->len] = '\0';
	if (memchr(a->s, '\0', a->len))
		fail(EINVAL, "step %u argument %u: NUL inside a string", i, k);
}

static uint32_t read_plan(void)
{
	char magic[8];
	uint32_t version, count, i, k;

	read_full(magic, sizeof magic);
	if (memcmp(magic, PLAN_MAGIC, sizeof magic) != 0)
		fail(EINVAL, "bad plan magic (expected %s)", PLAN_MAGIC);
	if ((version = (uint32_t)read_le(4)) != PLAN_VERSION)
		fail(EINVAL, "plan version %u, this helper speaks %d", version, PLAN_VERSION);
	if ((count = (uint32_t)read_le(4)) > MAX_STEPS)
		fail(E2BIG, "%u steps (limit %d)", count, MAX_STEPS);
	for (i = 0; i < count; i++) {
		struct step *st = &steps[i];
		st->op = (uint16_t)read_le(2);
		st->argc = (uint16_t)read_le(2);
		if (st->argc > MAX_ARGS)
			fail(E2BIG, "step %u has %u arguments (limit %d)", i, st->argc, MAX_ARGS);
		if (!(st->args = calloc(st->argc ? st->argc : 1, sizeof *st->args)))
			fail(ENOMEM, "step %u: arguments", i);
		for (k = 0; k < st->argc; k++)
			read_arg(i, k, &st->args[k]);
	}
	return count;
}

/* ---- the protocol's own steps ----------------------------------------- */

static void op_sync(const struct step *st)
{
	say("sync %s", S(0));
	await_ack(S(0));
}

/* The address of a Unix socket at path (len bytes), or a failure naming
 * what the socket is for. */
void unix_address(struct sockaddr_un *sa, const char *path, size_t len, const char *what)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (len >= sizeof sa->sun_path)
		fail(ENAMETOOLONG, "%s %s: socket paths are limited to %zu bytes",
		     what, path, sizeof sa->sun_path - 1);
	memcpy(sa->sun_path, path, len + 1);
}

/* A stream connection (close-on-exec) to the Unix socket at path, for what. */
int unix_connect(const char *path, size_t len, const char *what)
{
	struct sockaddr_un sa;
	int fd;

	unix_address(&sa, path, len, what);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		fail(errno, "socket for the %s %s", what, path);
	if (TEMP_FAILURE_RETRY(connect(fd, (struct sockaddr *)&sa, sizeof sa)) < 0)
		fail(errno, "connect to the %s %s (is something listening there?)", what, path);
	return fd;
}

/* Runs before CLONE, as the caller, so that host root owns the socket
 * file; the child inherits the fd and accepts on it after pivot_root. */
static void op_listen_start(const struct step *st)
{
	struct sockaddr_un sa;
	int fd;

	unix_address(&sa, S(0), LEN(0), "start socket");
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		fail(errno, "socket for %s", S(0));
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) fail(errno, "bind %s", S(0));
	if (listen(fd, 1) < 0) fail(errno, "listen %s", S(0));
	if (start_fd >= 0)
		close(start_fd);
	start_fd = fd;
}

/* Java acknowledges only once it has recorded the container as created:
 * if `jrun create` dies before that (EOF), no state owns this process, and
 * it must not stay behind waiting for a start that will never come. */
static void op_ready(const struct step *st)
{
	(void)st;
	say("ready");
	await_ack("ready");
	close(sync_fd); /* from now on errors go to the start connection or stderr */
	sync_fd = -1;
}

static void op_await_start(const struct step *st)
{
	ssize_t n;
	char c;
	int conn;

	(void)st;
	if (start_fd < 0) fail(EBADF, "no start socket (no LISTEN_START)");
	if ((conn = (int)TEMP_FAILURE_RETRY(accept4(start_fd, NULL, NULL, SOCK_CLOEXEC))) < 0)
		fail(errno, "accept on the start socket");
	if ((n = TEMP_FAILURE_RETRY(read(conn, &c, 1))) < 0) fail(errno, "reading the start byte");
	if (n == 0) fail(ECONNRESET, "start connection closed before the start byte");
	if (TEMP_FAILURE_RETRY(send(conn, "s", 1, MSG_NOSIGNAL)) < 0)
		fail(errno, "answering the start connection");
	/* Kept open, close-on-exec: `jrun start` sees end of file exactly when
	 * execve succeeds (or this process dies), and a failed EXEC's error
	 * line reaches it first. */
	start_conn = conn;
	close(start_fd);
	start_fd = -1;
}

/* ---- the opcode table ---------------------------------------------------
 * sig: one letter per argument, 's' string or 'i' integer; a trailing '*'
 * repeats the letter before it zero or more times. */

static const struct {
	const char *name, *sig;
	void (*run)(const struct step *);
} ops[OP_COUNT] = {
	[OP_UNSHARE]       = { "UNSHARE",       "i",     op_unshare },
	[OP_CLONE]         = { "CLONE",         "iii*",  op_clone },
	[OP_SYNC]          = { "SYNC",          "s",     op_sync },
	[OP_MOUNT]         = { "MOUNT",         "sssis", op_mount },
	[OP_MKDIRS]        = { "MKDIRS",        "si",    op_mkdirs },
	[OP_PIVOT_ROOT]    = { "PIVOT_ROOT",    "s",     op_pivot_root },
	[OP_MOVE_ROOT]     = { "MOVE_ROOT",     "s",     op_move_root },
	[OP_SETHOSTNAME]   = { "SETHOSTNAME",   "s",     op_sethostname },
	[OP_SETDOMAINNAME] = { "SETDOMAINNAME", "s",     op_setdomainname },
	[OP_CHDIR]         = { "CHDIR",         "s",     op_chdir },
	[OP_SETRLIMIT]     = { "SETRLIMIT",     "iii",   op_setrlimit },
	[OP_SETGROUPS]     = { "SETGROUPS",     "i*",    op_setgroups },
	[OP_SETRESGID]     = { "SETRESGID",     "i",     op_setresgid },
	[OP_SETRESUID]     = { "SETRESUID",     "i",     op_setresuid },
	[OP_UMASK]         = { "UMASK",         "i",     op_umask },
	[OP_PRCTL]         = { "PRCTL",         "ii",    op_prctl },
	[OP_LISTEN_START]  = { "LISTEN_START",  "s",     op_listen_start },
	[OP_READY]         = { "READY",         "",      op_ready },
	[OP_AWAIT_START]   = { "AWAIT_START",   "",      op_await_start },
	[OP_EXEC]          = { "EXEC",          "sis*",  op_exec },
	[OP_SYMLINK]       = { "SYMLINK",       "ss",    op_symlink },
	[OP_MKNOD]         = { "MKNOD",         "siii",  op_mknod },
	[OP_WRITE_FILE]    = { "WRITE_FILE",    "ss",    op_write_file },
	[OP_LOOKUP]        = { "LOOKUP",        "ss",    op_lookup },
	[OP_CLOSE_FDS]     = { "CLOSE_FDS",     "i",     op_close_fds },
	[OP_CREATE_FILE]   = { "CREATE_FILE",   "si",    op_create_file },
	[OP_MASK_PATH]     = { "MASK_PATH",     "s",     op_mask_path },
	[OP_READONLY_PATH] = { "READONLY_PATH", "si",    op_readonly_path },
	[OP_DROP_BOUNDING] = { "DROP_BOUNDING", "i",     op_drop_bounding },
	[OP_SET_CAPS]      = { "SET_CAPS",      "iiii",  op_set_caps },
	[OP_ROOT_SCOPE]    = { "ROOT_SCOPE",    "s",     op_root_scope },
	[OP_CLONE_TREE]    = { "CLONE_TREE",    "si",    op_clone_tree },
	[OP_ATTACH_TREE]   = { "ATTACH_TREE",   "is",    op_attach_tree },
	[OP_CHOWN]         = { "CHOWN",         "sii",   op_chown },
	[OP_LOOPBACK_UP]   = { "LOOPBACK_UP",   "",      op_loopback_up },
	[OP_SETSID]        = { "SETSID",        "",      op_setsid },
	[OP_SECCOMP]       = { "SECCOMP",       "iss",   op_seccomp },
	[OP_PROCESS_ATTR]  = { "PROCESS_ATTR",  "ii*",   op_process_attr },
	[OP_CONSOLE_CONNECT] = { "CONSOLE_CONNECT", "s", op_console_connect },
	[OP_CONSOLE_ATTACH]  = { "CONSOLE_ATTACH",  "iiii", op_console_attach },
	[OP_CONSOLE_PAIR]    = { "CONSOLE_PAIR",    "",  op_console_pair },
	[OP_OPEN_NS]       = { "OPEN_NS",       "si",    op_open_ns },
	[OP_ENTER_NS]      = { "ENTER_NS",      "",      op_enter_ns },
	[OP_CHROOT]        = { "CHROOT",        "s",     op_chroot },
	[OP_JOIN_KEYRING]  = { "JOIN_KEYRING",  "s",     op_join_keyring },
	[OP_NOTE_PID]      = { "NOTE_PID",      "",      op_note_pid },
	[OP_RUN_HOOK]      = { "RUN_HOOK",      "ssissis*", op_run_hook },
	[OP_COPY_UP]       = { "COPY_UP",       "sssis", op_copy_up },
};

/* Checks a step's shape before anything runs, so a malformed plan is
 * refused whole rather than half executed; reported at the step's index. */
static void check_step(uint32_t i, const struct step *st)
{
	const char *sig;
	size_t fixed;
	char rep = 0, want;
	unsigned k;

	cur_step = (int)i;
	if (st->op >= OP_COUNT || !ops[st->op].run) {
		cur_name = "UNKNOWN";
		fail(EINVAL, "unknown opcode %u", st->op);
	}
	cur_name = ops[st->op].name;
	sig = ops[st->op].sig;
	if ((fixed = strlen(sig)) > 0 && sig[fixed - 1] == '*') {
		rep = sig[fixed - 2];
		fixed -= 2;
	}
	if (st->argc < fixed || (!rep && st->argc != fixed))
		fail(EINVAL, "%u arguments, expected %s%zu", st->argc, rep ? "at least " : "", fixed);
	for (k = 0; k < st->argc; k++) {
		want = k < fixed ? sig[k] : rep;
		if (st->args[k].kind != (want == 's' ? KIND_STR : KIND_INT))
			fail(EINVAL, "argument %u must be %s", k, want == 's' ? "a string" : "an integer");
	}
	if (st->op == OP_RUN_HOOK && N(5) > (uint64_t)st->argc - 6)
		fail(EINVAL, "argc %llu but only %u strings", ULL(N(5)), st->argc - 6);
	if (st->op == OP_EXEC && N(1) > (uint64_t)st->argc - 2)
		fail(EINVAL, "argc %llu but only %u strings", ULL(N(1)), st->argc - 2);
	if (st->op == OP_CLONE) {
		if (N(1) > 2) fail(EINVAL, "unknown mode %llu", ULL(N(1)));
		if (N(1) != 1 && st->argc > 2) fail(EINVAL, "a detached clone (mode %llu) relays no signals", ULL(N(1)));
		for (k = 2; k < st->argc; k++)
			if (N(k) < 1 || N(k) >= NSIG || N(k) == SIGKILL || N(k) == SIGSTOP)
				fail(EINVAL, "signal %llu cannot be relayed", ULL(N(k)));
	}
}

int main(int argc, char **argv)
{
	const char *path = getenv("JRUN_INIT_SOCK");
	struct sockaddr_un sa;
	struct sigaction dfl;
	uint32_t count, i;
	int fd;

	/* Started with fd 0-2 closed, the sync socket could land there and
	 * become the container's stdio: park /dev/null on them first. */
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0) _exit(1);
	/* An inherited SIG_IGN for SIGCHLD would break mode-1 waitpid. */
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &dfl, NULL);

	(void)argc;
	cur_name = "SEAL"; /* before anything else: sealed.c says why */
	run_sealed(argv);

	cur_name = "PRESERVE_FDS"; /* before any fd of ours can take their numbers */
	if (getenv("JRUN_PRESERVE_FDS"))
		preserve_fds(getenv("JRUN_PRESERVE_FDS"));

	cur_name = "CONNECT"; /* no socket yet: these errors go to stderr */
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (path && strlen(path) < sizeof sa.sun_path)
		strcpy(sa.sun_path, path);
	clearenv(); /* nothing of the caller's environment reaches the container */
	if (!path || !*path) fail(EINVAL, "JRUN_INIT_SOCK is not set");
	if (!sa.sun_path[0])
		fail(ENAMETOOLONG, "JRUN_INIT_SOCK is longer than %zu bytes", sizeof sa.sun_path - 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) fail(errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		fail(errno, "connect %s", sa.sun_path);
	sync_fd = fd;

	cur_name = "PLAN";
	count = read_plan();
	for (i = 0; i < count; i++)
		check_step(i, &steps[i]);
	for (i = 0; i < count; i++) {
		cur_step = (int)i;
		cur_op = steps[i].op;
		cur_name = ops[cur_op].name;
		ops[cur_op].run(&steps[i]);
	}
	/* A plan without EXEC (a test, or one that only prepares) ends here. */
	return 0;
}
