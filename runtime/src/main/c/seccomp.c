/*
 * jrun-init: the system call filter and the process attributes the
 * container's program inherits (personality, I/O priority, scheduling).
 * Java compiled the filter (dev.jrun.seccomp); here it is only decoded and
 * loaded, as late as the plan puts it (docs/seccomp.md).
 */
#include "jrun-init.h"
#include <sys/personality.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#ifndef SYS_ioprio_set
#define SYS_ioprio_set __NR_ioprio_set
#endif
#define IOPRIO_WHO_PROCESS 1

enum { ATTR_PERSONALITY = 1, ATTR_IOPRIO = 2, ATTR_SCHEDULER = 3 };

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

int agent_fd = -1;

/* An empty program: connect to the seccomp agent's socket at path now, while
 * the path is the caller's (the planner puts this before CLONE), and keep the
 * connection for the SECCOMP that loads a filter with a listener. */
static void connect_agent(const char *path, size_t len)
{
	int fd = unix_connect(path, len, "seccomp agent's listenerPath");

	if (agent_fd >= 0)
		close(agent_fd);
	agent_fd = fd;
}

/* The container process state (runtime.md) with the listener as SCM_RIGHTS
 * in the first sendmsg; every byte 0x01 of the text (JSON never holds one)
 * stands for this process's pid as the caller sees it. Then both close. */
static void hand_off(int listener, const char *state, size_t len)
{
	char pid[24], *text, *p;
	size_t pidlen, size = 0, off = 0, i;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cmsg;
	ssize_t n;

	if (agent_fd < 0) fail(EBADF, "no connection to the seccomp agent (no SECCOMP step connected to listenerPath)");
	pidlen = (size_t)snprintf(pid, sizeof pid, "%d", (int)(pid_outside ? pid_outside : getpid()));
	for (i = 0; i < len; i++)
		size += state[i] == 0x01 ? pidlen : 1;
	if (!(p = text = malloc(size ? size : 1))) fail(ENOMEM, "the container process state");
	for (i = 0; i < len; i++) {
		if (state[i] == 0x01) {
			memcpy(p, pid, pidlen);
			p += pidlen;
		} else {
			*p++ = state[i];
		}
	}
	memset(&msg, 0, sizeof msg);
	memset(&control, 0, sizeof control);
	iov.iov_base = text;
	iov.iov_len = size;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof control.buf;
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &listener, sizeof listener);
	if ((n = TEMP_FAILURE_RETRY(sendmsg(agent_fd, &msg, MSG_NOSIGNAL))) < 0)
		fail(errno, "send the listener to the seccomp agent");
	for (off = (size_t)n; off < size; off += (size_t)n) /* the descriptor went with the first part */
		if ((n = TEMP_FAILURE_RETRY(send(agent_fd, text + off, size - off, MSG_NOSIGNAL))) < 0)
			fail(errno, "send the container state to the seccomp agent");
	close(agent_fd);
	agent_fd = -1;
	close(listener);
	free(text);
}

/* SECCOMP flags program state: the program is struct sock_filter[] in the
 * host's byte order, two hex digits a byte (a plan string holds no NUL).
 * After the load every system call of this process is filtered: what follows
 * it in the plan must be allowed, which the planner checked (docs/seccomp.md).
 * With SECCOMP_FILTER_FLAG_NEW_LISTENER the kernel returns the listener, which
 * goes to the agent with the state. */
void op_seccomp(const struct step *st)
{
	struct sock_fprog prog;
	unsigned char *bytes;
	size_t len = LEN(1), n, i;
	long ret;

	if (len == 0) {
		connect_agent(S(2), LEN(2));
		return;
	}
	if (len % (2 * sizeof(struct sock_filter)) != 0)
		fail(EINVAL, "a program of %zu hex digits is not whole instructions (16 digits each)", len);
	n = len / (2 * sizeof(struct sock_filter));
	if (n > BPF_MAXINSNS)
		fail(E2BIG, "a program of %zu instructions (the kernel takes %d at most)", n, BPF_MAXINSNS);
	if ((N(0) & SECCOMP_FILTER_FLAG_NEW_LISTENER) && agent_fd < 0)
		fail(EBADF, "a filter with a listener, and no connection to the seccomp agent");
	if (!(bytes = malloc(len / 2))) fail(ENOMEM, "the seccomp program");
	for (i = 0; i < len / 2; i++) {
		int hi = hex_digit(S(1)[2 * i]), lo = hex_digit(S(1)[2 * i + 1]);
		if (hi < 0 || lo < 0) fail(EINVAL, "the program has a non-hex character at %zu", 2 * i);
		bytes[i] = (unsigned char)(hi << 4 | lo);
	}
	prog.len = (unsigned short)n;
	prog.filter = (struct sock_filter *)bytes;
	if ((ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)N(0), &prog)) < 0) {
		int err = errno;
		fail(err, "load the filter (%zu instructions, flags 0x%llx)%s", n, ULL(N(0)),
		     err == EACCES ? ": without no_new_privs the process needs CAP_SYS_ADMIN" :
		     err == EINVAL ? ": a flag this kernel does not know, or a program it refuses" : "");
	}
	free(bytes);
	if (N(0) & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		hand_off((int)ret, S(2), LEN(2));
}

/* PROCESS_ATTR which value*: attributes set on this process that execve
 * keeps. Each needs the values it names (checked here, not trusted). */
void op_process_attr(const struct step *st)
{
	unsigned need = N(0) == ATTR_SCHEDULER ? 8 : 2;

	if (st->argc != need)
		fail(EINVAL, "attribute %llu takes %u values, got %u", ULL(N(0)), need - 1, st->argc - 1);
	switch (N(0)) {
	case ATTR_PERSONALITY:
		if (personality((unsigned long)N(1)) < 0) fail(errno, "personality 0x%llx", ULL(N(1)));
		return;
	case ATTR_IOPRIO:
		if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (int)N(1)) < 0)
			fail(errno, "ioprio_set 0x%llx", ULL(N(1)));
		return;
	case ATTR_SCHEDULER: {
		/* struct sched_attr, SCHED_ATTR_SIZE_VER0 (48 bytes); glibc
		 * before 2.41 has no declaration of it. */
		struct {
			uint32_t size, policy;
			uint64_t flags;
			int32_t nice;
			uint32_t priority;
			uint64_t runtime, deadline, period;
		} attr = {
			48, (uint32_t)N(1), N(2), (int32_t)N(3), (uint32_t)N(4), N(5), N(6), N(7),
		};
		if (syscall(SYS_sched_setattr, 0, &attr, 0U) < 0)
			fail(errno, "sched_setattr policy %llu flags 0x%llx nice %lld priority %llu",
			     ULL(N(1)), ULL(N(2)), (long long)(int32_t)N(3), ULL(N(4)));
		return;
	}
	default:
		fail(EINVAL, "unknown process attribute %llu", ULL(N(0)));
	}
}
