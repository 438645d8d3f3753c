package dev.jrun.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * What the runtime claims in its {@code features} document (features.md), which decides which
 * tests apply. A runtime without a {@code features} command is taken to claim everything, and so is
 * a field it leaves out: features.md says an absent list means "unknown", not "unsupported".
 *
 * @param document the parsed document, or null when the runtime has no {@code features} command
 */
public record Features(JsonNode document) {
    private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:[-+].*)?");
    private static final Map<RuntimeUnderTest, Features> CACHE = new ConcurrentHashMap<>();

    public static Features of(RuntimeUnderTest runtime) {
        return CACHE.computeIfAbsent(runtime.withRoot(null), r -> {
            try {
                RuntimeUnderTest.Result result = r.run("features");
                JsonNode document = result.succeeded() ? new ObjectMapper().readTree(result.out()) : null;
                return new Features(document != null && document.isObject() ? document : null);
            } catch (IOException e) {
                return new Features(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    public boolean supported() {
        return document != null;
    }

    /** linux.namespaces lists this namespace type (or the runtime does not say). */
    public boolean namespace(String type) {
        return listed(document == null ? null : document.path("linux").get("namespaces"), type);
    }

    /** hooks lists this hook kind (or the runtime does not say). */
    public boolean hook(String kind) {
        return listed(document == null ? null : document.get("hooks"), kind);
    }

    /** mountOptions lists this option (or the runtime does not say). */
    public boolean mountOption(String option) {
        return listed(document == null ? null : document.get("mountOptions"), option);
    }

    /** linux.capabilities lists at least one capability (or the runtime does not say). */
    public boolean capabilities() {
        JsonNode list = document == null ? null : document.path("linux").get("capabilities");
        return list == null || list.isNull() || !list.isEmpty();
    }

    /**
     * linux.cgroup claims this cgroup manager ("v1", "v2", "systemd", ...): true, or left out ("unknown", not
     * "unsupported"). runc 1.1.5 claims v1, v2, systemd and systemdUser, and leaves rdma out.
     */
    public boolean cgroup(String manager) {
        JsonNode claim = document == null ? null : document.path("linux").path("cgroup").get(manager);
        return claim == null || claim.isNull() || claim.asBoolean();
    }

    /** linux.seccomp.enabled is true (or the runtime does not say). */
    public boolean seccomp() {
        JsonNode enabled = document == null ? null : document.path("linux").path("seccomp").get("enabled");
        return enabled == null || enabled.isNull() || enabled.asBoolean();
    }

    /** linux.seccomp.actions lists this action (or the runtime does not say). */
    public boolean seccompAction(String action) {
        return listed(document == null ? null : document.path("linux").path("seccomp").get("actions"), action);
    }

    /** ociVersionMax is at least this spec version (or the runtime does not say). */
    public boolean specAtLeast(String version) {
        String max = document == null ? "" : document.path("ociVersionMax").asText("");
        return !SEMVER.matcher(max).matches() || compareVersions(max, version) >= 0;
    }

    public String ociVersionMax() {
        return document == null ? "unknown" : document.path("ociVersionMax").asText("unknown");
    }


    private static boolean listed(JsonNode list, String value) {
        if (list == null || list.isNull()) {
            return true;
        }
        return StreamSupport.stream(list.spliterator(), false).anyMatch(v -> v.asText().equals(value));
    }

    /** Compares two SemVer strings by major, minor and patch (a pre-release suffix is ignored). */
    static int compareVersions(String a, String b) {
        Matcher x = SEMVER.matcher(a);
        Matcher y = SEMVER.matcher(b);
        if (!x.matches() || !y.matches()) {
            throw new IllegalArgumentException("not SemVer: " + a + ", " + b);
        }
        for (int i = 1; i <= 3; i++) {
            int c = Integer.compare(Integer.parseInt(x.group(i)), Integer.parseInt(y.group(i)));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static boolean isSemVer(String version) {
        return SEMVER.matcher(version).matches();
    }
}
