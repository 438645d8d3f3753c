package dev.jrun.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Syscall name → number for each {@link Arch}, read from the tables runtime/src/build/syscall-tables.sh made from
 * the Linux UAPI headers (resources dev/jrun/seccomp/ARCH.syscalls: "name number" lines).
 */
public final class SyscallTable {
    private static final Map<Arch, Map<String, Long>> TABLES = new EnumMap<>(Arch.class);

    private SyscallTable() {}

    /** The number of name on arch, if arch has that syscall. */
    public static OptionalLong number(Arch arch, String name) {
        Long number = table(arch).get(name);
        return number == null ? OptionalLong.empty() : OptionalLong.of(number);
    }

    /** Every name of arch's table, with its number. */
    public static Map<String, Long> all(Arch arch) {
        return table(arch);
    }

    private static synchronized Map<String, Long> table(Arch arch) {
        return TABLES.computeIfAbsent(arch, SyscallTable::load);
    }

    private static Map<String, Long> load(Arch arch) {
        String resource = arch.tableName() + ".syscalls";
        try (InputStream in = SyscallTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("jrun's jar lacks the syscall table " + resource + "; rebuild jrun");
            }
            Map<String, Long> numbers = new HashMap<>();
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] fields = line.trim().split(" ");
                    numbers.put(fields[0], Long.parseLong(fields[1]));
                }
            }
            return Map.copyOf(numbers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the syscall table " + resource, e);
        }
    }
}
