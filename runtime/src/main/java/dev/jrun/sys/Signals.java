package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * kill(2) through the JDK's foreign function API: ProcessHandle can only send SIGTERM and SIGKILL,
 * and `jrun kill` must send any signal. Loaded only by the commands that signal.
 */
@SuppressWarnings("restricted") // calling kill(2) is what this class is for; bin/jrun enables native access
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    private static final int ESRCH = 3;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle KILL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("kill").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private Signals() {}

    /** "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" → the number; empty when it names no signal. */
    public static OptionalInt parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        if (name.matches("\\d+")) {
            int number = Integer.parseInt(name);
            return number >= 1 && number <= SIGRTMAX ? OptionalInt.of(number) : OptionalInt.empty();
        }
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer known = BY_NAME.get(name);
        if (known != null) {
            return OptionalInt.of(known);
        }
        var realtime = java.util.regex.Pattern.compile("RTMIN(?:\\+(\\d+))?|RTMAX(?:-(\\d+))?").matcher(name);
        if (realtime.matches()) {
            int number = realtime.group(0).startsWith("RTMIN")
                    ? SIGRTMIN + (realtime.group(1) == null ? 0 : Integer.parseInt(realtime.group(1)))
                    : SIGRTMAX - (realtime.group(2) == null ? 0 : Integer.parseInt(realtime.group(2)));
            return number >= SIGRTMIN && number <= SIGRTMAX ? OptionalInt.of(number) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /** Sends signal to pid. Returns false when the process no longer exists; throws for any other failure. */
    public static boolean send(long pid, int signal) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) KILL.invokeExact(state, (int) pid, signal);
            if (result == 0) {
                return true;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == ESRCH) {
                return false;
            }
            throw new NativeException("kill(" + pid + ", " + signal + ")", errno);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("kill(2) could not be called", e);
        }
    }
}
