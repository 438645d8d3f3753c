/*
 * jrun-init: tmpcopyup (runc's and crun's mount extension, which podman adds
 * to the tmpfs it mounts for --read-only and --tmpfs): what the image has
 * under a tmpfs's destination is copied into the new tmpfs, owners, modes and
 * times kept, so that the tmpfs starts with the image's files instead of
 * hiding them.
 */
#include "jrun-init.h"

static void copy_entry(int from_dir, int to_dir, const char *name, const char *what);

/* Owner, mode and times of the copy as the original's (mode not for a
 * symlink, whose mode the kernel ignores). */
static void keep_attributes(int to_dir, const char *name, const struct stat *sb, const char *what)
{
	struct timespec times[2] = { sb->st_atim, sb->st_mtim };

	if (fchownat(to_dir, name, sb->st_uid, sb->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		fail(errno, "chown the copy of %s/%s", what, name);
	if (!S_ISLNK(sb->st_mode) && fchmodat(to_dir, name, sb->st_mode & 07777, 0) < 0)
		fail(errno, "chmod the copy of %s/%s", what, name);
	if (utimensat(to_dir, name, times, AT_SYMLINK_NOFOLLOW) < 0)
		fail(errno, "set the times of the copy of %s/%s", what, name);
}

static void copy_file(int from_dir, int to_dir, const char *name, const struct stat *sb, const char *what)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	if ((in = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		fail(errno, "open %s/%s", what, name);
	if ((out = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		fail(errno, "create the copy of %s/%s", what, name);
	while ((n = TEMP_FAILURE_RETRY(read(in, buf, sizeof buf))) > 0) {
		char *p = buf;
		while (n > 0) {
			ssize_t w = TEMP_FAILURE_RETRY(write(out, p, (size_t)n));
			if (w < 0) fail(errno, "write the copy of %s/%s", what, name);
			p += w;
			n -= w;
		}
	}
	if (n < 0) fail(errno, "read %s/%s", what, name);
	close(in);
	close(out);
	(void)sb;
}

/* Every entry of from_dir into to_dir; what names from_dir in errors. */
void copy_tree(int from_dir, int to_dir, const char *what)
{
	struct dirent *de;
	int fd = fcntl(from_dir, F_DUPFD_CLOEXEC, 0);
	DIR *d;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) fail(errno, "read the directory %s", what);
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
		copy_entry(from_dir, to_dir, de->d_name, what);
	}
	if (errno) fail(errno, "read the directory %s", what);
	closedir(d);
}

static void copy_entry(int from_dir, int to_dir, const char *name, const char *what)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct stat sb;
	ssize_t len;
	int sub_from, sub_to;

	if (fstatat(from_dir, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) fail(errno, "stat %s/%s", what, name);
	if (S_ISDIR(sb.st_mode)) {
		if (mkdirat(to_dir, name, 0700) < 0) fail(errno, "mkdir the copy of %s/%s", what, name);
		if ((sub_from = openat(from_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			fail(errno, "open %s/%s", what, name);
		if ((sub_to = openat(to_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			fail(errno, "open the copy of %s/%s", what, name);
		snprintf(path, sizeof path, "%s/%s", what, name);
		copy_tree(sub_from, sub_to, path);
		close(sub_from);
		close(sub_to);
	} else if (S_ISREG(sb.st_mode)) {
		copy_file(from_dir, to_dir, name, &sb, what);
	} else if (S_ISLNK(sb.st_mode)) {
		if ((len = readlinkat(from_dir, name, target, sizeof target - 1)) < 0)
			fail(errno, "readlink %s/%s", what, name);
		target[len] = '\0';
		if (symlinkat(target, to_dir, name) < 0) fail(errno, "symlink the copy of %s/%s", what, name);
	} else if (mknodat(to_dir, name, sb.st_mode, sb.st_rdev) < 0) {
		fail(errno, "mknod the copy of %s/%s", what, name);
	}
	keep_attributes(to_dir, name, &sb, what);
}
