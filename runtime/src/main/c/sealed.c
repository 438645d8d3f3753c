/*
 * jrun-init runs only from a sealed, anonymous copy of itself
 * (docs/security.md, "The helper binary").
 *
 * Everything jrun-init does happens near a container: it enters the
 * container's namespaces, and the init waits there as jrun-init until `start`.
 * Any process that can see it could open /proc/PID/exe, and once that process
 * had exited (ETXTBSY guards a file only while something executes it) reopen
 * the file for writing and replace the host's jrun-init (CVE-2019-5736). So
 * the first thing main() does, before it reads anything or enters any
 * namespace, is copy itself into a memfd, seal the copy against any change,
 * and exec that: /proc/PID/exe then names a file that lives only in this
 * process tree's memory, that no write can alter (F_SEAL_WRITE: EPERM), and
 * whose reopening reaches the copy, never the host's file.
 *
 * Nothing on disk is touched, so this costs one copy of the binary per helper
 * (docs/benchmarks.md, "The sealed helper"). Building with -DJRUN_INIT_UNSEALED
 * leaves it out; that build exists only for that measurement.
 */
#include "jrun-init.h"
#include <sys/mman.h>
#include <sys/sendfile.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* Linux 6.3: executable even where vm.memfd_noexec=1 makes memfds noexec by default */
#endif

#ifdef JRUN_INIT_UNSEALED

void run_sealed(char **argv)
{
	(void)argv;
}

#else

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* Which file we run, told by its seals rather than by a name or an
 * environment marker, which anyone could fake: only a memfd carries seals,
 * and one with all of SEALS can no longer change. */
static int running_sealed(int self)
{
	int seals = fcntl(self, F_GET_SEALS);

	return seals >= 0 && (seals & SEALS) == SEALS;
}

static int sealable_memfd(void)
{
	int fd = (int)syscall(SYS_memfd_create, "jrun-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	/* Kernels before 6.3 do not know MFD_EXEC (EINVAL); there every memfd is executable. */
	if (fd < 0 && errno == EINVAL)
		fd = (int)syscall(SYS_memfd_create, "jrun-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd;
}

void run_sealed(char **argv)
{
	extern char **environ;
	struct stat st;
	off_t copied = 0;
	int self, copy;

	if ((self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0)
		fail(errno, "open /proc/self/exe to copy jrun-init into a sealed memfd (is /proc mounted?)");
	if (running_sealed(self)) {
		close(self);
		return;
	}
	if (fstat(self, &st) < 0) fail(errno, "fstat /proc/self/exe");
	if ((copy = sealable_memfd()) < 0)
		fail(errno, "memfd_create for jrun-init's sealed copy (vm.memfd_noexec=2 forbids executable memfds)");
	while (copied < st.st_size) {
		ssize_t n = sendfile(copy, self, NULL, (size_t)(st.st_size - copied));
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) fail(n < 0 ? errno : EIO, "copy /proc/self/exe into the memfd (%lld of %lld bytes)",
				 (long long)copied, (long long)st.st_size);
		copied += n;
	}
	close(self);
	if (fcntl(copy, F_ADD_SEALS, SEALS) < 0) fail(errno, "seal jrun-init's memfd");
	/* execveat rather than glibc's fexecve, which may fall back to /proc/self/fd/N. */
	syscall(SYS_execveat, copy, "", argv, environ, AT_EMPTY_PATH);
	fail(errno, "execveat jrun-init's sealed memfd");
}

#endif
