package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where create puts a container's init, through the real CLI: its /proc/PID/cgroup names the container's cgroup in
 * every hierarchy (each v1 one and the v2 line), for each form of linux.cgroupsPath; state.json records the
 * directories and what was made; delete removes what was made.
 */
class CgroupPlacementIT extends CgroupContainerTest {
    @Test
    void withoutCgroupsPathTheInitIsInJrunIdInEveryHierarchy() throws Exception {
        String id = freshId();
        cgroups.removeAfter("/jrun/" + id);
        long pid = create(spec(id, "true", "", false));

        Map<String, String> placed = HostCgroups.of(pid);
        assertEquals(HostCgroups.of(ProcessHandle.current().pid()).keySet(), placed.keySet(), "a line per hierarchy, v1 and v2");
        assertTrue(placed.containsKey("unified"), "the v2 line: " + placed);
        placed.forEach((hierarchy, path) -> assertEquals("/jrun/" + id, path, hierarchy));
        assertTrue(HostCgroups.existsEverywhere("/jrun/" + id));

        JsonNode recorded = recorded(id).get("cgroups");
        List<String> directories = new ArrayList<>();
        recorded.get("directories").forEach(d -> directories.add(d.get("path").asText()));
        assertEquals(HostCgroups.directories("/jrun/" + id).stream().map(Path::toString).sorted().toList(), directories.stream().sorted().toList());
        List<String> made = new ArrayList<>();
        recorded.get("made").forEach(m -> made.add(m.asText()));
        assertTrue(made.containsAll(directories), "every leaf was made: " + made);

        delete(id);
        assertFalse(HostCgroups.existsAnywhere("/jrun/" + id), "delete removes the container's cgroups");
    }

    @Test
    void anAbsolutePathIsTakenFromTheRootOfEachHierarchyAndEveryLevelMadeGoesOnDelete() throws Exception {
        String id = freshId();
        String top = "/" + HostCgroups.unique("jrun-it-");
        cgroups.removeAfter(top, top + "/c1");
        long pid = create(spec(id, "true", "cgroupsPath: " + top + "/c1\n", false));

        HostCgroups.of(pid).forEach((hierarchy, path) -> assertEquals(top + "/c1", path, hierarchy));

        delete(id);
        assertFalse(HostCgroups.existsAnywhere(top + "/c1"));
        assertFalse(HostCgroups.existsAnywhere(top), "the parent create made goes too");
    }

    /**
     * A relative path starts from the cgroup of the process that ran jrun (runc: its own), in both modes: through the
     * warm server that is the client's, never the server's. The caller here is a shell the test first moves into a
     * cgroup of the test's own in every hierarchy, then replaces with jrun.
     */
    @Test
    void aRelativePathIsTakenFromTheCallersCgroup() throws Exception {
        String id = freshId();
        String caller = "/" + HostCgroups.unique("jrun-it-caller-");
        cgroups.make(caller);
        cgroups.removeAfter(caller + "/c1");
        StringBuilder join = new StringBuilder();
        for (Path directory : HostCgroups.directories(caller)) {
            join.append("d=").append(directory).append("; if [ -f $d/cpuset.cpus ]; then cat $d/../cpuset.cpus > $d/cpuset.cpus;"
                    + " cat $d/../cpuset.mems > $d/cpuset.mems; fi; echo $$ > $d/cgroup.procs || exit 99; ");
        }
        Path spec = spec(id, "true", "cgroupsPath: c1\n", false);
        var create = dev.jrun.testing.Command.of("sh", "-c", join + "exec \"$0\" --root \"$1\" create \"$2\"",
                jrun().executable().toString(), stateRoot.toString(), spec.toString()).run(HostCgroups.LONG);
        assertEquals(0, create.code(), create.err());
        long pid = jrun().run("state", id).json().get("pid").asLong();

        Map<String, String> placed = HostCgroups.of(pid);
        placed.forEach((hierarchy, path) -> assertEquals(caller + "/c1", path, hierarchy + ": " + placed));

        delete(id);
        assertFalse(HostCgroups.existsAnywhere(caller + "/c1"));
        assertTrue(HostCgroups.existsEverywhere(caller), "the caller's own cgroup stays");
    }

    @Test
    void aSystemdCgroupsPathIsTheScopeInItsSlice() throws Exception {
        String id = freshId();
        assertPlacedInScopeAndRemoved(id, "cgroupsPath: system.slice:jrun:" + id + "\n");
    }

    @Test
    void underSystemdCgroupWithoutAPathTheScopeIsJrunIdInSystemSlice() throws Exception {
        assertPlacedInScopeAndRemoved(freshId(), "");
    }

    /** Under --systemd-cgroup: the init in /system.slice/jrun-ID.scope, which delete removes. */
    private void assertPlacedInScopeAndRemoved(String id, String linuxLines) throws Exception {
        String scope = "/system.slice/jrun-" + id + ".scope";
        cgroups.removeAfterIfMadeAndEmpty("/system.slice");
        cgroups.removeAfter(scope);
        long pid = create(spec(id, "true", linuxLines, false), "--systemd-cgroup");

        HostCgroups.of(pid).forEach((hierarchy, path) -> assertEquals(scope, path, hierarchy));
        delete(id);
        assertFalse(HostCgroups.existsAnywhere(scope));
    }

    @Test
    void oneShotPlacesTheInitTheSameWay() throws Exception {
        String id = freshId();
        String top = "/" + HostCgroups.unique("jrun-it-");
        cgroups.removeAfter(top, top + "/c1");
        long pid = create(spec(id, "true", "cgroupsPath: " + top + "/c1\n", false), "--no-server");

        HostCgroups.of(pid).forEach((hierarchy, path) -> assertEquals(top + "/c1", path, hierarchy));
        JrunProcess.Result delete = jrun().run("--no-server", "delete", "--force", id);
        assertEquals(0, delete.code(), delete.err());
        assertFalse(HostCgroups.existsAnywhere(top));
    }

    @Test
    void theContainersCgroupfsShowsItsOwnCgroupsAsTheRootAndNoOtherContainers() throws Exception {
        String other = freshId();
        cgroups.removeAfter("/jrun/" + other);
        create(spec(other, "true", "", false));
        String id = freshId();
        cgroups.removeAfter("/jrun/" + id);

        // One line: the spec quotes the script in YAML single quotes, which fold newlines into spaces.
        JrunProcess.Result run = jrun().run("run", spec(id, "for h in /sys/fs/cgroup/*; do echo \"$h: $(find $h -mindepth 1 -type d | wc -l) cgroups\"; done; "
                + "n=0; while read -r p; do n=$((n + 1)); done < /sys/fs/cgroup/memory/cgroup.procs; echo $n; "
                + "grep ' /sys/fs/cgroup/' /proc/self/mountinfo | cut -d' ' -f4,5", "", true).toString());

        assertEquals(0, run.code(), run.err());
        assertFalse(run.out().contains(other), "another container's cgroup is not visible: " + run.out());
        List<String> lines = run.out().lines().toList();
        List<String> hierarchies = HostCgroups.mounts().stream().map(m -> m.mountPoint().toString()).sorted().toList();
        assertEquals(hierarchies.stream().map(h -> h + ": 0 cgroups").toList(), lines.subList(0, hierarchies.size()),
                "each hierarchy shows the container's cgroup as its root, with nothing below it: " + run.out());
        assertEquals("1", lines.get(hierarchies.size()), "the container's memory cgroup holds its one process");
        for (String bind : lines.subList(hierarchies.size() + 1, lines.size())) {
            assertEquals("/jrun/" + id, bind.split(" ")[0], "a bind of the container's own cgroup: " + bind);
        }
        assertEquals(hierarchies.size(), lines.size() - hierarchies.size() - 1, "one bind per hierarchy: " + run.out());
    }

    @Test
    void withUserAndCgroupNamespacesTheContainerSeesItsCgroupAsTheRoot() throws Exception {
        String id = freshId();
        cgroups.removeAfter("/jrun/" + id);
        String linux = """
                linux:
                  namespaces: [{type: user}, {type: cgroup}, {type: pid}, {type: mount}, {type: uts}, {type: ipc}, {type: network}]
                  uidMappings: [{containerID: 0, hostID: 100000, size: 65536}]
                  gidMappings: [{containerID: 0, hostID: 100000, size: 65536}]
                """;
        JrunProcess.Result run = jrun().run("run", spec(id, "cut -d: -f3 /proc/self/cgroup | sort -u; cat /sys/fs/cgroup/memory/memory.limit_in_bytes",
                "resources: {memory: {limit: 33554432}}\n", true, linux).toString());

        assertEquals(0, run.code(), run.err());
        assertEquals("/\n33554432\n", run.out(), "every hierarchy shows / in the cgroup namespace, and the limit is readable");
        assertFalse(HostCgroups.existsAnywhere("/jrun/" + id));
    }

    @Test
    void theStateRootNamesTheContainersProcessesWhileItExists() throws Exception {
        // The check the failure tests rely on to say "no process is left" must see a created container's.
        String id = freshId();
        cgroups.removeAfter("/jrun/" + id);
        long pid = create(spec(id, "true", "", false));
        assertTrue(HostCgroups.processesOf(stateRoot).contains(pid), HostCgroups.processesOf(stateRoot) + " holds " + pid);
        delete(id);
        assertEquals(List.of(), HostCgroups.processesOf(stateRoot));
        assertTrue(Files.notExists(stateRoot.resolve(id)));
    }
}
