/*
 * jrun-init: the small, single-threaded helper that carries out a container
 * setup *plan* for jrun.
 *
 * The contract with the Java side is docs/init-protocol.md (PLAN_VERSION 2);
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
 *  - stdin/stdout/stderr belong to the container; nothing is ever written to
 *    stdout. Diagnostics go over the sync socket, or once it is gone over the
 *    start connection (AWAIT_START to EXEC), or else to stderr.
 *  - every fd the helper opens is close-on-exec: nothing leaks into the
 *    container process.
 *  - one error path: fail() reports and exits; steps never return errors.
 *
 * Build: gcc -static -O2 -Wall -Wextra -Werror -o jrun-init jrun-init.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define PLAN_MAGIC   "JRUNPLAN"
#define PLAN_VERSION 2
#define MAX_STEPS    4096
#define MAX_ARGS     4096
#define MAX_STRING   (1U << 20)
#define MAX_TREES    256

enum { KIND_INT = 0, KIND_STR = 1 };

struct arg {
	uint8_t kind;
	uint64_t n;   /* KIND_INT */
	char *s;      /* KIND_STR, NUL-terminated by us */
	uint32_t len;
};

struct step {
	uint16_t op, argc;
	struct arg *args;
};

/* Opcodes: the wire values, spelled out (the Java table dev.jrun.plan.Op and
 * the protocol doc must say the same; ProtocolAgreementTest compares them). */
enum {
	OP_SETNS = 1,
	OP_UNSHARE = 2,
	OP_CLONE = 3,
	OP_SYNC = 4,
	OP_MOUNT = 5,
	OP_MKDIRS = 6,
	OP_PIVOT_ROOT = 7,
	OP_MOVE_ROOT = 8,
	OP_SETHOSTNAME = 9,
	OP_SETDOMAINNAME = 10,
	OP_CHDIR = 11,
	OP_SETRLIMIT = 12,
	OP_SETGROUPS = 13,
	OP_SETRESGID = 14,
	OP_SETRESUID = 15,
	OP_UMASK = 16,
	OP_PRCTL = 17,
	OP_LISTEN_START = 18,
	OP_READY = 19,
	OP_AWAIT_START = 20,
	OP_EXEC = 21,
	OP_SYMLINK = 22,
	OP_MKNOD = 23,
	OP_WRITE_FILE = 24,
	OP_LOOKUP = 25,
	OP_CLOSE_FDS = 26,
	OP_CREATE_FILE = 27,
	OP_MASK_PATH = 28,
	OP_READONLY_PATH = 29,
	OP_DROP_BOUNDING = 30,
	OP_SET_CAPS = 31,
	OP_ROOT_SCOPE = 32,
	OP_CLONE_TREE = 33,
	OP_ATTACH_TREE = 34,
	OP_CHOWN = 35,
	OP_LOOPBACK_UP = 36,
	OP_SETSID = 37,
	OP_COUNT
};

/* ---- process state: the only globals ----------------------------------- */

static int sync_fd = -1;          /* the connection to Java; CLOEXEC */
static int start_fd = -1;         /* LISTEN_START's listener; CLOEXEC */
static int start_conn = -1;       /* AWAIT_START's accepted connection, open until execve; CLOEXEC */
static int cur_step = -1;         /* step being run; -1 for the plan itself */
static int cur_op;                /* its opcode; 0 before the steps run */
static const char *cur_name = "PLAN";
static char resolved[PATH_MAX];   /* LOOKUP's result, for EXEC "" */
static int have_resolved;
static volatile pid_t fwd_pid;    /* mode-1 CLONE: where signals go */

static struct step steps[MAX_STEPS];
static char *exec_vec[MAX_ARGS + 2]; /* EXEC's argv and envp, back to back */
static gid_t groups[MAX_ARGS];
static char scratch[PATH_MAX];    /* MKDIRS cuts its path here */
static int root_fd = -1;          /* ROOT_SCOPE: the rootfs, resolved with RESOLVE_IN_ROOT */
static char root_path[PATH_MAX];
static size_t root_len;
static int trees[MAX_TREES];      /* CLONE_TREE's detached mounts, by slot; CLOEXEC */
static int tree_count;

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
static int __attribute__((format(printf, 2, 3))) send_line(int fd, const char *fmt, ...)
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
static void __attribute__((noreturn, format(printf, 2, 3))) fail(int err, const char *fmt, ...)
{
	char detail[4096];
	int code = cur_op == OP_EXEC ? 127 : 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	sanitize(detail);
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
	if (n == 0 || c == 'a') _exit(1);
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

/* ---- the steps: one small function each --------------------------------- */

#define S(i) (st->args[i].s)
#define N(i) (st->args[i].n)
#define LEN(i) (st->args[i].len)
#define ULL(x) ((unsigned long long)(x))
#define NUL_IF_EMPTY(s) (*(s) ? (s) : NULL)

static void op_setns(const struct step *st)
{
	int fd = open(S(0), O_RDONLY | O_CLOEXEC);

	if (fd < 0) fail(errno, "open %s", S(0));
	if (setns(fd, (int)N(1)) < 0) fail(errno, "setns %s (nstype 0x%llx)", S(0), ULL(N(1)));
	close(fd);
}

static void op_unshare(const struct step *st)
{
	if (unshare((int)N(0)) < 0) fail(errno, "unshare flags 0x%llx", ULL(N(0)));
}

/* Fork-like clone: no new stack, the child continues on a copy of ours.
 * Safe because this program is single-threaded and static. x86_64 and arm64
 * take (flags, stack, parent_tid, child_tid, tls); s390 swaps the first two. */
static pid_t raw_clone(unsigned long flags)
{
#if defined(__s390__) || defined(__s390x__)
	return (pid_t)syscall(SYS_clone, 0UL, flags, NULL, NULL, 0UL);
#else
	return (pid_t)syscall(SYS_clone, flags, 0UL, NULL, NULL, 0UL);
#endif
}

static void forward(int sig)
{
	int saved = errno;

	kill(fwd_pid, sig);
	errno = saved;
}

/* Mode 1: stay as the child's parent, relay the plan's signals (CLONE's
 * arguments from the third on), pass on its status. */
static void __attribute__((noreturn)) foreground(const struct step *st, pid_t pid, const sigset_t *fwdset)
{
	struct sigaction sa;
	int status;
	unsigned k;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	fwd_pid = pid;
	for (k = 2; k < st->argc; k++)
		if (sigaction((int)N(k), &sa, NULL) < 0)
			fail(errno, "relay signal %llu", ULL(N(k)));
	/* Signals that came since clone() were held pending; relay them now. */
	sigprocmask(SIG_UNBLOCK, fwdset, NULL);
	for (;;) {
		if (waitpid(pid, &status, 0) < 0) {
			if (errno == EINTR) continue;
			fail(errno, "waitpid %d", (int)pid);
		}
		if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
		if (WIFSIGNALED(status)) _exit(128 + WTERMSIG(status));
	}
}

static void op_clone(const struct step *st)
{
	unsigned long flags = (unsigned long)N(0);
	sigset_t fwdset, old;
	int gate[2];
	unsigned k;
	pid_t pid;
	char c;

	/* The child must not speak ("sync ...") before the parent has sent
	 * "pid N", or Java would read them out of order: it waits on this
	 * pipe until the parent closes the write end. */
	if (pipe2(gate, O_CLOEXEC) < 0) fail(errno, "pipe");
	/* Block the relayed signals across clone() so that one arriving
	 * before the handlers exist is relayed later, not fatal now. */
	sigemptyset(&fwdset);
	for (k = 2; k < st->argc; k++)
		sigaddset(&fwdset, (int)N(k));
	sigprocmask(SIG_BLOCK, &fwdset, &old);

	if ((pid = raw_clone(flags | SIGCHLD)) < 0) fail(errno, "clone flags 0x%lx", flags);
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(gate[1]);
		while (read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		close(gate[0]);
		return; /* the child goes on with the next step */
	}
	close(gate[0]);
	if (send_line(sync_fd, "pid %d", (int)pid) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		fail(err, "sending the pid");
	}
	close(sync_fd); /* the child keeps its copy */
	sync_fd = -1;
	close(gate[1]); /* release the child */
	if (N(1) == 0) _exit(0);
	if (start_fd >= 0) /* the child owns the start socket */
		close(start_fd);
	start_fd = -1;
	foreground(st, pid, &fwdset);
}

static void op_sync(const struct step *st)
{
	say("sync %s", S(0));
	await_ack(S(0));
}

/* Leading a session of one's own keeps a terminal's job control and its
 * signals (the caller's session) away from whoever calls it. */
static void op_setsid(const struct step *st)
{
	(void)st;
	if (setsid() < 0) fail(errno, "setsid");
}

/* ---- ROOT_SCOPE: paths under the rootfs never leave it ------------------
 * While a root is scoped, every path the plan gives under it is resolved by
 * the kernel with openat2(RESOLVE_IN_ROOT): a symlink in a hostile rootfs
 * that points at /etc means the rootfs's /etc, never the host's. Objects are
 * then made with *at() calls on the resolved parent, and mounts target the
 * resolved O_PATH fd through /proc/self/fd (the host's /proc: no pivot yet). */

/* The part of path below the scoped root, "." for the root itself, or NULL. */
static const char *in_root(const char *path)
{
	if (root_fd < 0 || strncmp(path, root_path, root_len) != 0) return NULL;
	if (path[root_len] == '\0') return ".";
	if (path[root_len] != '/') return NULL;
	return path[root_len + 1] ? path + root_len + 1 : ".";
}

static int open_in_root(const char *rel, int flags)
{
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };

	return (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof how);
}

/* Splits rel into its parent (opened, O_PATH) and last name; rel is copied
 * to scratch, where *name then points. */
static int open_parent_in_root(const char *full, const char *rel, const char **name)
{
	char *slash;
	int fd;

	if (strlen(rel) >= sizeof scratch) fail(ENAMETOOLONG, "%s", full);
	strcpy(scratch, rel);
	slash = strrchr(scratch, '/');
	if (slash) {
		*slash = '\0';
		*name = slash + 1;
		fd = open_in_root(scratch, O_PATH | O_DIRECTORY);
	} else {
		*name = scratch;
		fd = open_in_root(".", O_PATH | O_DIRECTORY);
	}
	if (fd < 0) fail(errno, "resolve the parent of %s inside the rootfs", full);
	return fd;
}

static void op_root_scope(const struct step *st)
{
	if (root_fd >= 0) close(root_fd);
	root_fd = -1;
	if (!*S(0)) return;
	if (LEN(0) >= sizeof root_path) fail(ENAMETOOLONG, "%s", S(0));
	memcpy(root_path, S(0), LEN(0) + 1);
	root_len = LEN(0);
	if ((root_fd = open(S(0), O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) fail(errno, "open the rootfs %s", S(0));
}

static void op_mount(const struct step *st)
{
	const char *src = S(0), *tgt = S(1), *type = S(2);
	unsigned long flags = (unsigned long)N(3);
	char extra[300] = "", via[64];
	const char *rel = in_root(tgt), *where = tgt;
	int err, k = 0, fd = -1;

	if (rel) {
		if ((fd = open_in_root(rel, O_PATH)) < 0) fail(errno, "resolve %s inside the rootfs", tgt);
		snprintf(via, sizeof via, "/proc/self/fd/%d", fd);
		where = via;
	}
	if (mount(NUL_IF_EMPTY(src), NUL_IF_EMPTY(where), NUL_IF_EMPTY(type), flags,
		  NUL_IF_EMPTY(S(4))) == 0) {
		if (fd >= 0) close(fd);
		return;
	}
	err = errno;
	if (*type)
		k = snprintf(extra, sizeof extra, " (type %.200s)", type);
	if (flags)
		snprintf(extra + k, sizeof extra - (size_t)k, " (flags 0x%lx)", flags);
	fail(err, "%s on %s%s", *src ? src : "none", tgt, extra);
}

/* mkdir of one prefix of S(0) (held in scratch): an existing directory, or
 * symlink to one, is fine; an existing non-directory is ENOTDIR (mkdir -p). */
static void mkdir_one(const struct step *st)
{
	struct stat sb;
	int err;

	if (mkdir(scratch, (mode_t)N(1)) == 0) return;
	err = errno;
	if (stat(scratch, &sb) == 0 && S_ISDIR(sb.st_mode)) return;
	if (err == EEXIST)
		fail(ENOTDIR, "mkdir %s: %s exists and is not a directory", S(0), scratch);
	fail(err, "mkdir %s", scratch);
}

/* MKDIRS under the scoped root: each missing component is made with
 * mkdirat() on its resolved parent. */
static void mkdirs_in_root(const struct step *st, const char *rel)
{
	char path[PATH_MAX];
	const char *name;
	int fd, parent;

	if (strlen(rel) >= sizeof path) fail(ENAMETOOLONG, "mkdir %s", S(0));
	strcpy(path, rel);
	for (char *q = path; ; q++) {
		if (*q != '/' && *q != '\0') continue;
		char end = *q;
		*q = '\0';
		if (*path && (fd = open_in_root(path, O_PATH | O_DIRECTORY)) >= 0) {
			close(fd);
		} else if (*path) {
			if (errno != ENOENT) fail(errno, "mkdir %s: resolve %s inside the rootfs", S(0), path);
			parent = open_parent_in_root(S(0), path, &name);
			if (mkdirat(parent, name, (mode_t)N(1)) < 0 && errno != EEXIST)
				fail(errno, "mkdir %s", S(0));
			close(parent);
			if ((fd = open_in_root(path, O_PATH | O_DIRECTORY)) < 0)
				fail(errno == ENOENT ? ENOTDIR : errno, "mkdir %s: %s is not a directory inside the rootfs"
				     " (a symlink whose target is missing there is not followed out of it)", S(0), path);
			close(fd);
		}
		if (end == '\0') return;
		*q = end;
	}
}

static void op_mkdirs(const struct step *st)
{
	char *q;
	const char *rel = in_root(S(0));

	if (rel) {
		mkdirs_in_root(st, rel);
		return;
	}

	if (LEN(0) >= sizeof scratch) fail(ENAMETOOLONG, "mkdir %s", S(0));
	memcpy(scratch, S(0), LEN(0) + 1);
	for (q = scratch + 1; *q; q++) {
		if (*q != '/' || q[-1] == '/') continue;
		*q = '\0';
		mkdir_one(st);
		*q = '/';
	}
	mkdir_one(st);
}

static void op_pivot_root(const struct step *st)
{
	/* pivot_root(".", ".") stacks the old root on top of the new one; the
	 * lazy unmount then drops it without needing a directory for it. It is
	 * safe because the plan made "/" MS_SLAVE first, and the kernel refuses
	 * pivot_root on shared mounts anyway. */
	if (chdir(S(0)) < 0) fail(errno, "chdir %s", S(0));
	if (syscall(SYS_pivot_root, ".", ".") < 0) fail(errno, "pivot_root %s", S(0));
	if (umount2(".", MNT_DETACH) < 0) fail(errno, "unmount the old root");
	if (chdir("/") < 0) fail(errno, "chdir /");
}

static void op_move_root(const struct step *st)
{
	if (chdir(S(0)) < 0) fail(errno, "chdir %s", S(0));
	if (mount(S(0), "/", NULL, MS_MOVE, NULL) < 0) fail(errno, "move %s to /", S(0));
	if (chroot(".") < 0) fail(errno, "chroot %s", S(0));
	if (chdir("/") < 0) fail(errno, "chdir /");
}

static void op_sethostname(const struct step *st)
{
	if (sethostname(S(0), LEN(0)) < 0) fail(errno, "hostname %s", S(0));
}

static void op_setdomainname(const struct step *st)
{
	if (setdomainname(S(0), LEN(0)) < 0) fail(errno, "domainname %s", S(0));
}

static void op_chdir(const struct step *st)
{
	if (chdir(S(0)) < 0) fail(errno, "chdir %s", S(0));
}

static void op_setrlimit(const struct step *st)
{
	/* ~0 is RLIM_INFINITY on Linux; spelled out so it stays true. */
	struct rlimit rl = {
		N(1) == UINT64_MAX ? RLIM_INFINITY : (rlim_t)N(1),
		N(2) == UINT64_MAX ? RLIM_INFINITY : (rlim_t)N(2),
	};

	if (setrlimit((int)N(0), &rl) < 0)
		fail(errno, "resource %llu soft %llu hard %llu", ULL(N(0)), ULL(N(1)), ULL(N(2)));
}

static void op_setgroups(const struct step *st)
{
	int i;

	for (i = 0; i < st->argc; i++)
		groups[i] = (gid_t)N(i);
	if (setgroups((size_t)st->argc, groups) < 0) fail(errno, "setgroups (%d groups)", st->argc);
}

static void op_setresgid(const struct step *st)
{
	gid_t g = (gid_t)N(0);

	if (setresgid(g, g, g) < 0) fail(errno, "gid %u", (unsigned)g);
}

static void op_setresuid(const struct step *st)
{
	uid_t u = (uid_t)N(0);

	if (setresuid(u, u, u) < 0) fail(errno, "uid %u", (unsigned)u);
}

static void op_umask(const struct step *st)
{
	umask((mode_t)(N(0) & 07777));
}

static void op_prctl(const struct step *st)
{
	if (prctl((int)N(0), (unsigned long)N(1), 0UL, 0UL, 0UL) < 0)
		fail(errno, "prctl option %llu arg %llu", ULL(N(0)), ULL(N(1)));
}

/* Runs before CLONE, as the caller, so that host root owns the socket
 * file; the child inherits the fd and accepts on it after pivot_root. */
static void op_listen_start(const struct step *st)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (LEN(0) >= sizeof sa.sun_path)
		fail(ENAMETOOLONG, "%s: socket paths are limited to %zu bytes",
		     S(0), sizeof sa.sun_path - 1);
	memcpy(sa.sun_path, S(0), LEN(0) + 1);
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

/* The container process starts with default dispositions and an empty mask,
 * whatever jrun-init or its parent had (ignored signals survive execve). */
static void reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL); /* libc-reserved ones fail: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void op_exec(const struct step *st)
{
	const char *path = S(0);
	size_t argc = (size_t)N(1), nenv = st->argc - 2 - argc, i;
	char **argv = exec_vec, **envp = exec_vec + argc + 1;

	if (!*path) {
		if (!have_resolved) fail(EINVAL, "empty path and no LOOKUP before EXEC");
		path = resolved;
	}
	for (i = 0; i < argc; i++)
		argv[i] = S(2 + i);
	argv[argc] = NULL;
	for (i = 0; i < nenv; i++)
		envp[i] = S(2 + argc + i);
	envp[nenv] = NULL;
	reset_signals();
	execve(path, argv, envp);
	fail(errno, "execve %s", path);
}

static void op_symlink(const struct step *st)
{
	const char *rel = in_root(S(1)), *name;
	int parent;

	if (!rel) {
		if (symlink(S(0), S(1)) < 0) fail(errno, "symlink %s -> %s", S(1), S(0));
		return;
	}
	parent = open_parent_in_root(S(1), rel, &name);
	if (symlinkat(S(0), parent, name) < 0) fail(errno, "symlink %s -> %s", S(1), S(0));
	close(parent);
}

static void op_mknod(const struct step *st)
{
	const char *rel = in_root(S(0)), *name = S(0);
	int parent = AT_FDCWD;

	if (rel) parent = open_parent_in_root(S(0), rel, &name);
	if (mknodat(parent, name, (mode_t)N(1), makedev((unsigned)N(2), (unsigned)N(3))) < 0)
		fail(errno, "mknod %s (mode 0%llo, %llu:%llu)", S(0), ULL(N(1)), ULL(N(2)), ULL(N(3)));
	if (parent != AT_FDCWD) close(parent);
}

/* A mount point for binding a file: created if missing, never truncated. */
static void op_create_file(const struct step *st)
{
	const char *rel = in_root(S(0)), *name = S(0);
	int parent = AT_FDCWD, fd;

	/* O_NOFOLLOW inside the rootfs: a symlink there is not a file to bind onto. */
	if (rel) parent = open_parent_in_root(S(0), rel, &name);
	fd = openat(parent, name, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOCTTY | (rel ? O_NOFOLLOW : 0), (mode_t)N(1));
	if (parent != AT_FDCWD) close(parent);

	if (fd < 0) fail(errno, "create %s", S(0));
	if (close(fd) < 0) fail(errno, "close %s", S(0));
}

/* maskedPaths: a directory is hidden under an empty read-only tmpfs, anything
 * else under /dev/null. Only the container knows which a path is, and a path
 * that does not exist needs no mask (runc skips those too). */
static void op_mask_path(const struct step *st)
{
	struct stat sb;

	if (stat(S(0), &sb) < 0) {
		if (errno == ENOENT) return;
		fail(errno, "stat %s", S(0));
	}
	if (S_ISDIR(sb.st_mode)) {
		if (mount("tmpfs", S(0), "tmpfs", MS_RDONLY, NULL) < 0)
			fail(errno, "mask directory %s with a read-only tmpfs", S(0));
	} else if (mount("/dev/null", S(0), NULL, MS_BIND, NULL) < 0) {
		fail(errno, "mask %s with /dev/null", S(0));
	}
}

/* readonlyPaths: bind the path onto itself, then remount it read-only. The
 * remount repeats the flags the kernel locks (nosuid, nodev, noexec, atime),
 * read with statvfs: ST_* and MS_* share their values. */
static void op_readonly_path(const struct step *st)
{
	struct statvfs vfs;
	unsigned long keep;

	if (mount(S(0), S(0), NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT) return;
		fail(errno, "bind %s onto itself", S(0));
	}
	if (statvfs(S(0), &vfs) < 0) fail(errno, "statvfs %s", S(0));
	keep = vfs.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
	if (mount(S(0), S(0), NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | keep, NULL) < 0)
		fail(errno, "remount %s read-only", S(0));
}

/* Drops from the bounding set every capability not in the mask. Needs
 * CAP_SETPCAP, so it runs before the switch to the container's user. The
 * loop ends where the kernel's capabilities end (PR_CAPBSET_READ: EINVAL). */
static void op_drop_bounding(const struct step *st)
{
	for (unsigned long cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0UL, 0UL, 0UL) < 0) {
			if (errno == EINVAL) return;
			fail(errno, "read bounding capability %lu", cap);
		}
		if (!(N(0) & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0UL, 0UL, 0UL) < 0)
			fail(errno, "drop capability %lu from the bounding set", cap);
	}
}

/* capset(2) version 3: two 32-bit words per set. Then the ambient set, which
 * the kernel only allows for capabilities both permitted and inheritable. */
static void op_set_caps(const struct step *st)
{
	struct { uint32_t version; int pid; } header = { 0x20080522, 0 };  /* _LINUX_CAPABILITY_VERSION_3 */
	struct { uint32_t effective, permitted, inheritable; } data[2];

	for (int w = 0; w < 2; w++) {
		data[w].effective = (uint32_t)(N(0) >> (32 * w));
		data[w].permitted = (uint32_t)(N(1) >> (32 * w));
		data[w].inheritable = (uint32_t)(N(2) >> (32 * w));
	}
	if (syscall(SYS_capset, &header, data) < 0)
		fail(errno, "capset effective 0x%llx permitted 0x%llx inheritable 0x%llx", ULL(N(0)), ULL(N(1)), ULL(N(2)));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0UL, 0UL, 0UL) < 0)
		fail(errno, "clear the ambient set");
	for (unsigned long cap = 0; cap < 64; cap++)
		if ((N(3) & (1ULL << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0UL, 0UL) < 0)
			fail(errno, "raise ambient capability %lu (it must be permitted and inheritable)", cap);
}

/* A detached copy of a mount (tree), made while its source is still a peer
 * of the host's mount: the copy joins that peer group, so mounts made under
 * it later propagate both ways. Made before the plan turns / into a slave,
 * attached with ATTACH_TREE where the spec puts it. */
static void op_clone_tree(const struct step *st)
{
	unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (N(1) ? AT_RECURSIVE : 0);
	int fd;

	if (tree_count >= MAX_TREES) fail(E2BIG, "more than %d cloned mounts", MAX_TREES);
	if ((fd = (int)syscall(SYS_open_tree, AT_FDCWD, S(0), flags)) < 0)
		fail(errno, "clone the mount at %s", S(0));
	trees[tree_count++] = fd;
}

static void op_attach_tree(const struct step *st)
{
	const char *rel = in_root(S(1));
	int to = AT_FDCWD, err;
	unsigned int flags = MOVE_MOUNT_F_EMPTY_PATH;

	if (N(0) >= (uint64_t)tree_count) fail(EINVAL, "no cloned mount %llu", ULL(N(0)));
	if (rel) {
		if ((to = open_in_root(rel, O_PATH)) < 0) fail(errno, "resolve %s inside the rootfs", S(1));
		flags |= MOVE_MOUNT_T_EMPTY_PATH;
	}
	if (syscall(SYS_move_mount, trees[N(0)], "", to, rel ? "" : S(1), flags) < 0) {
		err = errno;
		fail(err, "attach the cloned mount %llu on %s", ULL(N(0)), S(1));
	}
	if (to != AT_FDCWD) close(to);
	close(trees[N(0)]);
	trees[N(0)] = -1;
}

/* Owner of a node the plan made (linux.devices uid/gid); never follows a
 * symlink, and resolves inside the scoped root like the other steps. */
static void op_chown(const struct step *st)
{
	const char *rel = in_root(S(0)), *name = S(0);
	int parent = AT_FDCWD;

	if (rel) parent = open_parent_in_root(S(0), rel, &name);
	if (fchownat(parent, name, (uid_t)N(1), (gid_t)N(2), AT_SYMLINK_NOFOLLOW) < 0)
		fail(errno, "chown %s to %llu:%llu", S(0), ULL(N(1)), ULL(N(2)));
	if (parent != AT_FDCWD) close(parent);
}

/* A new network namespace starts with lo down; runc brings it up, and so do
 * we: one ioctl, where the namespace is, without the cost of netlink. */
static void op_loopback_up(const struct step *st)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	(void)st;
	if (fd < 0) fail(errno, "socket for lo");
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) fail(errno, "read the flags of lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) fail(errno, "bring lo up");
	close(fd);
}

/* One write() of the whole content: uid_map, gid_map, setgroups and
 * timens_offsets take exactly one write per open. As the doc says: no
 * O_CREAT, no O_TRUNC (these are kernel files). */
static void op_write_file(const struct step *st)
{
	ssize_t n;
	int fd = open(S(0), O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) fail(errno, "open %s", S(0));
	if ((n = TEMP_FAILURE_RETRY(write(fd, S(1), LEN(1)))) < 0) fail(errno, "write %s", S(0));
	if ((size_t)n != LEN(1))
		fail(EIO, "write %s: short write (%zd of %u bytes)", S(0), n, LEN(1));
	if (close(fd) < 0) fail(errno, "close %s", S(0));
}

/* 0 if we may execute p, else an errno (EACCES for a directory or a file
 * without x permission for our effective ids). */
static int executable(const char *p)
{
	struct stat sb;

	if (stat(p, &sb) < 0) return errno;
	if (!S_ISREG(sb.st_mode) || faccessat(AT_FDCWD, p, X_OK, AT_EACCESS) < 0) return EACCES;
	return 0;
}

/* execvp(3) resolution, done now so that "not found" is a create error. */
static void op_lookup(const struct step *st)
{
	const char *prog = S(0), *dir = S(1), *end;
	size_t plen = LEN(0), dlen;
	int err, saw_eacces = 0;

	if (plen == 0) fail(ENOENT, "empty program name");
	if (strchr(prog, '/')) {
		if ((err = executable(prog)) != 0) fail(err, "%s", prog);
		if (plen >= sizeof resolved) fail(ENAMETOOLONG, "%s", prog);
		memcpy(resolved, prog, plen + 1);
		have_resolved = 1;
		return;
	}
	for (;; dir = end + 1) {
		end = strchrnul(dir, ':');
		dlen = (size_t)(end - dir);
		if (dlen + plen + 3 <= sizeof resolved) { /* longer ones: skipped */
			if (dlen == 0) /* an empty entry is the current directory */
				snprintf(resolved, sizeof resolved, "./%s", prog);
			else
				snprintf(resolved, sizeof resolved, "%.*s/%s", (int)dlen, dir, prog);
			if ((err = executable(resolved)) == 0) {
				have_resolved = 1;
				return;
			}
			saw_eacces |= err == EACCES; /* keep looking, like execvp */
		}
		if (*end == '\0')
			break;
	}
	fail(saw_eacces ? EACCES : ENOENT, "%s in PATH %s", prog, S(1));
}

/* Mark (not close) every fd above 2 close-on-exec: the helper's own fds
 * (sync socket, start listener) stay usable until EXEC, and the container
 * gets nothing of the runtime. */
static void op_close_fds(const struct step *st)
{
	struct rlimit rl;
	struct dirent *de;
	long fd, max = 65536;
	DIR *d;

	(void)st;
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
	if (errno != ENOSYS && errno != EINVAL) /* EINVAL: no CLOEXEC flag (< 5.11) */
		fail(errno, "close_range");
	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			fd = strtol(de->d_name, NULL, 10);
			if (fd > 2 && fd != dirfd(d) && fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
				fail(errno, "mark fd %ld close-on-exec", fd);
		}
		closedir(d);
		return;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)max)
		max = (long)rl.rlim_cur;
	for (fd = 3; fd < max; fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC); /* EBADF for unused fds */
}

/* ---- the opcode table ---------------------------------------------------
 * sig: one letter per argument, 's' string or 'i' integer; a trailing '*'
 * repeats the letter before it zero or more times. */

static const struct {
	const char *name, *sig;
	void (*run)(const struct step *);
} ops[OP_COUNT] = {
	[OP_SETNS]         = { "SETNS",         "si",    op_setns },
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
	[OP_CLOSE_FDS]     = { "CLOSE_FDS",     "",      op_close_fds },
	[OP_CREATE_FILE]   = { "CREATE_FILE",   "si",    op_create_file },
	[OP_MASK_PATH]     = { "MASK_PATH",     "s",     op_mask_path },
	[OP_READONLY_PATH] = { "READONLY_PATH", "s",     op_readonly_path },
	[OP_DROP_BOUNDING] = { "DROP_BOUNDING", "i",     op_drop_bounding },
	[OP_SET_CAPS]      = { "SET_CAPS",      "iiii",  op_set_caps },
	[OP_ROOT_SCOPE]    = { "ROOT_SCOPE",    "s",     op_root_scope },
	[OP_CLONE_TREE]    = { "CLONE_TREE",    "si",    op_clone_tree },
	[OP_ATTACH_TREE]   = { "ATTACH_TREE",   "is",    op_attach_tree },
	[OP_CHOWN]         = { "CHOWN",         "sii",   op_chown },
	[OP_LOOPBACK_UP]   = { "LOOPBACK_UP",   "",      op_loopback_up },
	[OP_SETSID]        = { "SETSID",        "",      op_setsid },
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
	if (st->op == OP_EXEC && N(1) > (uint64_t)st->argc - 2)
		fail(EINVAL, "argc %llu but only %u strings", ULL(N(1)), st->argc - 2);
	if (st->op == OP_CLONE) {
		if (N(1) > 1) fail(EINVAL, "unknown mode %llu", ULL(N(1)));
		if (N(1) == 0 && st->argc > 2) fail(EINVAL, "a detached clone (mode 0) relays no signals");
		for (k = 2; k < st->argc; k++)
			if (N(k) < 1 || N(k) >= NSIG || N(k) == SIGKILL || N(k) == SIGSTOP)
				fail(EINVAL, "signal %llu cannot be relayed", ULL(N(k)));
	}
}

int main(void)
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
