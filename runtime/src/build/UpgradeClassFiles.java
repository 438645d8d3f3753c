import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A build step (runtime/pom.xml, before the AOT cache is recorded): rewrites the class files below the given folders of
 * a jar to class-file version 52 (Java 8), with the stack maps that version requires, and changes nothing else.
 *
 * Why: picocli is compiled for Java 5 (version 49). The JVM checks such classes with the old verifier, and the JDK 25
 * AOT cache cannot hold them once linked, so every jrun command loaded, verified and linked ~170 of them from the jar
 * (docs/benchmarks.md, "Cold commands"). As version 52 they are verified from their stack maps and enter
 * the cache like any other class. The code of each method is the same; only the stack maps are added.
 *
 * Usage: java UpgradeClassFiles.java JAR FOLDER... (e.g. picocli/). Every class is rewritten in memory first, so a
 * class that cannot be rewritten (a jsr instruction, a type its hierarchy cannot be resolved for) fails the build and
 * leaves the jar untouched.
 */
public final class UpgradeClassFiles {
    private static final int TARGET_MAJOR = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: UpgradeClassFiles JAR FOLDER...");
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        List<String> folders = List.of(args).subList(1, args.length);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of());
                URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            // Stack maps name the common supertype where branches meet: the JDK's classes, then the jar's own.
            ClassFile rewriter = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
            ClassTransform upgrade = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen(ClassTransform.endHandler(builder -> builder.withVersion(TARGET_MAJOR, 0)));
            Map<Path, byte[]> rewritten = new LinkedHashMap<>();
            for (String folder : folders) {
                Path root = zip.getPath(folder);
                if (!Files.isDirectory(root)) {
                    throw new IllegalArgumentException(jar + " has no folder " + folder);
                }
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
                        if (model.majorVersion() < TARGET_MAJOR) {
                            rewritten.put(file, rewriter.transformClass(model, upgrade));
                        }
                    }
                }
            }
            for (Map.Entry<Path, byte[]> entry : rewritten.entrySet()) {
                Files.write(entry.getKey(), entry.getValue());
            }
            System.out.println("UpgradeClassFiles: " + rewritten.size() + " class files in " + folders + " of " + jar
                    + " rewritten as version " + TARGET_MAJOR);
        }
    }
}
