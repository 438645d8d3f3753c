package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.source.SourceDocument;
import dev.jrun.spec.source.SpecFormat;
import dev.jrun.spec.source.SpecReadException;
import dev.jrun.spec.source.SpecReader;
import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The container's spec with the exec'd process in place of its own, checked by the same schema and checks as a
 * create's spec. Only problems of /process count: the rest was checked at create, and what changed on the host
 * since (a bind source removed) is not the new process's concern.
 */
final class ExecSpec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExecSpec() {}

    static Spec of(JsonNode containerSpec, ExecProcess source, Path bundle, Path cwd, PrintWriter warnings) throws JrunException {
        ObjectNode document = containerSpec.deepCopy();
        String name;
        switch (source) {
            case ExecProcess.FromFile file -> {
                Path path = cwd.resolve(file.file());
                name = path + " (--process, checked as the spec's /process)";
                document.set("process", readProcess(path));
            }
            case ExecProcess.FromCommandLine commandLine -> {
                name = "the exec'd process (the container's process with the command line's changes, checked as /process)";
                document.set("process", merge(document.path("process"), commandLine));
            }
        }
        SourceDocument merged;
        try {
            merged = new SpecReader().parse(Path.of("exec.json"), name, SpecFormat.JSON, JSON.writeValueAsString(document));
        } catch (SpecReadException | IOException e) {
            throw new JrunException.SystemFailure("cannot assemble the exec'd process: " + e.getMessage(), e);
        }
        ValidationReport report = new SpecValidator().validate(merged, bundle);
        // Positions in the assembled document would point nowhere the user can look: the pointer says where.
        List<Problem> own = report.problems().stream().filter(p -> p.pointer().startsWith("/process"))
                .map(p -> p.locatedAt(name, null)).toList();
        List<Problem> errors = own.stream().filter(Problem::isError).toList();
        if (!errors.isEmpty() || report.spec() == null) {
            String problems = (errors.isEmpty() ? report.errors() : errors).stream().map(Problem::render)
                    .collect(Collectors.joining("\n"));
            throw new JrunException.InvalidSpec(problems, false);
        }
        own.stream().filter(p -> !p.isError()).forEach(p -> warnings.println("jrun: warning: " + p.render()));
        warnings.flush();
        return report.spec();
    }

    private static JsonNode readProcess(Path file) throws JrunException {
        try {
            JsonNode process = JSON.readTree(file.toFile());
            if (process == null || !process.isObject()) {
                throw new JrunException.InvalidInput("--process " + file + ": expected a JSON object (an OCI process: args, cwd, user, env, …)");
            }
            return process;
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new JrunException.InvalidInput("--process " + file + ": no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JrunException.InvalidInput("--process " + file + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new JrunException.InvalidInput("--process " + file + ": cannot read it: " + e.getMessage());
        }
    }

    /** runc's changes to the container's process for `exec ID CMD ARGS…`. */
    static ObjectNode merge(JsonNode base, ExecProcess.FromCommandLine changes) throws JrunException {
        ObjectNode process = base.isObject() ? ((ObjectNode) base).deepCopy() : JSON.createObjectNode();
        ArrayNode args = process.putArray("args");
        changes.args().forEach(args::add);
        Map<String, String> env = new LinkedHashMap<>();
        process.path("env").forEach(e -> put(env, e.asText()));
        changes.env().forEach(e -> put(env, e));
        ArrayNode envArray = process.putArray("env");
        env.forEach((key, value) -> envArray.add(value));
        if (changes.cwd() != null) {
            process.put("cwd", changes.cwd());
        }
        ObjectNode user = process.has("user") && process.get("user").isObject() ? (ObjectNode) process.get("user") : process.putObject("user");
        if (changes.user() != null) {
            String[] ids = changes.user().split(":", 2);
            user.put("uid", parseId(ids[0], changes.user()));
            if (ids.length > 1) {
                user.put("gid", parseId(ids[1], changes.user()));
            }
            user.putIfAbsent("gid", JSON.getNodeFactory().numberNode(0));
        }
        if (!changes.additionalGids().isEmpty()) {
            ArrayNode gids = user.has("additionalGids") ? (ArrayNode) user.get("additionalGids") : user.putArray("additionalGids");
            changes.additionalGids().forEach(gids::add);
        }
        if (!changes.capabilities().isEmpty()) {
            ObjectNode caps = process.has("capabilities") && process.get("capabilities").isObject()
                    ? (ObjectNode) process.get("capabilities") : process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ArrayNode list = caps.has(set) ? (ArrayNode) caps.get(set) : caps.putArray(set);
                for (String cap : changes.capabilities()) {
                    String name = cap.toUpperCase(java.util.Locale.ROOT).startsWith("CAP_") ? cap.toUpperCase(java.util.Locale.ROOT)
                            : "CAP_" + cap.toUpperCase(java.util.Locale.ROOT);
                    boolean present = false;
                    for (JsonNode existing : list) {
                        present |= existing.asText().equals(name);
                    }
                    if (!present) {
                        list.add(name);
                    }
                }
            }
        }
        if (changes.noNewPrivileges() != null) {
            process.put("noNewPrivileges", changes.noNewPrivileges());
        }
        process.put("terminal", changes.terminal());
        process.remove("consoleSize");
        if (changes.apparmorProfile() != null) {
            process.put("apparmorProfile", changes.apparmorProfile());
        }
        if (changes.selinuxLabel() != null) {
            process.put("selinuxLabel", changes.selinuxLabel());
        }
        return process;
    }

    /** NAME=value by NAME; a later one replaces the value, keeping the place of the first. */
    private static void put(Map<String, String> env, String entry) {
        int equals = entry.indexOf('=');
        env.put(equals < 0 ? entry : entry.substring(0, equals), entry);
    }

    private static long parseId(String text, String whole) throws JrunException {
        try {
            long id = Long.parseLong(text);
            if (id < 0 || id > 0xFFFF_FFFEL) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new JrunException.InvalidInput("--user " + whole + ": expected UID or UID:GID, numbers from 0 to 4294967294"
                    + " (names are not looked up: jrun does not read the container's /etc/passwd)");
        }
    }
}
