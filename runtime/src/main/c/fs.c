/*
 * jrun-init: the steps that make paths, mounts and files. Under ROOT_SCOPE
 * every path below the rootfs is resolved by the kernel inside it.
 */
#include "jrun-init.h"

static char scratch[PATH_MAX];    /* MKDIRS cuts its path here */
static int root_fd = -1;          /* ROOT_SCOPE: the rootfs, resolved with RESOLVE_IN_ROOT */
static char root_path[PATH_MAX];
static size_t root_len;
static int trees[MAX_TREES];      /* CLONE_TREE's detached mounts, by slot; CLOEXEC */
static int tree_count;

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

void op_root_scope(const struct step *st)
{
	if (root_fd >= 0) close(root_fd);
	root_fd = -1;
	if (!*S(0)) return;
	if (LEN(0) >= sizeof root_path) fail(ENAMETOOLONG, "%s", S(0));
	memcpy(root_path, S(0), LEN(0) + 1);
	root_len = LEN(0);
	if ((root_fd = open(S(0), O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) fail(errno, "open the rootfs %s", S(0));
}

void op_mount(const struct step *st)
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

/* COPY_UP: MOUNT's arguments; the directory under the target is opened
 * before the mount hides it, then its contents are copied into the new mount
 * (tmpcopyup: copyup.c), and the new root gets the directory's owner and
 * mode. The target must lie inside the ROOT_SCOPE. */
void op_copy_up(const struct step *st)
{
	const char *tgt = S(1), *rel = in_root(tgt);
	char via[64];
	struct stat sb;
	int under, mounted;

	if (!rel) fail(EINVAL, "%s is not inside the rootfs scope", tgt);
	if ((under = open_in_root(rel, O_RDONLY | O_DIRECTORY)) < 0) fail(errno, "open %s inside the rootfs", tgt);
	if (fstat(under, &sb) < 0) fail(errno, "stat %s", tgt);
	snprintf(via, sizeof via, "/proc/self/fd/%d", under);
	if (mount(NUL_IF_EMPTY(S(0)), via, NUL_IF_EMPTY(S(2)), (unsigned long)N(3), NUL_IF_EMPTY(S(4))) < 0)
		fail(errno, "%s on %s (type %s)", *S(0) ? S(0) : "none", tgt, S(2));
	if ((mounted = open_in_root(rel, O_RDONLY | O_DIRECTORY)) < 0) fail(errno, "open the new mount on %s", tgt);
	copy_tree(under, mounted, tgt);
	if (fchown(mounted, sb.st_uid, sb.st_gid) < 0 || fchmod(mounted, sb.st_mode & 07777) < 0)
		fail(errno, "owner and mode of the new mount on %s", tgt);
	close(under);
	close(mounted);
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

void op_mkdirs(const struct step *st)
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

void op_pivot_root(const struct step *st)
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

void op_move_root(const struct step *st)
{
	if (chdir(S(0)) < 0) fail(errno, "chdir %s", S(0));
	if (mount(S(0), "/", NULL, MS_MOVE, NULL) < 0) fail(errno, "move %s to /", S(0));
	if (chroot(".") < 0) fail(errno, "chroot %s", S(0));
	if (chdir("/") < 0) fail(errno, "chdir /");
}

/* CHROOT: the container shares the runtime's mount namespace (the spec asks
 * for none), where pivot_root or MS_MOVE would change the root of every
 * process in it. The path may be /proc/PID/root (exec): chdir follows that
 * link to the init's own root, so "." is the container's root either way. */
void op_chroot(const struct step *st)
{
	if (chdir(S(0)) < 0) fail(errno, "chdir %s", S(0));
	if (chroot(".") < 0) fail(errno, "chroot %s", S(0));
	if (chdir("/") < 0) fail(errno, "chdir / after chroot %s", S(0));
}

void op_symlink(const struct step *st)
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

void op_mknod(const struct step *st)
{
	const char *rel = in_root(S(0)), *name = S(0);
	int parent = AT_FDCWD;

	if (rel) parent = open_parent_in_root(S(0), rel, &name);
	if (mknodat(parent, name, (mode_t)N(1), makedev((unsigned)N(2), (unsigned)N(3))) < 0)
		fail(errno, "mknod %s (mode 0%llo, %llu:%llu)", S(0), ULL(N(1)), ULL(N(2)), ULL(N(3)));
	if (parent != AT_FDCWD) close(parent);
}

/* A mount point for binding a file: created if missing, never truncated. */
void op_create_file(const struct step *st)
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
void op_mask_path(const struct step *st)
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

/* statvfs reports a mount's flags as ST_*; mount(2) takes MS_*. Most share
 * their values, but ST_RELATIME (4096) is MS_BIND's: translate each. */
static unsigned long mount_flags_of(unsigned long st)
{
	return (st & ST_NOSUID ? MS_NOSUID : 0) | (st & ST_NODEV ? MS_NODEV : 0) |
	       (st & ST_NOEXEC ? MS_NOEXEC : 0) | (st & ST_NOATIME ? MS_NOATIME : 0) |
	       (st & ST_NODIRATIME ? MS_NODIRATIME : 0) | (st & ST_RELATIME ? MS_RELATIME : 0);
}

/* readonlyPaths: bind the path onto itself, then remount it read-only,
 * repeating those of the path's current mount flags the plan says to keep
 * (Java decides which: the ones the kernel locks in a user namespace). */
void op_readonly_path(const struct step *st)
{
	struct statvfs vfs;
	unsigned long keep;

	if (mount(S(0), S(0), NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT) return;
		fail(errno, "bind %s onto itself", S(0));
	}
	if (statvfs(S(0), &vfs) < 0) fail(errno, "statvfs %s", S(0));
	keep = mount_flags_of(vfs.f_flag) & (unsigned long)N(1);
	if (mount(S(0), S(0), NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | keep, NULL) < 0)
		fail(errno, "remount %s read-only", S(0));
}

/* A detached copy of a mount (tree), made while its source is still a peer
 * of the host's mount: the copy joins that peer group, so mounts made under
 * it later propagate both ways. Made before the plan turns / into a slave,
 * attached with ATTACH_TREE where the spec puts it. */
void op_clone_tree(const struct step *st)
{
	unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (N(1) ? AT_RECURSIVE : 0);
	int fd;

	if (tree_count >= MAX_TREES) fail(E2BIG, "more than %d cloned mounts", MAX_TREES);
	if ((fd = (int)syscall(SYS_open_tree, AT_FDCWD, S(0), flags)) < 0)
		fail(errno, "clone the mount at %s", S(0));
	trees[tree_count++] = fd;
}

void op_attach_tree(const struct step *st)
{
	const char *rel = in_root(S(1));
	int to = AT_FDCWD, err, fresh;
	unsigned int flags = MOVE_MOUNT_F_EMPTY_PATH;

	if (N(0) >= (uint64_t)tree_count) fail(EINVAL, "no cloned mount %llu", ULL(N(0)));
	/* The clone was made before the root was set up, so its mount ids come
	 * before /'s and /proc/self/mountinfo (sorted by id since Linux 6.8)
	 * would list it out of the spec's order. A fresh clone of the detached
	 * clone (a peer of it, so still of the host's mount) gets new ids, where
	 * the kernel allows cloning a detached tree (6.15 and later); elsewhere
	 * the first clone is attached. */
	fresh = (int)syscall(SYS_open_tree, trees[N(0)], "",
			     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (fresh >= 0) {
		close(trees[N(0)]);
		trees[N(0)] = fresh;
	}
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
void op_chown(const struct step *st)
{
	const char *rel = in_root(S(0)), *name = S(0);
	int parent = AT_FDCWD;

	if (rel) parent = open_parent_in_root(S(0), rel, &name);
	if (fchownat(parent, name, (uid_t)N(1), (gid_t)N(2), AT_SYMLINK_NOFOLLOW) < 0)
		fail(errno, "chown %s to %llu:%llu", S(0), ULL(N(1)), ULL(N(2)));
	if (parent != AT_FDCWD) close(parent);
}

/* One write() of the whole content: uid_map, gid_map, setgroups and
 * timens_offsets take exactly one write per open. As the doc says: no
 * O_CREAT, no O_TRUNC (these are kernel files). */
void op_write_file(const struct step *st)
{
	ssize_t n;
	int fd = open(S(0), O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) fail(errno, "open %s", S(0));
	if ((n = TEMP_FAILURE_RETRY(write(fd, S(1), LEN(1)))) < 0) fail(errno, "write %s", S(0));
	if ((size_t)n != LEN(1))
		fail(EIO, "write %s: short write (%zd of %u bytes)", S(0), n, LEN(1));
	if (close(fd) < 0) fail(errno, "close %s", S(0));
}
