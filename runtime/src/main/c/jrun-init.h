/*
 * jrun-init's shared declarations: the plan in memory, the opcodes, the
 * reporting functions every step uses, and the steps that live outside
 * jrun-init.c (fs.c: paths, mounts and files; process.c: namespaces, the
 * clone, credentials, limits and the exec). See jrun-init.c first.
 */
#ifndef JRUN_INIT_H
#define JRUN_INIT_H

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
#define PLAN_VERSION 4
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
	OP_SECCOMP = 38,
	OP_PROCESS_ATTR = 39,
	OP_CONSOLE_CONNECT = 40,
	OP_CONSOLE_ATTACH = 41,
	OP_CONSOLE_PAIR = 42,
	OP_OPEN_NS = 43,
	OP_ENTER_NS = 44,
	OP_CHROOT = 45,
	OP_JOIN_KEYRING = 46,
	OP_NOTE_PID = 47,
	OP_RUN_HOOK = 48,
	OP_COPY_UP = 49,
	OP_COUNT
};

/* ---- shared process state (defined in jrun-init.c) --------------------- */

extern int sync_fd;               /* the connection to Java; CLOEXEC */
extern int start_fd;              /* LISTEN_START's listener; CLOEXEC */
int start_conn_fd(void);          /* AWAIT_START's connection, or -1 */
extern int agent_fd;              /* SECCOMP's connection to the seccomp agent; CLOEXEC */
extern pid_t pid_outside;         /* after CLONE: this process's pid in the caller's pid namespace; else 0 */

/* ---- reporting (jrun-init.c) ------------------------------------------- */

int send_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fail(int err, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

/* ---- the sealed copy (sealed.c) ---------------------------------------- */

/* Returns only when already running from a sealed memfd; else re-execs into one. */
void run_sealed(char **argv);

/* ---- argument access inside a step ------------------------------------- */

#define S(i) (st->args[i].s)
#define N(i) (st->args[i].n)
#define LEN(i) (st->args[i].len)
#define ULL(x) ((unsigned long long)(x))
#define NUL_IF_EMPTY(s) (*(s) ? (s) : NULL)

/* ---- the steps outside jrun-init.c -------------------------------------- */

/* fs.c */
void op_root_scope(const struct step *st);
void op_open_ns(const struct step *st);
void op_enter_ns(const struct step *st);
void op_join_keyring(const struct step *st);
void op_copy_up(const struct step *st);
void unix_address(struct sockaddr_un *sa, const char *path, size_t len, const char *what);
int unix_connect(const char *path, size_t len, const char *what);
void tell_parent_failed(void);
void copy_tree(int from_dir, int to_dir, const char *what);
void preserve_fds(const char *count_text);
void op_mount(const struct step *st);
void op_mkdirs(const struct step *st);
void op_pivot_root(const struct step *st);
void op_move_root(const struct step *st);
void op_chroot(const struct step *st);
void op_symlink(const struct step *st);
void op_mknod(const struct step *st);
void op_create_file(const struct step *st);
void op_mask_path(const struct step *st);
void op_readonly_path(const struct step *st);
void op_clone_tree(const struct step *st);
void op_attach_tree(const struct step *st);
void op_chown(const struct step *st);
void op_write_file(const struct step *st);

/* process.c */
void op_unshare(const struct step *st);
void op_clone(const struct step *st);
void op_setsid(const struct step *st);
void op_sethostname(const struct step *st);
void op_setdomainname(const struct step *st);
void op_chdir(const struct step *st);
void op_setrlimit(const struct step *st);
void op_setgroups(const struct step *st);
void op_setresgid(const struct step *st);
void op_setresuid(const struct step *st);
void op_umask(const struct step *st);
void op_prctl(const struct step *st);
void op_drop_bounding(const struct step *st);
void op_set_caps(const struct step *st);
void op_loopback_up(const struct step *st);
void op_exec(const struct step *st);
void op_lookup(const struct step *st);
void op_close_fds(const struct step *st);
void exit_with_status(int status) __attribute__((noreturn));

/* console.c */
void op_console_connect(const struct step *st);
void op_console_attach(const struct step *st);
void op_console_pair(const struct step *st);
void console_before_clone(int foreground);
void console_after_clone(int child);
void console_proxy(pid_t pid);
void restore_terminal(void);

/* hooks.c */
void op_note_pid(const struct step *st);
void op_run_hook(const struct step *st);

/* seccomp.c */
void op_seccomp(const struct step *st);
void op_process_attr(const struct step *st);

#endif
