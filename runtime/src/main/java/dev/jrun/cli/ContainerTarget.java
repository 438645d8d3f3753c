package dev.jrun.cli;

import dev.jrun.call.Invocation;
import dev.jrun.error.JrunException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a command's argument names. runc's form is an id (with --bundle for create/run); jrun also
 * takes a spec file, `jrun create spec.yaml`, which stands for the bundle (its directory) and the
 * id (the file's stem, or --id).
 *
 * The rule that keeps the two apart (docs/cli.md "Ids and spec files"): for create and run, an
 * argument ending in .json, .yaml or .yml that names an existing file is a spec file. For the verbs on
 * an existing container (state, start, kill, delete, ps, update), an argument is a spec file only if it contains
 * a "/" (`./app.yaml`), which no id can, and ends in .json, .yaml or .yml: a plain word is always the
 * id itself, whatever files the current directory holds, so `delete --force app.json` can only ever
 * act on container "app.json"; anything else with a "/" (`../x`) is an id, and refused as one.
 */
record ContainerTarget(String id, Path bundle, Path specFile) {
    private static final List<String> BUNDLE_CONFIGS = List.of("config.json", "config.yaml", "config.yml");

    static boolean looksLikeSpecFile(String argument) {
        return hasSpecExtension(argument) && Files.isRegularFile(Invocation.current().resolve(Path.of(argument)));
    }

    private static boolean hasSpecExtension(String argument) {
        String lower = argument.toLowerCase(Locale.ROOT);
        return lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    /** For commands on an existing container: only the id matters. */
    static String idOf(String argument, String explicitId) {
        if (explicitId != null) {
            return explicitId;
        }
        return argument.contains("/") && hasSpecExtension(argument) ? stem(Path.of(argument)) : argument;
    }

    /** For create and run: the id, the bundle and the spec file inside it. */
    static ContainerTarget forCreate(String argument, String explicitId, Path bundleOption) throws JrunException {
        if (looksLikeSpecFile(argument)) {
            Path spec = Invocation.current().resolve(Path.of(argument));
            return new ContainerTarget(explicitId != null ? explicitId : stem(spec), spec.getParent(), spec);
        }
        Invocation invocation = Invocation.current();
        Path bundle = bundleOption == null ? invocation.cwd() : invocation.resolve(bundleOption);
        if (!Files.isDirectory(bundle)) {
            throw new JrunException.InvalidInput("the bundle " + bundle + " is not a directory");
        }
        for (String name : BUNDLE_CONFIGS) {
            // Whatever is there (a FIFO, a directory, a link to a device) is the spec's file: the spec
            // reader says exactly what is wrong with it, rather than "no config.json".
            if (Files.exists(bundle.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                return new ContainerTarget(explicitId != null ? explicitId : argument, bundle, bundle.resolve(name));
            }
        }
        throw new JrunException.InvalidInput("the bundle " + bundle + " holds no config.json, config.yaml or config.yml");
    }

    private static String stem(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return "";
        }
        String text = name.toString();
        int dot = text.lastIndexOf('.');
        return dot > 0 ? text.substring(0, dot) : text;
    }
}
