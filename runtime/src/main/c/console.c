/*
 * jrun-init: the container's terminal (process.terminal). The pty is made
 * inside the container, from its own /dev/ptmx (its devpts instance), so it
 * belongs to the container and not to the host; its master goes to whoever
 * serves the terminal:
 *  - a console socket (--console-socket, as runc): CONSOLE_CONNECT connects
 *    while the host's path is reachable, CONSOLE_ATTACH sends the master over
 *    it with SCM_RIGHTS, the data being the bytes "/dev/ptmx" (what runc sends:
 *    the name of the file it opened; conmon and containerd's shim read one
 *    message of fewer than 4096 bytes carrying exactly one descriptor);
 *  - the helper itself, for `jrun run` on the user's own terminal:
 *    CONSOLE_PAIR makes a socket pair before a foreground CLONE; the child
 *    sends the master over its end, and the parent, which waits for the child
 *    anyway, copies the user's terminal to the master and back
 *    (console_proxy) until the child is gone and the master drained.
 * docs/terminal.md describes both; docs/init-protocol.md the steps.
 */
#include "jrun-init.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <termios.h>

#define MASTER_NAME "/dev/ptmx"     /* the data sent beside the descriptor, as runc sends it */
#define ATTACH_DEV_CONSOLE 1ULL     /* CONSOLE_ATTACH flag: bind the slave on /dev/console */

static int console_fd = -1;        /* where CONSOLE_ATTACH sends the master; CLOEXEC */
static int proxy_fd = -1;          /* CONSOLE_PAIR: the foreground parent's end; CLOEXEC */
static struct termios saved_termios;
static int termios_saved;          /* stdin is in raw mode and saved_termios restores it */

void op_console_connect(const struct step *st)
{
	int fd = unix_connect(S(0), LEN(0), "console socket");

	if (console_fd >= 0)
		close(console_fd);
	console_fd = fd;
}

void op_console_pair(const struct step *st)
{
	int pair[2];

	(void)st;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
		fail(errno, "socketpair for the terminal");
	if (console_fd >= 0)
		close(console_fd);
	if (proxy_fd >= 0)
		close(proxy_fd);
	console_fd = pair[0];
	proxy_fd = pair[1];
}

/* Before clone: a detached parent exits at once, so a pair would have
 * nobody to serve it; refused while there is no child yet. */
void console_before_clone(int foreground)
{
	if (proxy_fd >= 0 && !foreground)
		fail(EINVAL, "CONSOLE_PAIR needs a foreground CLONE (mode 1) to serve the terminal");
}

/* After clone: the child keeps the end the master is sent over, the parent
 * the proxy's end (if any). */
void console_after_clone(int child)
{
	if (child) {
		if (proxy_fd >= 0)
			close(proxy_fd);
		proxy_fd = -1;
		return;
	}
	if (console_fd >= 0)
		close(console_fd);
	console_fd = -1;
}

/* /dev/console becomes a bind of the slave. The mount point is made as a
 * file (never following a symlink the rootfs may hold there), an existing
 * one is taken as it is unless it is a directory or a symlink. The slave is
 * cloned from its own descriptor (open_tree on the fd), so the mount is of
 * exactly this pty whatever /dev/pts holds. */
static void bind_dev_console(int slave)
{
	struct stat sb;
	int target, tree;

	target = open("/dev/console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (target >= 0) {
		if (fchmod(target, 0666) < 0) fail(errno, "chmod /dev/console");
		close(target);
	} else if (errno != EEXIST) {
		fail(errno, "create /dev/console, the mount point of the terminal");
	}
	if ((target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		fail(errno, "open /dev/console");
	if (fstat(target, &sb) < 0) fail(errno, "stat /dev/console");
	if (S_ISDIR(sb.st_mode) || S_ISLNK(sb.st_mode))
		fail(EINVAL, "/dev/console is a %s in the container; the terminal can only be bound on a file",
		     S_ISDIR(sb.st_mode) ? "directory" : "symlink");
	if ((tree = (int)syscall(SYS_open_tree, slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH)) < 0)
		fail(errno, "open_tree of the terminal's slave");
	if (syscall(SYS_move_mount, tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		fail(errno, "bind the terminal on /dev/console");
	close(tree);
	close(target);
}

/* One message: the name as data, the master as the only SCM_RIGHTS descriptor. */
static void send_master(int master)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)MASTER_NAME, sizeof MASTER_NAME - 1 };
	struct msghdr msg;
	struct cmsghdr *cmsg;

	memset(&msg, 0, sizeof msg);
	memset(control, 0, sizeof control);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control;
	msg.msg_controllen = sizeof control;
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
	if (TEMP_FAILURE_RETRY(sendmsg(console_fd, &msg, MSG_NOSIGNAL)) < 0)
		fail(errno, "send the terminal's master over the console socket");
}

/* flags, rows, cols, uid: see docs/init-protocol.md. Runs in the container
 * after pivot_root and before the switch to the process's user (it chowns,
 * binds and takes a controlling terminal). */
void op_console_attach(const struct step *st)
{
	int master, slave, unlock = 0, fd;
	unsigned int ptn = 0;
	struct stat sb;

	if (console_fd < 0)
		fail(EBADF, "no console socket to send the terminal to (no CONSOLE_CONNECT or CONSOLE_PAIR before)");
	if ((master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		fail(errno, "open /dev/ptmx in the container (a terminal needs the container's own devpts: "
		     "a mount of type devpts on /dev/pts with newinstance,ptmxmode=0666)");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0) fail(errno, "unlock the new pty");
	if (ioctl(master, TIOCGPTN, &ptn) < 0) fail(errno, "number of the new pty");
	/* The slave through the master, not by its path: exactly this pty. */
	if ((slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		fail(errno, "open the slave of /dev/pts/%u", ptn);
	if (N(1) && N(2)) {
		struct winsize ws = { (unsigned short)N(1), (unsigned short)N(2), 0, 0 };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			fail(errno, "consoleSize %llux%llu on /dev/pts/%u", ULL(N(1)), ULL(N(2)), ptn);
	}
	/* As runc: the process's user owns its terminal (the group stays the
	 * devpts mount's gid=); a uid the kernel cannot apply leaves it as is. */
	if (fstat(slave, &sb) < 0) fail(errno, "stat /dev/pts/%u", ptn);
	if (sb.st_uid != (uid_t)N(3) && fchown(slave, (uid_t)N(3), (gid_t)-1) < 0
	    && errno != EINVAL && errno != EPERM && errno != EROFS)
		fail(errno, "chown /dev/pts/%u to uid %llu", ptn, ULL(N(3)));
	if (N(0) & ATTACH_DEV_CONSOLE)
		bind_dev_console(slave);
	send_master(master);
	close(master);
	close(console_fd);
	console_fd = -1;
	for (fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0) fail(errno, "make /dev/pts/%u the process's fd %d", ptn, fd);
	if (slave > 2)
		close(slave);
	/* The init leads its own session (SETSID after CLONE) and has no
	 * controlling terminal yet: this one becomes it. */
	if (ioctl(0, TIOCSCTTY, 0) < 0) fail(errno, "make /dev/pts/%u the controlling terminal", ptn);
}

/* ---- the foreground proxy (CONSOLE_PAIR) ----------------------------------- */

void restore_terminal(void)
{
	if (termios_saved) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
		termios_saved = 0;
	}
}

/* The child's master, or -1 when the child closed its end without one (it
 * failed before CONSOLE_ATTACH, or the plan had none). */
static int receive_master(void)
{
	char data[4096], control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { data, sizeof data };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	int master = -1;
	ssize_t n;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control;
	msg.msg_controllen = sizeof control;
	if ((n = TEMP_FAILURE_RETRY(recvmsg(proxy_fd, &msg, MSG_CMSG_CLOEXEC))) <= 0)
		return -1;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
		if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS)
			memcpy(&master, CMSG_DATA(cmsg), sizeof(int));
	return master;
}

static void copy_window_size(int master)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws); /* the kernel tells the container (SIGWINCH) */
}

/* Writes all of buf to stdout; -1 when it is gone (EPIPE). Blocking is
 * fine: it is the caller's own output, and the signal handlers still run.
 * EAGAIN: a caller whose stdout is non-blocking; wait until it takes more. */
static int write_out(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = TEMP_FAILURE_RETRY(write(STDOUT_FILENO, buf, len));
		if (n < 0) {
			if (errno == EAGAIN) {
				struct pollfd p = { STDOUT_FILENO, POLLOUT, 0 };
				poll(&p, 1, -1);
				continue;
			}
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copies what the master holds to stdout; 0 once it is empty for now, -1
 * once it can give no more (EIO: no slave is open any more). */
static int drain(int master, int *out_open)
{
	char buf[16384];

	for (;;) {
		ssize_t n = TEMP_FAILURE_RETRY(read(master, buf, sizeof buf));
		if (n < 0 && errno == EAGAIN) return 0;
		if (n <= 0) return -1;
		if (*out_open && write_out(buf, (size_t)n) < 0)
			*out_open = 0; /* nobody reads our stdout: keep emptying the pty so the container never blocks */
	}
}

/* Writes input into the (non-blocking) master. While the pty takes no more,
 * its output is still emptied: a process that writes without reading its
 * input would otherwise wait for us while we wait for it. -1 once the pty
 * is gone. */
static int feed_master(int master, const char *buf, size_t len, int *out_open)
{
	while (len > 0) {
		ssize_t n = TEMP_FAILURE_RETRY(write(master, buf, len));
		if (n >= 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (errno != EAGAIN)
			return -1;
		struct pollfd p = { master, POLLIN | POLLOUT, 0 };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
		if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && drain(master, out_open) < 0)
			return -1;
		if ((p.revents & (POLLHUP | POLLERR)) && !(p.revents & POLLOUT))
			return -1; /* no slave open: nobody will read this input */
	}
	return 0;
}

/* The foreground parent with CONSOLE_PAIR: relays the user's terminal and
 * the container's pty until the child has exited and the pty is drained,
 * then exits with the child's status. Returns (having changed nothing) only
 * if the child sent no master; the caller then just waits for it. */
void console_proxy(pid_t pid)
{
	struct signalfd_siginfo si;
	struct sigaction ign;
	sigset_t mask;
	int master, sfd, in_open = 1, out_open = 1, status = 0, exited = 0;
	char buf[16384];

	if (proxy_fd < 0) return;
	/* SIGCHLD and SIGWINCH are read from a signalfd; a SIGWINCH is the
	 * user's window changing (jrun relays it here), so it resizes the pty
	 * rather than being relayed: the kernel then signals the container. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) fail(errno, "signalfd");
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, NULL); /* a closed stdout is EPIPE, not the end of the proxy */

	/* A SIGCHLD from before the block is lost: look once, by hand. */
	if (waitpid(pid, &status, WNOHANG) == pid)
		exited = 1;
	master = receive_master();
	close(proxy_fd);
	proxy_fd = -1;
	if (master < 0) {
		if (exited)
			exit_with_status(status);
		close(sfd);
		sigprocmask(SIG_UNBLOCK, &mask, NULL);
		return;
	}
	if (fcntl(master, F_SETFL, O_NONBLOCK) < 0) fail(errno, "make the terminal's master non-blocking");
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_termios) == 0) {
		struct termios raw = saved_termios;
		cfmakeraw(&raw);
		/* Saved first: every exit from now on (fail() included) restores it. */
		termios_saved = 1;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0) fail(errno, "put the terminal in raw mode");
		copy_window_size(master);
	}
	while (!exited) {
		struct pollfd p[3] = {
			{ sfd, POLLIN, 0 },
			{ master, POLLIN, 0 },
			{ in_open ? STDIN_FILENO : -1, POLLIN, 0 },
		};
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR) continue; /* a relayed signal */
			fail(errno, "poll on the terminal");
		}
		if (p[0].revents & POLLIN) {
			while (read(sfd, &si, sizeof si) == sizeof si)
				if (si.ssi_signo == SIGWINCH && termios_saved)
					copy_window_size(master);
			if (waitpid(pid, &status, WNOHANG) == pid && (WIFEXITED(status) || WIFSIGNALED(status)))
				exited = 1;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			if (drain(master, &out_open) < 0 && !exited) {
				/* No slave left: the process is gone or closed its
				 * terminal; only the exit is left to wait for. */
				p[1].fd = -1;
			}
		if (in_open && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t n = TEMP_FAILURE_RETRY(read(STDIN_FILENO, buf, sizeof buf));
			/* End of input is not passed on (runc does not either): the
			 * container's terminal stays open until its process ends. */
			if (n <= 0 || feed_master(master, buf, (size_t)n, &out_open) < 0)
				in_open = 0;
		}
		if (p[1].fd < 0 && !exited) {
			/* Only the exit is left: wait for it without spinning on the master. */
			while (!exited) {
				if (TEMP_FAILURE_RETRY(read(sfd, &si, sizeof si)) < 0 && errno == EAGAIN) {
					struct pollfd w = { sfd, POLLIN, 0 };
					poll(&w, 1, -1);
				}
				if (waitpid(pid, &status, WNOHANG) == pid && (WIFEXITED(status) || WIFSIGNALED(status)))
					exited = 1;
			}
		}
	}
	drain(master, &out_open); /* what the process wrote last */
	restore_terminal();
	exit_with_status(status);
}
