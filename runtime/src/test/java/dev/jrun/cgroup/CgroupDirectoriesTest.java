package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is made and removed, on directories in a temporary directory standing for two hierarchies (no cpuset, whose
 * files only the kernel provides; CgroupDirectoriesIT covers those on the real hierarchies).
 */
class CgroupDirectoriesTest {
    @TempDir
    Path root;

    private CgroupDirectories directories(String cgroupsPath) throws Exception {
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("unified"));
        CgroupLayout layout = CgroupLayout.parse("""
                35 31 0:32 / %1$s/memory rw - cgroup cgroup rw,memory
                41 31 0:38 / %1$s/unified rw - cgroup2 cgroup2 rw
                """.formatted(root));
        return new CgroupDirectories(CgroupPaths.resolve(Optional.of(cgroupsPath), "c1", false,
                Membership.parse("4:memory:/\n0::/\n"), layout));
    }

    @Test
    void everyLevelMadeIsRecordedInOrderAndRemovedDeepestFirst() throws Exception {
        CgroupDirectories directories = directories("/pod/c1");
        CreatedCgroups made = directories.create();
        assertEquals(List.of(root.resolve("memory/pod"), root.resolve("memory/pod/c1"), root.resolve("unified/pod"),
                root.resolve("unified/pod/c1")), made.made());
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("memory/pod/c1"))));

        CgroupDirectories.Removal removal = CgroupDirectories.remove(made);
        assertEquals(made.made().reversed(), removal.removed());
        made.made().forEach(dir -> assertFalse(Files.exists(dir), dir.toString()));
        assertTrue(Files.isDirectory(root.resolve("memory")), "the hierarchy's root stays");
    }

    @Test
    void aParentThatExistedIsNeitherRecordedNorRemoved() throws Exception {
        Files.createDirectories(root.resolve("unified/pod"));
        CreatedCgroups made = directories("/pod/c1").create();
        assertEquals(List.of(root.resolve("memory/pod"), root.resolve("memory/pod/c1"), root.resolve("unified/pod/c1")),
                made.made());
        CgroupDirectories.remove(made);
        assertTrue(Files.isDirectory(root.resolve("unified/pod")));
        assertFalse(Files.exists(root.resolve("memory/pod")));
    }

    @Test
    void aParentItMadeThatAnotherContainerNowUsesIsKept() throws Exception {
        CreatedCgroups first = directories("/jrun/c1").create();
        CreatedCgroups second = directories("/jrun/c2").create();
        assertEquals(List.of(root.resolve("memory/jrun/c2"), root.resolve("unified/jrun/c2")), second.made());

        CgroupDirectories.Removal removal = CgroupDirectories.remove(first);
        assertEquals(List.of(root.resolve("unified/jrun"), root.resolve("memory/jrun")), removal.kept());
        assertTrue(Files.isDirectory(root.resolve("memory/jrun/c2")));
    }

    @Test
    void removalPassesOverWhatIsGoneAlready() throws Exception {
        CreatedCgroups made = directories("/pod/c1").create();
        Files.delete(root.resolve("unified/pod/c1"));
        Files.delete(root.resolve("unified/pod"));
        assertEquals(List.of(root.resolve("memory/pod/c1"), root.resolve("memory/pod")),
                CgroupDirectories.remove(made).removed());
        assertEquals(List.of(), CgroupDirectories.remove(made).removed(), "a second delete has nothing to do");
    }

    @Test
    void oneDirectoryThatCannotBeRemovedIsNamedAndTheOthersAreRemoved() throws Exception {
        CreatedCgroups made = directories("/pod/c1").create();
        Path busy = root.resolve("memory/pod/c1");
        Files.writeString(busy.resolve("tasks"), "1"); // stands for a cgroup still holding a process
        JrunException.SystemFailure e = assertThrows(JrunException.SystemFailure.class, () -> CgroupDirectories.remove(made));
        assertTrue(e.getMessage().startsWith("cannot remove all of the container's cgroups: " + busy + ": Directory not empty; "), e.getMessage());
        assertTrue(e.getMessage().contains(root.resolve("memory/pod") + ": left, as it still holds " + busy), e.getMessage());
        assertFalse(Files.exists(root.resolve("unified/pod")), "the other hierarchy's are removed");
        Files.delete(busy.resolve("tasks"));
    }

    @Test
    void aFailedCreateRemovesWhatItMade() throws Exception {
        CgroupDirectories directories = directories("/pod/c1");
        Files.createDirectories(root.resolve("unified/pod"));
        Files.writeString(root.resolve("unified/pod/c1"), ""); // a file where a cgroup should be
        JrunException.SystemFailure e = assertThrows(JrunException.SystemFailure.class, directories::create);
        assertEquals("cannot make the container's cgroups: " + root.resolve("unified/pod/c1")
                + " exists and is not a cgroup directory", e.getMessage());
        assertFalse(Files.exists(root.resolve("memory/pod")), "what this create made is undone");
        assertTrue(Files.isDirectory(root.resolve("unified/pod")), "what was there stays");
    }

    @Test
    void joiningNamesTheCgroupThatRefused() throws Exception {
        CgroupDirectories directories = directories("/pod/c1");
        directories.create();
        JrunException.SystemFailure e = assertThrows(JrunException.SystemFailure.class, () -> directories.join(42));
        assertEquals("cannot place process 42 in the container's cgroup " + root.resolve("memory/pod/c1") + " (memory): "
                + root.resolve("memory/pod/c1/cgroup.procs") + ": No such file or directory", e.getMessage());
    }
}
