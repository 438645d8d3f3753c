package dev.jrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md ("Packages and what each may use") hold in the code:
 * every use of a jrun package, by import or by fully qualified name, is one its package's line allows.
 */
class PackageRulesTest {
    private static final Path REPO = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();
    private static final List<Path> SOURCE_ROOTS = List.of(REPO.resolve("schema/src/main/java"), REPO.resolve("runtime/src/main/java"));
    private static final Pattern RULE = Pattern.compile("^dev\\.jrun\\.(\\S+)\\s.*\\(uses: ([^)]*)\\)\\s*$");
    private static final Pattern USE = Pattern.compile("\\bdev\\.jrun\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

    @Test
    void everyPackageUsesOnlyWhatItsRuleAllows() throws IOException {
        Map<String, Set<String>> rules = rules();
        Map<String, Set<String>> uses = uses();
        List<String> broken = new ArrayList<>();
        uses.forEach((pkg, used) -> {
            Set<String> allowed = rules.get(pkg);
            if (allowed == null) {
                broken.add(pkg + " has no line in docs/architecture.md");
                return;
            }
            for (String target : used) {
                if (!target.equals(pkg) && !allowed.contains(target)) {
                    broken.add(pkg + " uses " + target + ", which its rule does not allow");
                }
            }
        });
        assertEquals(List.of(), broken);
    }

    @Test
    void theRulesNameOnlyRealPackagesAndHaveNoCycle() throws IOException {
        Map<String, Set<String>> rules = rules();
        Set<String> real = uses().keySet();
        assertEquals(new TreeSet<>(real), new TreeSet<>(rules.keySet()), "packages in the code vs lines in the rules");
        rules.forEach((pkg, allowed) -> assertTrue(real.containsAll(allowed), pkg + " allows an unknown package: " + allowed));
        for (String start : rules.keySet()) {
            assertFalse(reaches(rules, start, start, new HashSet<>()), "the rules have a cycle through " + start);
        }
    }

    private static boolean reaches(Map<String, Set<String>> rules, String from, String target, Set<String> seen) {
        for (String next : rules.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(rules, next, target, seen))) {
                return true;
            }
        }
        return false;
    }

    /** package (without dev.jrun.) → the packages its line allows, read from the docs' block. */
    private static Map<String, Set<String>> rules() throws IOException {
        String doc = Files.readString(REPO.resolve("docs/architecture.md"));
        String section = doc.substring(doc.indexOf("## Packages and what each may use"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        for (String line : section.lines().toList()) {
            Matcher rule = RULE.matcher(line);
            if (rule.matches()) {
                Set<String> allowed = new TreeSet<>();
                for (String name : rule.group(2).split(",")) {
                    if (!name.isBlank() && !name.trim().equals("nothing")) {
                        allowed.add(name.trim());
                    }
                }
                rules.put(rule.group(1), allowed);
            }
        }
        assertFalse(rules.isEmpty(), "no rules found in docs/architecture.md");
        return rules;
    }

    /** package → the jrun packages its main sources use. */
    private static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Path root : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String pkg = root.relativize(file.getParent()).toString().replace('/', '.').substring("dev.jrun.".length());
                    Set<String> used = uses.computeIfAbsent(pkg, _ -> new TreeSet<>());
                    String source = Files.readString(file).replaceAll("(?m)^package .*$", "");
                    Matcher use = USE.matcher(source);
                    while (use.find()) {
                        used.add(use.group(1));
                    }
                    used.remove(pkg);
                }
            }
        }
        return uses;
    }
}
