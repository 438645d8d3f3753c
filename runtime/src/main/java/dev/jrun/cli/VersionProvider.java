package dev.jrun.cli;

import dev.jrun.spec.template.DefaultSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** `jrun --version`, in runc's shape (tools parse the first line's last word and the "spec:" line). */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "jrun version " + jrunVersion(),
            "spec: " + DefaultSpec.OCI_VERSION,
            "java: " + Runtime.version()
        };
    }

    public static String jrunVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
