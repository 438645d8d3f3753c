/*
 * jrun-init: the steps about the process itself: namespaces, the clone and
 * its foreground parent, session, names, limits, credentials, capabilities,
 * finding and exec'ing the container's program.
 */
#include "jrun-init.h"

static char resolved[PATH_MAX];   /* LOOKUP's result, for EXEC "" */
static int have_resolved;
static volatile pid_t fwd_pid;    /* mode-1 CLONE: where signals go */
static char *exec_vec[MAX_ARGS + 2]; /* EXEC's argv and envp, back to back */
static gid_t groups[MAX_ARGS];
pid_t pid_outside;

/* OPEN_NS keeps each namespace open until ENTER_NS joins them all: once
 * the user namespace is joined, the host's /proc/PID/ns files of the
 * container's init are no longer ours to open (we hold capabilities in the
 * container's user namespace only). One per kind, so at most 8. */
#define NS_KINDS 8
static struct { int fd; int nstype; const char *path; } opened_ns[NS_KINDS];
static int opened_count;

void op_open_ns(const struct step *st)
{
	int i, fd;

	for (i = 0; i < opened_count; i++)
		if (opened_ns[i].nstype == (int)N(1))
			fail(EINVAL, "a second namespace of type 0x%llx (%s)", ULL(N(1)), S(0));
	if (opened_count >= NS_KINDS) fail(E2BIG, "more than %d namespaces", NS_KINDS);
	if ((fd = open(S(0), O_RDONLY | O_CLOEXEC)) < 0) fail(errno, "open %s", S(0));
	opened_ns[opened_count].fd = fd;
	opened_ns[opened_count].nstype = (int)N(1);
	opened_ns[opened_count].path = S(0);
	opened_count++;
}

void op_enter_ns(const struct step *st)
{
	int i;

	(void)st;
	for (i = 0; i < opened_count; i++) {
		if (setns(opened_ns[i].fd, opened_ns[i].nstype) < 0)
			fail(errno, "setns %s (nstype 0x%x)", opened_ns[i].path, (unsigned)opened_ns[i].nstype);
		close(opened_ns[i].fd);
	}
	opened_count = 0;
}

void op_unshare(const struct step *st)
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
	console_proxy(pid); /* with CONSOLE_PAIR: serves the terminal, exits with the status (console.c) */
	for (;;) {
		if (waitpid(pid, &status, 0) < 0) {
			if (errno == EINTR) continue;
			fail(errno, "waitpid %d", (int)pid);
		}
		if (WIFEXITED(status) || WIFSIGNALED(status))
			exit_with_status(status);
	}
}

/* A foreground parent passes its child's end on as a shell would. */
void exit_with_status(int status)
{
	if (WIFSIGNALED(status)) _exit(128 + WTERMSIG(status));
	_exit(WEXITSTATUS(status));
}

/* CLONE mode 2's child: the write end of the pipe its parent waits on. */
static int execd_fd = -1;

/* Mode 2: a child about to exit before its exec says so, so that the parent
 * waits for it and reaps it. End of file alone cannot tell: the pipe closes
 * when a dying process closes its files, a moment before it is a zombie
 * that waitpid(WNOHANG) would see. */
void tell_parent_failed(void)
{
	if (execd_fd >= 0)
		(void)!write(execd_fd, "F", 1);
	execd_fd = -1;
}

void op_clone(const struct step *st)
{
	unsigned long flags = (unsigned long)N(0);
	sigset_t fwdset, old;
	int gate[2], execd[2] = { -1, -1 }, status;
	unsigned k;
	pid_t pid, cloned = 0;

	/* The child must not speak ("sync ...") before the parent has sent
	 * "pid N", or Java would read them out of order: it waits on this
	 * pipe until the parent closes the write end. */
	console_before_clone(N(1) == 1);
	if (pipe2(gate, O_CLOEXEC) < 0) fail(errno, "pipe");
	/* Mode 2: the child holds the write end until its execve closes it
	 * (close-on-exec) or it dies; then the parent knows which. */
	if (N(1) == 2 && pipe2(execd, O_CLOEXEC) < 0) fail(errno, "pipe");
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
		if (execd[0] >= 0) close(execd[0]);
		execd_fd = execd[1];
		/* The parent writes our pid as its namespace sees it, then closes. */
		while (read(gate[0], &cloned, sizeof cloned) < 0 && errno == EINTR)
			;
		pid_outside = cloned;
		close(gate[0]);
		console_after_clone(1);
		return; /* the child goes on with the next step */
	}
	close(gate[0]);
	console_after_clone(0);
	if (send_line(sync_fd, "pid %d", (int)pid) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		fail(err, "sending the pid");
	}
	close(sync_fd); /* the child keeps its copy */
	sync_fd = -1;
	if (agent_fd >= 0) { /* the child hands the agent its listener; the connection must close when it has */
		close(agent_fd);
		agent_fd = -1;
	}
	(void)!write(gate[1], &pid, sizeof pid); /* a short write leaves pid_outside 0: getpid() then */
	close(gate[1]); /* release the child */
	if (N(1) == 0) _exit(0);
	if (N(1) == 2) {
		/* exec --detach: stay until the child has exec'd, so that a child
		 * failing before that is reaped here, not left a zombie for the
		 * caller's subreaper; once it has exec'd it is the subreaper's. */
		char c;
		ssize_t n;

		close(execd[1]);
		while ((n = read(execd[0], &c, 1)) < 0 && errno == EINTR)
			;
		/* "F": it fails and exits; wait for it. End of file: it exec'd
		 * (or a signal killed it), and its exit, however soon, is the
		 * caller's subreaper's to collect: never reaped here. */
		if (n == 1 && TEMP_FAILURE_RETRY(waitpid(pid, &status, 0)) == pid)
			_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		_exit(0);
	}
	if (start_fd >= 0) /* the child owns the start socket */
		close(start_fd);
	start_fd = -1;
	foreground(st, pid, &fwdset);
}

/* Leading a session of one's own keeps a terminal's job control and its
 * signals (the caller's session) away from whoever calls it. */
void op_setsid(const struct step *st)
{
	(void)st;
	if (setsid() < 0) fail(errno, "setsid");
}

void op_sethostname(const struct step *st)
{
	if (sethostname(S(0), LEN(0)) < 0) fail(errno, "hostname %s", S(0));
}

void op_setdomainname(const struct step *st)
{
	if (setdomainname(S(0), LEN(0)) < 0) fail(errno, "domainname %s", S(0));
}

void op_chdir(const struct step *st)
{
	if (chdir(S(0)) < 0) fail(errno, "chdir %s", S(0));
}

void op_setrlimit(const struct step *st)
{
	/* ~0 is RLIM_INFINITY on Linux; spelled out so it stays true. */
	struct rlimit rl = {
		N(1) == UINT64_MAX ? RLIM_INFINITY : (rlim_t)N(1),
		N(2) == UINT64_MAX ? RLIM_INFINITY : (rlim_t)N(2),
	};

	if (setrlimit((int)N(0), &rl) < 0)
		fail(errno, "resource %llu soft %llu hard %llu", ULL(N(0)), ULL(N(1)), ULL(N(2)));
}

void op_setgroups(const struct step *st)
{
	int i;

	for (i = 0; i < st->argc; i++)
		groups[i] = (gid_t)N(i);
	if (setgroups((size_t)st->argc, groups) < 0) fail(errno, "setgroups (%d groups)", st->argc);
}

void op_setresgid(const struct step *st)
{
	gid_t g = (gid_t)N(0);

	if (setresgid(g, g, g) < 0) fail(errno, "gid %u", (unsigned)g);
}

void op_setresuid(const struct step *st)
{
	uid_t u = (uid_t)N(0);

	if (setresuid(u, u, u) < 0) fail(errno, "uid %u", (unsigned)u);
}

void op_umask(const struct step *st)
{
	umask((mode_t)(N(0) & 07777));
}

void op_prctl(const struct step *st)
{
	if (prctl((int)N(0), (unsigned long)N(1), 0UL, 0UL, 0UL) < 0)
		fail(errno, "prctl option %llu arg %llu", ULL(N(0)), ULL(N(1)));
}

/* Drops from the bounding set every capability not in the mask. Needs
 * CAP_SETPCAP, so it runs before the switch to the container's user. The
 * loop ends where the kernel's capabilities end (PR_CAPBSET_READ: EINVAL). */
void op_drop_bounding(const struct step *st)
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
void op_set_caps(const struct step *st)
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

/* A new network namespace starts with lo down; runc brings it up, and so do
 * we: one ioctl, where the namespace is, without the cost of netlink. */
void op_loopback_up(const struct step *st)
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

void op_exec(const struct step *st)
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
void op_lookup(const struct step *st)
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

/* Mark (not close) every fd above the preserved ones close-on-exec: the
 * helper's own fds (sync socket, start listener) stay usable until EXEC,
 * and the container gets nothing of the runtime. The preserved ones
 * (3 .. 3+N-1, taken from the caller at start: preserve_fds) lose their
 * close-on-exec flag. */
void op_close_fds(const struct step *st)
{
	struct rlimit rl;
	struct dirent *de;
	long fd, max = 65536, first = 3 + (long)N(0);
	DIR *d;

	for (fd = 3; fd < first; fd++)
		if (fcntl((int)fd, F_SETFD, 0) < 0) fail(errno, "preserved fd %ld (--preserve-fds %llu)", fd, ULL(N(0)));
	if (syscall(SYS_close_range, (unsigned)first, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
	if (errno != ENOSYS && errno != EINVAL) /* EINVAL: no CLOEXEC flag (< 5.11) */
		fail(errno, "close_range");
	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			fd = strtol(de->d_name, NULL, 10);
			if (fd >= first && fd != dirfd(d) && fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
				fail(errno, "mark fd %ld close-on-exec", fd);
		}
		closedir(d);
		return;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)max)
		max = (long)rl.rlim_cur;
	for (fd = first; fd < max; fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC); /* EBADF for unused fds */
}

/* --preserve-fds: the caller's fds 3 .. 3+count-1 are its parent's (the
 * one-shot JVM or the native client inherited them from the caller, and
 * neither passes more than 0-2 to this helper), so take copies with
 * pidfd_getfd(2) onto the same numbers, before anything of ours is opened.
 * They arrive close-on-exec; CLOSE_FDS clears that at the end. */
void preserve_fds(const char *count_text)
{
	char *end;
	unsigned long count = strtoul(count_text, &end, 10);
	int pidfd, fd, i;

	if (*end || count > 65536) fail(EINVAL, "JRUN_PRESERVE_FDS=%s is not a count", count_text);
	if (count == 0) return;
	if ((pidfd = (int)syscall(SYS_pidfd_open, getppid(), 0)) < 0) fail(errno, "pidfd_open of the parent");
	/* Out of the way of the numbers being filled. */
	if ((fd = fcntl(pidfd, F_DUPFD_CLOEXEC, 3 + (int)count)) < 0) fail(errno, "move the parent's pidfd");
	close(pidfd);
	pidfd = fd;
	for (i = 0; i < (int)count; i++) {
		if ((fd = (int)syscall(SYS_pidfd_getfd, pidfd, 3 + i, 0)) < 0)
			fail(errno, "fd %d of the caller (--preserve-fds %lu): is it open?", 3 + i, count);
		if (fd != 3 + i) {
			if (dup3(fd, 3 + i, O_CLOEXEC) < 0) fail(errno, "dup3 to fd %d", 3 + i);
			close(fd);
		}
	}
	close(pidfd);
}

/* KEYCTL_JOIN_SESSION_KEYRING (linux/keyctl.h): a new, named session keyring
 * for the process and its children. ENOSYS (no keys in this kernel, or a
 * filter refusing keyctl) is not an error, as for runc. */
void op_join_keyring(const struct step *st)
{
	if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, S(0)) < 0 && errno != ENOSYS)
		fail(errno, "keyctl(KEYCTL_JOIN_SESSION_KEYRING, %s)", S(0));
}
